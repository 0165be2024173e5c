/* Fuzzer for the word-level difference of a statement's history (core/wdiff.c). The input is two
 * texts split at the first NUL (or the first half and the second, if there is none). Checks: the
 * kept and removed words read back the old text's words, the kept and added ones the new text's, in
 * order; a text compared with itself is all kept; nothing leaks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/wdiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks that the pieces other than `skip`, in order, are exactly the words and breaks of text. */
static void reads_back(const struct wdiff *d, enum wdiff_op skip, const char *text)
{
    struct wdiff self;
    struct purpose_err err = {0};
    if (wdiff_words(text, text, &self, &err) < 0) /* text's own words, all kept */
        return;
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (d->p[i].op == skip)
            continue;
        if (k >= self.n || self.p[k].op != WDIFF_SAME || (d->p[i].s == NULL) != (self.p[k].s == NULL) ||
            d->p[i].len != self.p[k].len || (d->p[i].s && memcmp(d->p[i].s, self.p[k].s, d->p[i].len) != 0))
            __builtin_trap();
        k++;
    }
    if (k != self.n)
        __builtin_trap();
    wdiff_release(&self);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 9000) /* two statements of at most 4,000 bytes, and room to pass the bound */
        return 0;
    char *buf = malloc(size + 2);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = buf[size + 1] = '\0';
    const char *old = buf, *new_;
    size_t cut = strlen(buf);
    if (cut < size) {
        new_ = buf + cut + 1;
    } else { /* no NUL: halves */
        memmove(buf + size / 2 + 1, buf + size / 2, size - size / 2);
        buf[size / 2] = '\0';
        new_ = buf + size / 2 + 1;
    }
    struct wdiff d;
    struct purpose_err err = {0};
    if (wdiff_words(old, new_, &d, &err) == 0) {
        reads_back(&d, WDIFF_ADD, old);
        reads_back(&d, WDIFF_DEL, new_);
        wdiff_release(&d);
    } else if (err.kind != PURPOSE_ERR_INPUT || d.p) {
        __builtin_trap();
    }
    free(buf);
    return 0;
}
