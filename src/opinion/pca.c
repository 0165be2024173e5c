/* The opinion map: two principal components of the centred vote matrix by power iteration with
 * deflation (pol.is math/pca.clj does the same on the dense imputed matrix). Each step costs one
 * pass over the votes, never over participants x statements. */
#include <math.h>
#include <string.h>

#include "opinion/op_int.h"
#include "core/banned.h"

/* Stop when a step moves the unit vector by less than this, or after MAX_ITER steps (pol.is stops
 * after 100 steps or an unchanged eigenvalue). */
#define TOLERANCE 1e-10
#define MAX_ITER 1000

/* w = X^T X r. */
static void xtx(const struct op_matrix *m, const double *r, double *w)
{
    memset(w, 0, m->n_cols * sizeof *w);
    for (size_t i = 0; i < m->n_rows; i++) {
        size_t a = m->row_start[i], b = m->row_start[i + 1];
        double s = 0;
        for (size_t e = a; e < b; e++)
            s += m->centred[e] * r[m->col[e]];
        if (s != 0)
            for (size_t e = a; e < b; e++)
                w[m->col[e]] += s * m->centred[e];
    }
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* Removes the component along unit vector u (deflation: X'^T X' = P X^T X P, P = I - u u^T). */
static void orth(double *v, const double *u, size_t n)
{
    if (!u)
        return;
    double d = dot(v, u, n);
    for (size_t i = 0; i < n; i++)
        v[i] -= d * u[i];
}

/* One component into pc (unit length, or all zero when nothing is left), orthogonal to prev. */
static void component(const struct op_matrix *m, uint64_t *rng, const double *prev, double *pc, double *w)
{
    size_t n = m->n_cols;
    for (size_t j = 0; j < n; j++)
        pc[j] = 0.5 + op_rand01(rng); /* a fixed start with every direction present */
    orth(pc, prev, n);
    double norm = sqrt(dot(pc, pc, n));
    if (norm == 0) {
        memset(pc, 0, n * sizeof *pc);
        return;
    }
    for (size_t j = 0; j < n; j++)
        pc[j] /= norm;
    for (unsigned it = 0; it < MAX_ITER; it++) {
        xtx(m, pc, w);
        orth(w, prev, n);
        norm = sqrt(dot(w, w, n));
        if (!(norm > 1e-300)) { /* no variance left in this direction */
            memset(pc, 0, n * sizeof *pc);
            return;
        }
        double moved = 0;
        for (size_t j = 0; j < n; j++) {
            double v = w[j] / norm;
            moved += (v - pc[j]) * (v - pc[j]);
            pc[j] = v;
        }
        if (moved < TOLERANCE * TOLERANCE)
            break;
    }
    /* The sign of an eigenvector is arbitrary: fix it so the map does not flip between runs. */
    double s = 0;
    for (size_t j = 0; j < n; j++)
        s += pc[j];
    if (s < 0)
        for (size_t j = 0; j < n; j++)
            pc[j] = -pc[j];
}

void op_pca2(const struct op_matrix *m, uint64_t seed, double *pc1, double *pc2, double *work)
{
    uint64_t rng = seed ^ 0x5ca1ab1e0ddba11ULL;
    component(m, &rng, NULL, pc1, work);
    component(m, &rng, pc1, pc2, work);
}
