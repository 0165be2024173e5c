/* What sets each group apart, and what unites them all (pol.is math/repness.clj, stats.clj and
 * the group-aware consensus of conversation.clj). Counts are over grouped participants only; a
 * pass counts as seen. Every probability is Laplace-smoothed, (successes + 1) / (trials + 2). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opinion/op_int.h"
#include "core/banned.h"

/* One-sided z for 90% confidence (pol.is stats/z-sig-90?). */
#define Z90 1.2816

/* pol.is stats/prop-test: z of a proportion against 1/2, with one added to successes and trials. */
static double prop_test(double succ, double n)
{
    return 2 * sqrt(n + 1) * ((succ + 1) / (n + 1) - 0.5);
}

/* pol.is stats/two-prop-test: z of the difference of two proportions (pooled), each count plus one. */
static double two_prop_test(double s1, double s2, double n1, double n2)
{
    s1 += 1, s2 += 1, n1 += 1, n2 += 1;
    double pi1 = s1 / n1, pi2 = s2 / n2, pi = (s1 + s2) / (n1 + n2);
    if (pi >= 1)
        return 0;
    return (pi1 - pi2) / sqrt(pi * (1 - pi) * (1 / n1 + 1 / n2));
}

struct stat {
    uint32_t j, na, nd, ns;
    double pa, pd, pat, pdt, ra, rd, rat, rdt;
};

static struct op_rep finalize(const struct stat *s)
{
    struct op_rep r = {.statement = s->j, .n_trials = s->ns};
    r.agree = s->rat > s->rdt;
    r.n_success = r.agree ? s->na : s->nd;
    r.p = r.agree ? s->pa : s->pd;
    r.p_test = r.agree ? s->pat : s->pdt;
    r.ratio = r.agree ? s->ra : s->rd;
    r.ratio_test = r.agree ? s->rat : s->rdt;
    return r;
}

static double metric(const struct op_rep *r)
{
    return r->ratio * r->ratio_test * r->p * r->p_test;
}

/* pol.is beats-best-agr?: the statement the group most clearly agrees with, so that every group
 * shows something it agrees on. */
static bool beats_best_agree(const struct stat *s, const struct stat *best)
{
    if (s->na == 0 && s->nd == 0)
        return false;
    if (best && best->ra > 1.0)
        return s->ra * s->rat * s->pa * s->pat > best->ra * best->rat * best->pa * best->pat;
    if (best)
        return s->pa * s->pat > best->pa * best->pat;
    return s->pat > Z90 || (s->ra > 1.0 && s->pa > 0.5);
}

static int by_metric(const void *a, const void *b)
{
    const struct op_rep *x = a, *y = b;
    double mx = metric(x), my = metric(y);
    if (mx != my)
        return mx > my ? -1 : 1;
    return x->statement < y->statement ? -1 : x->statement > y->statement;
}

/* Statement j in group g against the rest of the groups: its agree and disagree shares, how
 * representative each is, and their tests. */
static void stat_of(const struct op_result *r, size_t g, size_t j, struct stat *cur)
{
    size_t S = r->n_statements, k = r->k;
    uint32_t ta = 0, td = 0, ts = 0;
    for (size_t h = 0; h < k; h++) {
        ta += r->agrees[h * S + j];
        td += r->disagrees[h * S + j];
        ts += r->seen[h * S + j];
    }
    cur->j = (uint32_t)j;
    cur->na = r->agrees[g * S + j];
    cur->nd = r->disagrees[g * S + j];
    cur->ns = r->seen[g * S + j];
    double ra_ = ta - cur->na, rd_ = td - cur->nd, rs = ts - cur->ns;
    cur->pa = (cur->na + 1.0) / (cur->ns + 2.0);
    cur->pd = (cur->nd + 1.0) / (cur->ns + 2.0);
    cur->pat = prop_test(cur->na, cur->ns);
    cur->pdt = prop_test(cur->nd, cur->ns);
    cur->ra = cur->pa / ((ra_ + 1) / (rs + 2));
    cur->rd = cur->pd / ((rd_ + 1) / (rs + 2));
    cur->rat = two_prop_test(cur->na, ra_, cur->ns, rs);
    cur->rdt = two_prop_test(cur->nd, rd_, cur->ns, rs);
}

int op_repness(struct op_result *r, const bool *counted, unsigned max_reps)
{
    size_t S = r->n_statements, k = r->k;
    size_t cap = max_reps ? max_reps : 1;
    struct op_rep *suff = malloc(S * sizeof *suff);
    if (S && !suff)
        return -1;
    for (size_t g = 0; g < k; g++) {
        struct op_group *grp = &r->groups[g];
        grp->reps = calloc(cap, sizeof *grp->reps);
        if (!grp->reps) {
            free(suff);
            return -1;
        }
        size_t n_suff = 0;
        struct stat best_agree = {0}, cur;
        bool have_best_agree = false, have_best = false;
        struct op_rep best = {0};
        for (size_t j = 0; j < S; j++) {
            if (!counted[j])
                continue;
            stat_of(r, g, j, &cur);
            if ((cur.rat > Z90 && cur.pat > Z90) || (cur.rdt > Z90 && cur.pdt > Z90))
                suff[n_suff++] = finalize(&cur);
            if (n_suff == 0 && (!have_best || fmax(cur.rat, cur.rdt) > best.ratio_test)) {
                best = finalize(&cur);
                have_best = true;
            }
            if (beats_best_agree(&cur, have_best_agree ? &best_agree : NULL)) {
                best_agree = cur;
                have_best_agree = true;
            }
        }
        size_t n = 0;
        if (have_best_agree)
            grp->reps[n++] = finalize(&best_agree);
        if (n_suff == 0) {
            if (!n && have_best)
                grp->reps[n++] = best;
        } else {
            qsort(suff, n_suff, sizeof *suff, by_metric);
            for (size_t i = 0; i < n_suff && n < cap; i++)
                if (!have_best_agree || suff[i].statement != best_agree.j)
                    grp->reps[n++] = suff[i];
        }
        if (n > cap)
            n = cap;
        /* Agrees before disagrees, each keeping its order (pol.is agrees-before-disagrees). */
        struct op_rep tmp[64];
        size_t m = 0;
        for (int pass = 1; pass >= 0; pass--)
            for (size_t i = 0; i < n; i++)
                if (grp->reps[i].agree == (pass == 1))
                    tmp[m++] = grp->reps[i];
        memcpy(grp->reps, tmp, n * sizeof *tmp);
        grp->n_reps = n;
    }
    free(suff);
    /* Group-informed consensus (pol.is group-aware-consensus). */
    for (size_t j = 0; j < S; j++) {
        if (!counted[j]) {
            r->consensus[j] = NAN;
            continue;
        }
        double p = 1;
        for (size_t g = 0; g < k; g++)
            p *= (r->agrees[g * S + j] + 1.0) / (r->seen[g * S + j] + 2.0);
        r->consensus[j] = p;
    }
    return 0;
}
