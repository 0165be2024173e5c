/* opinions fast|naive [P S]: the cost of grouping P participants x S statements (default 10,000 x
 * 1,000) with planted groups, about 10% of the votes cast (~1 M votes). `fast` is src/opinion
 * (op_group_votes); `naive` is the textbook dense way, written here to compare with: the imputed
 * matrix held whole (P x S doubles), 100 dense power-iteration steps per component, k-means of
 * the participants themselves for k = 2..5, each scored by an all-pairs silhouette. Prints one line:
 * mode, CPU seconds and wall seconds of the grouping alone (the votes are made before the clock
 * starts), peak RSS in MB (10^6 bytes, the whole process), the k found, and the adjusted Rand
 * index against the planted groups. `opinions export DIR [P S]` writes the same votes as a pol.is
 * export (DIR/comments.csv, DIR/votes.csv) for timing `purpose opinions` from the files.
 * Built by bench/opinions.sh against build/release objects. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "opinion/opinion.h"

#define GROUPS 4

static uint64_t rng_state = 12345;
static double rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}
static double wall_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Planted groups at the corners of a square of opinion (as tests/unit/test_opinion.c): group g at
 * (g & 1, g >> 1); even statements ask about the first axis, odd ones the second; 80% of votes on
 * the group's side, a tenth passes. Each participant sees 2% to 18% of the statements. */
static struct op_vote *make_votes(size_t P, size_t S, size_t *n_out)
{
    size_t cap = P * S / 8 + 1024, n = 0;
    struct op_vote *v = malloc(cap * sizeof *v);
    if (!v)
        return NULL;
    for (size_t p = 0; p < P; p++) {
        size_t g = p % GROUPS;
        double density = 0.02 + 0.16 * rnd();
        for (size_t s = 0; s < S; s++) {
            if (rnd() >= density)
                continue;
            int side = s % 2 == 0 ? (g & 1) == 0 : (g >> 1) == 0;
            double r = rnd();
            int val = r < 0.1 ? 0 : ((r < 0.82) == side ? 1 : -1);
            if (n == cap) {
                cap *= 2;
                struct op_vote *w = realloc(v, cap * sizeof *v);
                if (!w) {
                    free(v);
                    return NULL;
                }
                v = w;
            }
            v[n++] = (struct op_vote){(uint32_t)p, (uint32_t)s, (int8_t)val};
        }
    }
    *n_out = n;
    return v;
}

static double ari(const int32_t *group, size_t P, size_t k)
{
    double cont[8][GROUPS] = {{0}}, a[8] = {0}, b[GROUPS] = {0}, n = 0;
    for (size_t p = 0; p < P; p++) {
        if (group[p] < 0 || group[p] >= 8)
            continue;
        cont[group[p]][p % GROUPS]++;
        a[group[p]]++;
        b[p % GROUPS]++;
        n++;
    }
    double sij = 0, sa = 0, sb = 0;
    for (size_t i = 0; i < k && i < 8; i++) {
        sa += a[i] * (a[i] - 1) / 2;
        for (size_t j = 0; j < GROUPS; j++)
            sij += cont[i][j] * (cont[i][j] - 1) / 2;
    }
    for (size_t j = 0; j < GROUPS; j++)
        sb += b[j] * (b[j] - 1) / 2;
    double expected = sa * sb / (n * (n - 1) / 2), mx = (sa + sb) / 2;
    return mx == expected ? 1 : (sij - expected) / (mx - expected);
}

/* ---- the naive dense way ---- */

static size_t naive(const struct op_vote *votes, size_t nv, size_t P, size_t S, int32_t *group)
{
    double *m = malloc(P * S * sizeof *m), *mean = calloc(S, sizeof *mean), *cnt = calloc(S, sizeof *cnt);
    unsigned *nvotes = calloc(P, sizeof *nvotes);
    double *pc[2] = {malloc(S * sizeof(double)), malloc(S * sizeof(double))}, *w = malloc(S * sizeof *w);
    double *x = malloc(P * sizeof *x), *y = malloc(P * sizeof *y);
    if (!m || !mean || !cnt || !nvotes || !pc[0] || !pc[1] || !w || !x || !y)
        abort();
    for (size_t i = 0; i < P * S; i++)
        m[i] = NAN;
    for (size_t i = 0; i < nv; i++) {
        m[votes[i].participant * S + votes[i].statement] = votes[i].value;
        mean[votes[i].statement] += votes[i].value;
        cnt[votes[i].statement]++;
        nvotes[votes[i].participant]++;
    }
    for (size_t s = 0; s < S; s++)
        mean[s] = cnt[s] ? mean[s] / cnt[s] : 0;
    for (size_t p = 0; p < P; p++) /* impute by the mean, then centre */
        for (size_t s = 0; s < S; s++)
            m[p * S + s] = isnan(m[p * S + s]) ? 0 : m[p * S + s] - mean[s];
    for (int c = 0; c < 2; c++) {
        for (size_t s = 0; s < S; s++)
            pc[c][s] = 1;
        for (int it = 0; it < 100; it++) {
            memset(w, 0, S * sizeof *w);
            for (size_t p = 0; p < P; p++) {
                double d = 0;
                for (size_t s = 0; s < S; s++)
                    d += m[p * S + s] * pc[c][s];
                for (size_t s = 0; s < S; s++)
                    w[s] += d * m[p * S + s];
            }
            if (c == 1) {
                double d = 0;
                for (size_t s = 0; s < S; s++)
                    d += w[s] * pc[0][s];
                for (size_t s = 0; s < S; s++)
                    w[s] -= d * pc[0][s];
            }
            double norm = 0;
            for (size_t s = 0; s < S; s++)
                norm += w[s] * w[s];
            norm = sqrt(norm);
            for (size_t s = 0; s < S; s++)
                pc[c][s] = w[s] / norm;
        }
    }
    size_t n = 0;
    for (size_t p = 0; p < P; p++) {
        double a = 0, b = 0;
        for (size_t s = 0; s < S; s++) {
            a += m[p * S + s] * pc[0][s];
            b += m[p * S + s] * pc[1][s];
        }
        double scale = sqrt((double)S / (nvotes[p] ? nvotes[p] : 1));
        x[n] = a * scale;
        y[n] = b * scale;
        group[p] = nvotes[p] >= 7 ? (int32_t)n++ : -1;
    }
    /* k-means of the participants, first k points as centres; all-pairs silhouette. */
    int32_t *as = malloc(n * sizeof *as), *best = malloc(n * sizeof *best);
    if (!as || !best)
        abort();
    double best_sil = -2;
    size_t best_k = 0;
    for (size_t k = 2; k <= 5; k++) {
        double cx[5], cy[5];
        for (size_t c = 0; c < k; c++)
            cx[c] = x[c * (n / k)], cy[c] = y[c * (n / k)];
        for (int it = 0; it < 100; it++) {
            double sx[5] = {0}, sy[5] = {0}, sn[5] = {0};
            for (size_t i = 0; i < n; i++) {
                size_t bc = 0;
                double bd = INFINITY;
                for (size_t c = 0; c < k; c++) {
                    double d = (x[i] - cx[c]) * (x[i] - cx[c]) + (y[i] - cy[c]) * (y[i] - cy[c]);
                    if (d < bd)
                        bd = d, bc = c;
                }
                as[i] = (int32_t)bc;
                sx[bc] += x[i], sy[bc] += y[i], sn[bc]++;
            }
            for (size_t c = 0; c < k; c++)
                if (sn[c])
                    cx[c] = sx[c] / sn[c], cy[c] = sy[c] / sn[c];
        }
        double sil = 0;
        for (size_t i = 0; i < n; i++) {
            double sum[5] = {0}, cn[5] = {0};
            for (size_t j = 0; j < n; j++)
                if (j != i) {
                    sum[as[j]] += sqrt((x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j]));
                    cn[as[j]]++;
                }
            double a = cn[as[i]] ? sum[as[i]] / cn[as[i]] : 0, b = INFINITY;
            for (size_t c = 0; c < k; c++)
                if ((int32_t)c != as[i] && cn[c] && sum[c] / cn[c] < b)
                    b = sum[c] / cn[c];
            if (cn[as[i]] && !isinf(b))
                sil += (b - a) / (a > b ? a : b);
        }
        sil /= (double)n;
        if (sil > best_sil) {
            best_sil = sil, best_k = k;
            memcpy(best, as, n * sizeof *as);
        }
    }
    for (size_t p = 0; p < P; p++)
        if (group[p] >= 0)
            group[p] = best[group[p]];
    free(m), free(mean), free(cnt), free(nvotes), free(pc[0]), free(pc[1]), free(w), free(x), free(y);
    free(as), free(best);
    return best_k;
}

/* The votes as pol.is exports them; a vote's time is its place in the file. */
static int write_export(const char *dir, const struct op_vote *v, size_t nv, size_t S)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/comments.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n");
    for (size_t s = 0; s < S; s++)
        fprintf(f, "%zu,x,%zu,0,0,0,1,Statement %zu\n", s, s, s);
    if (fclose(f) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/votes.csv", dir);
    if (!(f = fopen(path, "w")))
        return -1;
    fprintf(f, "timestamp,datetime,comment-id,voter-id,vote\n");
    for (size_t i = 0; i < nv; i++)
        fprintf(f, "%zu,x,%u,%u,%d\n", 1500000000000 + i, (unsigned)v[i].statement, (unsigned)v[i].participant,
                (int)v[i].value);
    return fclose(f);
}

int main(int argc, char **argv)
{
    int export = argc >= 3 && strcmp(argv[1], "export") == 0;
    if (argc < 2 || (strcmp(argv[1], "fast") != 0 && strcmp(argv[1], "naive") != 0 && !export)) {
        fprintf(stderr, "usage: opinions fast|naive [PARTICIPANTS STATEMENTS]\n       opinions export DIR [PARTICIPANTS STATEMENTS]\n");
        return 2;
    }
    int a = export ? 3 : 2;
    size_t P = argc > a + 1 ? strtoul(argv[a], NULL, 10) : 10000, S = argc > a + 1 ? strtoul(argv[a + 1], NULL, 10) : 1000;
    size_t nv = 0;
    struct op_vote *votes = make_votes(P, S, &nv);
    int32_t *group = malloc(P * sizeof *group);
    if (!votes || !group)
        return 1;
    if (export) {
        int rc = write_export(argv[2], votes, nv, S);
        free(votes);
        free(group);
        return rc ? 1 : 0;
    }
    size_t k;
    double c0 = cpu_now(), w0 = wall_now();
    if (strcmp(argv[1], "fast") == 0) {
        struct op_input in = {.n_participants = P, .n_statements = S, .votes = votes, .n_votes = nv};
        struct op_result *r = NULL;
        struct purpose_err err = {0};
        if (op_group_votes(&in, NULL, &r, &err) < 0) {
            fprintf(stderr, "opinions: %s\n", err.msg);
            return 1;
        }
        k = r->k;
        memcpy(group, r->group, P * sizeof *group);
        op_result_free(&r);
    } else {
        k = naive(votes, nv, P, S, group);
    }
    double cpu = cpu_now() - c0, wall = wall_now() - w0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%s %.4f %.4f %.1f %zu %.3f %zu\n", argv[1], cpu, wall, (double)ru.ru_maxrss * 1024 / 1e6, k,
           ari(group, P, k), nv);
    free(votes);
    free(group);
    return 0;
}
