#ifndef PURPOSE_OP_INT_H
#define PURPOSE_OP_INT_H

/* Internals of src/opinion shared between its files. */
#include <stddef.h>
#include <stdint.h>

#include "opinion/opinion.h"

/* The votes that count (moderated-out statements dropped), one row per participant, centred on
 * each statement's mean: a missing vote imputed by the mean is 0 once centred, so the centred
 * matrix stays as sparse as the votes (pol.is imputes, then centres on the same means). */
struct op_matrix {
    size_t n_rows, n_cols;  /* participants, counted statements */
    size_t *row_start;      /* n_rows + 1 */
    uint32_t *col;          /* nnz: the counted statement */
    int8_t *vote;           /* nnz: -1, 0, +1 */
    double *centred;        /* nnz: vote - the statement's mean */
    double *mean;           /* n_cols */
};

/* splitmix64: a small fixed PRNG, so the same seed gives the same groups on every machine. */
static inline uint64_t op_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static inline double op_rand01(uint64_t *s)
{
    return (double)(op_rand(s) >> 11) * 0x1.0p-53;
}

/* The first two principal components (pc1, pc2: n_cols each, the larger variance first) by block
 * power iteration with deflation. work: 2 * n_cols doubles. */
void op_pca2(const struct op_matrix *m, uint64_t seed, double *pc1, double *pc2, double *work);

/* k-means on n points in the plane (xs, ys) with weights w (NULL: all 1): k-means++ seeding from
 * the PRNG state, Lloyd's steps until nothing moves (at most max_iter). Returns the clusters
 * actually used (empty ones dropped and the labels compacted), assign[i] in 0..result-1, centres
 * in cx, cy. Also the weighted sum of squares in *sse. work: 3 * n doubles. */
size_t op_kmeans(const double *xs, const double *ys, const double *w, size_t n, size_t k, unsigned max_iter,
                 uint64_t *rng, int32_t *assign, double *cx, double *cy, double *sse, double *work);

/* Mean silhouette of a labelling of n points (pol.is: unweighted, a lone member scores 0). */
double op_silhouette(const double *xs, const double *ys, size_t n, const int32_t *assign, size_t k, /* work: 2k */
                     double *work);

/* Representative statements of every group (pol.is's select-rep-comments), into r->groups. */
int op_repness(struct op_result *r, const bool *counted, unsigned max_reps);

#endif
