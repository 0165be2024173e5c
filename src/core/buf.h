#ifndef PURPOSE_BUF_H
#define PURPOSE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* A growable byte buffer with a hard size cap. Appends never fail loudly: the first failure
 * (allocation or cap) sets `failed` and later appends do nothing, so a builder can write a whole
 * document and check once at the end. The buffer owns `data`; it is always NUL-terminated when
 * not failed and non-empty. */
struct buf {
    char *data;
    size_t len;
    size_t cap;
    size_t limit; /* largest len allowed */
    bool failed;
};

void buf_init(struct buf *b, size_t limit);
void buf_release(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, failed = false; keeps the memory */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);

#endif
