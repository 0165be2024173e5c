#ifndef PURPOSE_ERR_H
#define PURPOSE_ERR_H

/* The one error convention: a function returns 0 on success or -1 on failure and fills a
 * struct purpose_err with a message in the compiler convention ("FILE:LINE: what is wrong"). */
struct purpose_err {
    char msg[512];
};

/* Formats msg into err (truncating if needed) and returns -1, so callers can write
 * `return purpose_errf(err, "...")`. err may be NULL. */
int purpose_errf(struct purpose_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
