#ifndef PURPOSE_WDIFF_H
#define PURPOSE_WDIFF_H
/* A word-level difference between two texts, for a statement's history: the pieces in reading
 * order, each a word kept, removed or added, or a paragraph break (a blank line). Pure: no I/O.
 *
 * Words are runs of bytes other than ASCII whitespace; any whitespace between words is one space,
 * except that a run holding a blank line is a paragraph break. The pieces are a longest common
 * subsequence of the two word lists (common first and last words are matched before it), with
 * removals before additions where they meet. Each text may have at most WDIFF_MAX_WORDS words and
 * breaks once its common start and end are set aside (statements are at most 4,000 bytes). */

#include <stdbool.h>
#include <stddef.h>

#include "purpose/err.h"

#define WDIFF_MAX_WORDS 2048

enum wdiff_op { WDIFF_SAME, WDIFF_DEL, WDIFF_ADD };

struct wdiff_piece {
    enum wdiff_op op;
    const char *s; /* the word, inside the old text (SAME, DEL) or the new one (ADD); NULL for a break */
    size_t len;
};

/* Owns p; the pieces point into the two texts, which must outlive it. */
struct wdiff {
    struct wdiff_piece *p;
    size_t n;
};

/* The difference from old to new into out. INPUT (field "text") when a text has too many words to
 * compare; INTERNAL when out of memory. */
int wdiff_words(const char *old, const char *new_, struct wdiff *out, struct purpose_err *err);
void wdiff_release(struct wdiff *d);

#endif
