/* The opinion map: the two principal components of the centred vote matrix X, by power iteration
 * on a block of two vectors, the second kept orthogonal to the first (deflation), then rotated
 * to the principal axes (Rayleigh-Ritz). pol.is (math/pca.clj) iterates one component at a time
 * on the dense imputed matrix; two at once converge at the rate of the gap between the second and
 * third eigenvalues instead of the first and second, which matters when two camps are of a size
 * (their eigenvalues nearly equal). Each step costs one pass over the votes: X^T X r is computed
 * as the sum over participants of (x_i . r) x_i, never as participants x statements. */
#include <math.h>
#include <string.h>

#include "opinion/op_int.h"
#include "core/banned.h"

/* Stop when a step moves the plane by less than this (each new vector's part outside the old
 * plane), or after MAX_ITER steps (pol.is stops after 100 steps or an unchanged eigenvalue). */
#define TOLERANCE 1e-9
#define MAX_ITER 500

/* w1 = X^T X r1, w2 = X^T X r2, in one pass. */
static void xtx2(const struct op_matrix *m, const double *r1, const double *r2, double *w1, double *w2)
{
    memset(w1, 0, m->n_cols * sizeof *w1);
    memset(w2, 0, m->n_cols * sizeof *w2);
    for (size_t i = 0; i < m->n_rows; i++) {
        size_t a = m->row_start[i], b = m->row_start[i + 1];
        double s1 = 0, s2 = 0;
        for (size_t e = a; e < b; e++) {
            double r = m->centred[e];
            s1 += r * r1[m->col[e]];
            s2 += r * r2[m->col[e]];
        }
        for (size_t e = a; e < b; e++) {
            double r = m->centred[e];
            w1[m->col[e]] += s1 * r;
            w2[m->col[e]] += s2 * r;
        }
    }
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

static void axpy(double *y, double a, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] += a * x[i];
}

/* Scales v to unit length; all zero (no variance left in it) when it is too short. */
static void normalise(double *v, size_t n)
{
    double norm = sqrt(dot(v, v, n));
    if (norm > 1e-150)
        for (size_t i = 0; i < n; i++)
            v[i] /= norm;
    else
        memset(v, 0, n * sizeof *v);
}

/* Gram-Schmidt: v1 unit, v2 unit and orthogonal to v1 (or zero). */
static void orthonormalise(double *v1, double *v2, size_t n)
{
    normalise(v1, n);
    axpy(v2, -dot(v1, v2, n), v1, n);
    normalise(v2, n);
}

/* The sign of an eigenvector is arbitrary: fix it so the map does not flip. */
static void fix_sign(double *v, size_t n)
{
    double s = 0;
    for (size_t j = 0; j < n; j++)
        s += v[j];
    if (s < 0)
        for (size_t j = 0; j < n; j++)
            v[j] = -v[j];
}

void op_pca2(const struct op_matrix *m, uint64_t seed, double *pc1, double *pc2, double *work)
{
    size_t n = m->n_cols;
    double *w1 = work, *w2 = work + n;
    uint64_t rng = seed ^ 0x5ca1ab1e0ddba11ULL;
    for (size_t j = 0; j < n; j++) { /* a fixed start with every direction present */
        pc1[j] = 0.5 + op_rand01(&rng);
        pc2[j] = op_rand01(&rng) - 0.5;
    }
    orthonormalise(pc1, pc2, n);
    for (unsigned it = 0; it < MAX_ITER; it++) {
        xtx2(m, pc1, pc2, w1, w2);
        orthonormalise(w1, w2, n);
        /* How far the plane moved: the parts of the new vectors outside the old plane. */
        double moved = 0;
        for (int k = 0; k < 2; k++) {
            const double *w = k ? w2 : w1;
            double a = dot(w, pc1, n), b = dot(w, pc2, n), ww = dot(w, w, n);
            double out = ww - a * a - b * b;
            moved += out > 0 ? out : 0;
        }
        memcpy(pc1, w1, n * sizeof *pc1);
        memcpy(pc2, w2, n * sizeof *pc2);
        if (moved < TOLERANCE * TOLERANCE)
            break;
    }
    /* Rayleigh-Ritz: the principal axes within the plane, the larger variance first. */
    xtx2(m, pc1, pc2, w1, w2);
    double a = dot(pc1, w1, n), b = dot(pc1, w2, n), d = dot(pc2, w2, n);
    double theta = 0.5 * atan2(2 * b, a - d);
    double c = cos(theta), s = sin(theta);
    for (size_t j = 0; j < n; j++) {
        double u = pc1[j], v = pc2[j];
        pc1[j] = c * u + s * v;
        pc2[j] = -s * u + c * v;
    }
    fix_sign(pc1, n);
    fix_sign(pc2, n);
}
