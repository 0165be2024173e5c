/* Theme suggestions: the most distinctive terms of a conversation's published ideas by TF-IDF
 * (term frequency across the ideas, times the log of how few ideas use the term), with an English
 * stop-word list. No external service. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

static const char *const stop_words[] = {
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before",
    "being", "between", "both", "but", "by", "can", "could", "do", "does", "each", "every", "for", "from",
    "get", "give", "had", "has", "have", "how", "i", "if", "in", "instead", "into", "is", "it", "its", "just",
    "like", "make", "more", "most", "much", "must", "need", "no", "not", "of", "on", "one", "only", "or",
    "other", "our", "out", "over", "should", "so", "some", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "through", "to", "too", "up", "us", "use", "very",
    "was", "way", "we", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with",
    "would", "yes", "you", "your", "already", "always", "start", "ask", "let", "too", NULL,
};

static bool is_stop(const char *w)
{
    for (size_t i = 0; stop_words[i]; i++)
        if (strcmp(stop_words[i], w) == 0)
            return true;
    return false;
}

struct term {
    char word[32];
    int64_t tf, df, last_doc;
    double score;
};

static int add_term(struct term **terms, size_t *n, size_t *cap, const char *w, int64_t doc)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*terms)[i].word, w) == 0) {
            (*terms)[i].tf++;
            if ((*terms)[i].last_doc != doc) {
                (*terms)[i].df++;
                (*terms)[i].last_doc = doc;
            }
            return 0;
        }
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        struct term *t = realloc(*terms, nc * sizeof *t);
        if (!t)
            return -1;
        *terms = t;
        *cap = nc;
    }
    struct term *t = &(*terms)[(*n)++];
    snprintf(t->word, sizeof t->word, "%s", w);
    t->tf = 1;
    t->df = 1;
    t->last_doc = doc;
    return 0;
}

static int by_score(const void *a, const void *b)
{
    double x = ((const struct term *)a)->score, y = ((const struct term *)b)->score;
    return x < y ? 1 : x > y ? -1 : strcmp(((const struct term *)a)->word, ((const struct term *)b)->word);
}

int store_theme_suggest(struct store *s, const struct store_scope *scope, int64_t campaign_id, char (*out)[32],
                        size_t max, size_t *n, struct purpose_err *err)
{
    *n = 0;
    struct store_contribution_list l;
    if (store_contribution_list(s, scope, campaign_id, true, 0, &l, err) < 0)
        return -1;
    struct term *terms = NULL;
    size_t nt = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        char w[32];
        size_t k = 0;
        for (const char *p = l.items[i].body;; p++) {
            if (*p && isalpha((unsigned char)*p)) {
                if (k + 1 < sizeof w)
                    w[k++] = (char)tolower((unsigned char)*p);
                continue;
            }
            w[k] = '\0';
            if (k >= 3 && !is_stop(w) && add_term(&terms, &nt, &cap, w, (int64_t)i + 1) < 0) {
                rc = store_oom(err);
                break;
            }
            k = 0;
            if (!*p)
                break;
        }
    }
    if (rc == 0) {
        for (size_t i = 0; i < nt; i++)
            terms[i].score = (double)terms[i].tf * log(1.0 + (double)l.n / (double)terms[i].df);
        if (nt)
            qsort(terms, nt, sizeof *terms, by_score);
        for (size_t i = 0; i < nt && *n < max; i++)
            if (terms[i].df >= 2) /* a term one idea uses is not a theme */
                snprintf(out[(*n)++], 32, "%s", terms[i].word);
    }
    free(terms);
    store_contribution_list_release(&l);
    return rc;
}
