/* Word-level difference: tokenise, set aside the common start and end, then a longest common
 * subsequence over what is left (a table of (n+1) x (m+1) 16-bit lengths: at most 8 MB at the
 * bound, usually far less, as an edit to a statement changes a few words). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/wdiff.h"
#include "core/banned.h"

struct word {
    const char *s; /* NULL: a paragraph break */
    size_t len;
};

static bool space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The words and breaks of t. Returns the count, or -1 when out of memory. */
static long tokenise(const char *t, struct word **out)
{
    size_t n = 0, cap = 0;
    struct word *w = NULL;
    const char *p = t;
    while (*p) {
        int newlines = 0;
        while (*p && space(*p))
            newlines += *p++ == '\n';
        if (!*p)
            break;
        const char *start = p;
        while (*p && !space(*p))
            p++;
        bool brk = newlines >= 2 && n > 0;
        if (n + 2 > cap) {
            size_t nc = cap ? cap * 2 : 64;
            struct word *g = realloc(w, nc * sizeof *g);
            if (!g) {
                free(w);
                return -1;
            }
            w = g;
            cap = nc;
        }
        if (brk)
            w[n++] = (struct word){NULL, 0};
        w[n++] = (struct word){start, (size_t)(p - start)};
    }
    *out = w;
    return (long)n;
}

static bool same(const struct word *a, const struct word *b)
{
    if (!a->s || !b->s)
        return !a->s && !b->s;
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static void put(struct wdiff *d, enum wdiff_op op, const struct word *w)
{
    d->p[d->n++] = (struct wdiff_piece){op, w->s, w->len};
}

int wdiff_words(const char *old, const char *new_, struct wdiff *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct word *a = NULL, *b = NULL;
    long la = tokenise(old ? old : "", &a), lb = la < 0 ? -1 : tokenise(new_ ? new_ : "", &b);
    if (la < 0 || lb < 0) {
        free(a);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    }
    size_t na = (size_t)la, nb = (size_t)lb, pre = 0, suf = 0;
    while (pre < na && pre < nb && same(&a[pre], &b[pre]))
        pre++;
    while (suf < na - pre && suf < nb - pre && same(&a[na - 1 - suf], &b[nb - 1 - suf]))
        suf++;
    size_t n = na - pre - suf, m = nb - pre - suf; /* the middles: a[pre..pre+n), b[pre..pre+m) */
    int rc = 0;
    uint16_t *L = NULL;
    if (n > WDIFF_MAX_WORDS || m > WDIFF_MAX_WORDS)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "text", "text: too long to compare word by word (over %d words)",
                          WDIFF_MAX_WORDS);
    if (rc == 0 && !(out->p = malloc((na + nb + 1) * sizeof *out->p)))
        rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    if (rc == 0 && n && m && !(L = calloc((n + 1) * (m + 1), sizeof *L)))
        rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    if (rc == 0) {
        /* L[i][j]: the LCS length of the middles' suffixes from i and j. */
        const struct word *x = a ? a + pre : NULL, *y = b ? b + pre : NULL; /* NULL: no words */
        size_t W = m + 1;
        for (size_t i = n; L && i-- > 0;)
            for (size_t j = m; j-- > 0;)
                L[i * W + j] = same(&x[i], &y[j]) ? (uint16_t)(L[(i + 1) * W + j + 1] + 1)
                               : L[(i + 1) * W + j] >= L[i * W + j + 1] ? L[(i + 1) * W + j]
                                                                        : L[i * W + j + 1];
        for (size_t k = 0; k < pre; k++)
            put(out, WDIFF_SAME, &a[k]);
        size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && same(&x[i], &y[j]) && L[i * W + j] == L[(i + 1) * W + j + 1] + 1) {
                put(out, WDIFF_SAME, &x[i++]);
                j++;
            } else if (i < n && (j == m || L[(i + 1) * W + j] >= L[i * W + j + 1])) {
                put(out, WDIFF_DEL, &x[i++]);
            } else {
                put(out, WDIFF_ADD, &y[j++]);
            }
        }
        for (size_t k = na - suf; k < na; k++)
            put(out, WDIFF_SAME, &a[k]);
    }
    free(L);
    free(a);
    free(b);
    if (rc < 0)
        wdiff_release(out);
    return rc;
}

void wdiff_release(struct wdiff *d)
{
    free(d->p);
    d->p = NULL;
    d->n = 0;
}
