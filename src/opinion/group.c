/* op_group_votes: the pipeline of pol.is's conversation update (math/conversation.clj) for one
 * batch of votes: matrix, map, base clusters, groups chosen by silhouette, then what each group
 * thinks and what unites them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opinion/op_int.h"
#include "core/banned.h"

#define MAX_REPS 64
#define BASE_ITERS 100  /* pol.is base-iters */
#define GROUP_ITERS 100 /* pol.is group-iters */
#define RESTARTS 16     /* k-means++ restarts per k on the base centres; the lowest sum of squares wins */

void op_opts_default(struct op_opts *o)
{
    *o = (struct op_opts){.min_votes = 7, .min_participants = 15, .base_k = 100, .max_k = 5, .max_reps = 5,
                          .seed = 1, .min_group = 0};
}

void op_result_free(struct op_result **rp)
{
    struct op_result *r = *rp;
    if (!r)
        return;
    if (r->groups)
        for (size_t g = 0; g < r->k; g++)
            free(r->groups[g].reps);
    free(r->groups);
    free(r->group);
    free(r->x);
    free(r->y);
    free(r->consensus);
    free(r->agrees);
    free(r->disagrees);
    free(r->seen);
    free(r);
    *rp = NULL;
}

static void matrix_release(struct op_matrix *m)
{
    free(m->row_start);
    free(m->col);
    free(m->vote);
    free(m->centred);
    free(m->mean);
}

/* The counted votes by participant, centred. Refuses a vote out of range or repeated. */
static int build_matrix(const struct op_input *in, const uint32_t *col_of, size_t n_cols, struct op_matrix *m,
                        struct purpose_err *err)
{
    size_t P = in->n_participants;
    m->n_rows = P;
    m->n_cols = n_cols;
    m->row_start = calloc(P + 1, sizeof *m->row_start);
    m->mean = calloc(n_cols ? n_cols : 1, sizeof *m->mean);
    uint32_t *cnt = calloc(n_cols ? n_cols : 1, sizeof *cnt);
    if (!m->row_start || !m->mean || !cnt) {
        free(cnt);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    }
    for (size_t v = 0; v < in->n_votes; v++) {
        const struct op_vote *x = &in->votes[v];
        if (x->participant >= P || x->statement >= in->n_statements || x->value < -1 || x->value > 1) {
            free(cnt);
            return purpose_errk(err, PURPOSE_ERR_INPUT, "vote", "vote %zu: participant %u, statement %u, value %d is out of range",
                                v + 1, (unsigned)x->participant, (unsigned)x->statement, (int)x->value);
        }
        if (col_of[x->statement] != UINT32_MAX)
            m->row_start[x->participant + 1]++;
    }
    for (size_t i = 0; i < P; i++)
        m->row_start[i + 1] += m->row_start[i];
    size_t nnz = m->row_start[P];
    m->col = malloc((nnz ? nnz : 1) * sizeof *m->col);
    m->vote = malloc((nnz ? nnz : 1) * sizeof *m->vote);
    m->centred = malloc((nnz ? nnz : 1) * sizeof *m->centred);
    size_t *fill = malloc((P ? P : 1) * sizeof *fill);
    if (!m->col || !m->vote || !m->centred || !fill) {
        free(cnt);
        free(fill);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    }
    memcpy(fill, m->row_start, P * sizeof *fill);
    for (size_t v = 0; v < in->n_votes; v++) {
        const struct op_vote *x = &in->votes[v];
        uint32_t c = col_of[x->statement];
        if (c == UINT32_MAX)
            continue;
        size_t e = fill[x->participant]++;
        m->col[e] = c;
        m->vote[e] = x->value;
        m->mean[c] += x->value;
        cnt[c]++;
    }
    free(fill);
    /* A repeat shows as the same column twice in a row: mark columns per row (cnt reused). */
    memset(cnt, 0, n_cols * sizeof *cnt);
    for (size_t i = 0; i < P; i++)
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++) {
            if (cnt[m->col[e]] == i + 1) {
                free(cnt);
                return purpose_errk(err, PURPOSE_ERR_INPUT, "vote", "participant %zu votes twice on one statement", i);
            }
            cnt[m->col[e]] = (uint32_t)(i + 1);
        }
    /* Means need the counts again. */
    memset(cnt, 0, n_cols * sizeof *cnt);
    for (size_t e = 0; e < nnz; e++)
        cnt[m->col[e]]++;
    for (size_t c = 0; c < n_cols; c++)
        m->mean[c] = cnt[c] ? m->mean[c] / cnt[c] : 0;
    for (size_t e = 0; e < nnz; e++)
        m->centred[e] = m->vote[e] - m->mean[m->col[e]];
    free(cnt);
    return 0;
}

static int alloc_result(struct op_result *r, size_t P, size_t S)
{
    r->n_participants = P;
    r->n_statements = S;
    size_t p1 = P ? P : 1, s1 = S ? S : 1;
    r->group = malloc(p1 * sizeof *r->group);
    r->x = malloc(p1 * sizeof *r->x);
    r->y = malloc(p1 * sizeof *r->y);
    r->consensus = malloc(s1 * sizeof *r->consensus);
    return r->group && r->x && r->y && r->consensus ? 0 : -1;
}

/* Groups ordered largest first, ties by their first participant: labels that do not depend on
 * how k-means happened to number them. */
struct order { uint32_t size, first, old; };
static int by_size(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static bool grouped(const struct op_matrix *m, const struct op_input *in, size_t i, size_t need)
{
    size_t nv = m->row_start[i + 1] - m->row_start[i];
    return nv >= need || (nv > 0 && in->in_conv && in->in_conv[i]);
}

struct scratch {
    uint32_t *col_of;
    double *pc1, *pc2, *work, *bx, *by, *bw, *gx, *gy, *best_gx, *best_gy;
    uint32_t *who;
    int32_t *base, *gassign, *best_assign;
};

static void scratch_release(struct scratch *s)
{
    free(s->col_of);
    free(s->pc1);
    free(s->pc2);
    free(s->work);
    free(s->bx);
    free(s->by);
    free(s->bw);
    free(s->gx);
    free(s->gy);
    free(s->best_gx);
    free(s->best_gy);
    free(s->who);
    free(s->base);
    free(s->gassign);
    free(s->best_assign);
}

/* Groups of fewer than min participants are merged, smallest first, into the group whose centre
 * is nearest (centres weighted by base-cluster sizes), so that none is shown alone
 * (docs/opinions.md, "fewer than 5"); labels are compacted. -1 when fewer than two groups would be
 * left. */
static int merge_small(struct scratch *s, size_t nb, size_t *k, unsigned min)
{
    double size[64] = {0}, cx[64] = {0}, cy[64] = {0};
    int32_t to[64];
    size_t live = *k;
    for (size_t b = 0; b < nb; b++) {
        int32_t g = s->best_assign[b];
        size[g] += s->bw[b];
        cx[g] += s->bw[b] * s->gx[b];
        cy[g] += s->bw[b] * s->gy[b];
    }
    for (size_t g = 0; g < *k; g++)
        to[g] = (int32_t)g;
    for (;;) {
        size_t small = SIZE_MAX;
        for (size_t g = 0; g < *k; g++)
            if (to[g] == (int32_t)g && size[g] < min && (small == SIZE_MAX || size[g] < size[small]))
                small = g;
        if (small == SIZE_MAX)
            break;
        if (live <= 2)
            return -1;
        size_t near = SIZE_MAX;
        double best = INFINITY;
        for (size_t g = 0; g < *k; g++) {
            if (g == small || to[g] != (int32_t)g)
                continue;
            double dx = cx[g] / size[g] - cx[small] / size[small], dy = cy[g] / size[g] - cy[small] / size[small];
            if (dx * dx + dy * dy < best)
                best = dx * dx + dy * dy, near = g;
        }
        for (size_t g = 0; g < *k; g++)
            if (to[g] == (int32_t)small)
                to[g] = (int32_t)near;
        size[near] += size[small];
        cx[near] += cx[small];
        cy[near] += cy[small];
        live--;
    }
    int32_t compact[64];
    size_t next = 0;
    for (size_t g = 0; g < *k; g++)
        if (to[g] == (int32_t)g)
            compact[g] = (int32_t)next++;
    for (size_t b = 0; b < nb; b++)
        s->best_assign[b] = compact[to[s->best_assign[b]]];
    *k = next;
    return 0;
}

#define OOM() purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory")

static int run(const struct op_input *in, const struct op_opts *o, struct op_result *r, struct scratch *s,
               struct op_matrix *m, struct purpose_err *err)
{
    size_t P = in->n_participants, S = in->n_statements;
    if (P > UINT32_MAX - 1 || S > UINT32_MAX - 1)
        return purpose_errk(err, PURPOSE_ERR_INPUT, NULL, "too many participants or statements");
    if (o->base_k < 2 || o->base_k > 1000 || o->max_k < 2 || o->max_reps > MAX_REPS)
        return purpose_errk(err, PURPOSE_ERR_INPUT, NULL, "options out of range");
    if (alloc_result(r, P, S) < 0)
        return OOM();
    s->col_of = malloc((S ? S : 1) * sizeof *s->col_of);
    if (!s->col_of)
        return OOM();
    size_t C = 0;
    for (size_t j = 0; j < S; j++)
        s->col_of[j] = in->excluded && in->excluded[j] ? UINT32_MAX : (uint32_t)C++;
    if (build_matrix(in, s->col_of, C, m, err) < 0)
        return -1;

    /* Who is grouped: pol.is's in-conv, at least min_votes votes, or every statement if fewer. */
    size_t need = o->min_votes < C ? o->min_votes : C;
    if (need == 0)
        need = 1;
    size_t n = 0;
    for (size_t i = 0; i < P; i++)
        n += grouped(m, in, i, need);
    r->n_grouped = n;
    if (n < o->min_participants || n < 2)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "participants",
                            "too few participants to group: %zu of %zu voted on at least %zu statements; "
                            "groups need %u",
                            n, P, need, o->min_participants > 2 ? o->min_participants : 2);

    /* The map. */
    s->pc1 = calloc(C, sizeof *s->pc1);
    s->pc2 = calloc(C, sizeof *s->pc2);
    size_t wn = 3 * (n > C ? n : C);
    s->work = malloc(wn * sizeof *s->work);
    if (!s->pc1 || !s->pc2 || !s->work)
        return OOM();
    op_pca2(m, o->seed, s->pc1, s->pc2, s->work);
    /* Statements that have votes, counted and moderated out: pol.is's matrix has a column only
     * for a statement someone voted on. */
    size_t n_voted = 0, n_out = 0;
    {
        bool *has = calloc(S ? S : 1, sizeof *has);
        if (!has)
            return OOM();
        for (size_t v = 0; v < in->n_votes; v++)
            has[in->votes[v].statement] = true;
        for (size_t j = 0; j < S; j++)
            if (has[j])
                *(s->col_of[j] == UINT32_MAX ? &n_out : &n_voted) += 1;
        free(has);
    }
    for (size_t i = 0; i < P; i++) {
        size_t a = m->row_start[i], b = m->row_start[i + 1];
        if (a == b) {
            r->x[i] = r->y[i] = NAN;
            continue;
        }
        double p1 = 0, p2 = 0;
        for (size_t e = a; e < b; e++) {
            p1 += m->centred[e] * s->pc1[m->col[e]];
            p2 += m->centred[e] * s->pc2[m->col[e]];
        }
        /* pol.is sparsity-aware projection: a participant who saw few statements is pushed out
         * from the centre, as if the unseen ones had gone the same way. */
        double X = o->polis_scaling ? (double)n_out : 0;
        double scale = sqrt(((double)n_voted + X) / ((double)(b - a) + X));
        r->x[i] = p1 * scale;
        r->y[i] = p2 * scale;
    }

    /* Base clusters of the grouped participants. */
    s->who = malloc(n * sizeof *s->who);
    s->bx = malloc(n * sizeof *s->bx);
    s->by = malloc(n * sizeof *s->by);
    s->base = malloc(n * sizeof *s->base);
    size_t bk = o->base_k < n ? o->base_k : n;
    s->bw = calloc(bk, sizeof *s->bw);
    s->gx = malloc(bk * sizeof *s->gx);
    s->gy = malloc(bk * sizeof *s->gy);
    if (!s->who || !s->bx || !s->by || !s->base || !s->bw || !s->gx || !s->gy)
        return OOM();
    for (size_t i = 0, t = 0; i < P; i++)
        if (grouped(m, in, i, need)) {
            s->who[t] = (uint32_t)i;
            s->bx[t] = r->x[i];
            s->by[t] = r->y[i];
            t++;
        }
    uint64_t rng = o->seed;
    double sse;
    double *cx = malloc(bk * sizeof *cx), *cy = malloc(bk * sizeof *cy);
    if (!cx || !cy) {
        free(cx);
        free(cy);
        return OOM();
    }
    size_t nb = op_kmeans(s->bx, s->by, NULL, n, bk, BASE_ITERS, &rng, s->base, cx, cy, &sse, s->work);
    memcpy(s->gx, cx, nb * sizeof *cx); /* gx, gy: the base centres from here on */
    memcpy(s->gy, cy, nb * sizeof *cy);
    free(cx);
    free(cy);
    for (size_t t = 0; t < n; t++)
        s->bw[s->base[t]] += 1;
    if (nb < 2)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "participants",
                            "no difference of opinion to group: all %zu participants sit at one point", n);

    /* Groups of base clusters, weighted by their sizes, k chosen by silhouette (pol.is: k up to
     * 2 + base clusters / 12, at most max-k). */
    size_t kmax = o->max_k;
    if (kmax > 2 + nb / 12)
        kmax = 2 + nb / 12;
    if (kmax > nb)
        kmax = nb;
    s->gassign = malloc(nb * sizeof *s->gassign);
    s->best_assign = malloc(nb * sizeof *s->best_assign);
    s->best_gx = malloc(kmax * sizeof *s->best_gx);
    s->best_gy = malloc(kmax * sizeof *s->best_gy);
    int32_t *try_assign = malloc(nb * sizeof *try_assign);
    double *tx = malloc(kmax * sizeof *tx), *ty = malloc(kmax * sizeof *ty);
    if (!s->gassign || !s->best_assign || !s->best_gx || !s->best_gy || !try_assign || !tx || !ty) {
        free(try_assign);
        free(tx);
        free(ty);
        return OOM();
    }
    double best_sil = -INFINITY;
    size_t best_k = 0;
    for (size_t k = 2; k <= kmax; k++) {
        double best_sse = INFINITY;
        size_t got_k = 0;
        for (unsigned t = 0; t < RESTARTS; t++) {
            size_t got = op_kmeans(s->gx, s->gy, s->bw, nb, k, GROUP_ITERS, &rng, try_assign, tx, ty, &sse, s->work);
            if (got == k && sse < best_sse) {
                best_sse = sse;
                got_k = got;
                memcpy(s->gassign, try_assign, nb * sizeof *try_assign);
            }
        }
        if (got_k != k)
            continue;
        double sil = op_silhouette(s->gx, s->gy, nb, s->gassign, k, s->work);
        if (sil > best_sil) {
            best_sil = sil;
            best_k = k;
            memcpy(s->best_assign, s->gassign, nb * sizeof *s->gassign);
        }
    }
    free(try_assign);
    free(tx);
    free(ty);
    if (best_k == 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "participants", "no difference of opinion to group");
    if (o->min_group > 1 && merge_small(s, nb, &best_k, o->min_group) < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "participants",
                            "no group of %u or more to compare with another: %zu participants are too few to show groups",
                            o->min_group, n);
    if (o->min_group > 1)
        best_sil = op_silhouette(s->gx, s->gy, nb, s->best_assign, best_k, s->work);
    r->k = best_k;
    r->silhouette = best_sil;

    /* Participants to groups, relabelled largest first. */
    struct order ord[64];
    for (size_t g = 0; g < best_k; g++)
        ord[g] = (struct order){0, UINT32_MAX, (uint32_t)g};
    for (size_t i = 0; i < P; i++)
        r->group[i] = -1;
    for (size_t t = 0; t < n; t++) {
        int32_t g = s->best_assign[s->base[t]];
        ord[g].size++;
        if (s->who[t] < ord[g].first)
            ord[g].first = s->who[t];
    }
    qsort(ord, best_k, sizeof *ord, by_size);
    int32_t label[64];
    for (size_t g = 0; g < best_k; g++)
        label[ord[g].old] = (int32_t)g;
    r->groups = calloc(best_k, sizeof *r->groups);
    r->agrees = calloc(best_k * (S ? S : 1), sizeof *r->agrees);
    r->disagrees = calloc(best_k * (S ? S : 1), sizeof *r->disagrees);
    r->seen = calloc(best_k * (S ? S : 1), sizeof *r->seen);
    if (!r->groups || !r->agrees || !r->disagrees || !r->seen)
        return OOM();
    /* Statement index back from the counted column. */
    uint32_t *stmt = malloc((C ? C : 1) * sizeof *stmt);
    if (!stmt)
        return OOM();
    for (size_t j = 0; j < S; j++)
        if (s->col_of[j] != UINT32_MAX)
            stmt[s->col_of[j]] = (uint32_t)j;
    for (size_t t = 0; t < n; t++) {
        uint32_t i = s->who[t];
        int32_t g = label[s->best_assign[s->base[t]]];
        r->group[i] = g;
        struct op_group *grp = &r->groups[g];
        grp->size++;
        grp->cx += r->x[i];
        grp->cy += r->y[i];
        for (size_t e = m->row_start[i]; e < m->row_start[i + 1]; e++) {
            size_t at = (size_t)g * S + stmt[m->col[e]];
            r->seen[at]++;
            r->agrees[at] += m->vote[e] > 0;
            r->disagrees[at] += m->vote[e] < 0;
        }
    }
    free(stmt);
    for (size_t g = 0; g < best_k; g++) {
        r->groups[g].cx /= r->groups[g].size;
        r->groups[g].cy /= r->groups[g].size;
    }
    bool *counted = malloc((S ? S : 1) * sizeof *counted);
    if (!counted)
        return OOM();
    for (size_t j = 0; j < S; j++)
        counted[j] = s->col_of[j] != UINT32_MAX;
    int rc = op_repness(r, counted, o->max_reps);
    free(counted);
    return rc < 0 ? OOM() : 0;
}

int op_group_votes(const struct op_input *in, const struct op_opts *opts, struct op_result **out,
                   struct purpose_err *err)
{
    *out = NULL;
    struct op_opts o;
    if (opts)
        o = *opts;
    else
        op_opts_default(&o);
    if (o.max_k > 64)
        o.max_k = 64;
    struct op_result *r = calloc(1, sizeof *r);
    if (!r)
        return OOM();
    struct scratch s = {0};
    struct op_matrix m = {0};
    int rc = run(in, &o, r, &s, &m, err);
    scratch_release(&s);
    matrix_release(&m);
    if (rc < 0) {
        op_result_free(&r);
        return -1;
    }
    *out = r;
    return 0;
}
