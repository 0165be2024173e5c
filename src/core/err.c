#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "purpose/err.h"

static void fill(struct purpose_err *err, enum purpose_err_kind kind, const char *field, const char *fmt,
                 va_list ap) __attribute__((format(printf, 4, 0)));

static void fill(struct purpose_err *err, enum purpose_err_kind kind, const char *field, const char *fmt,
                 va_list ap)
{
    /* Into a copy first: a caller may pass err->msg or err->field among the arguments ("%s: %s",
     * where, err->msg), and formatting a buffer into itself doubles or empties it. */
    char msg[sizeof err->msg], fld[sizeof err->field];
    vsnprintf(msg, sizeof msg, fmt, ap);
    snprintf(fld, sizeof fld, "%s", field ? field : "");
    memcpy(err->msg, msg, sizeof msg);
    memcpy(err->field, fld, sizeof fld);
    err->kind = kind;
}

int purpose_errf(struct purpose_err *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, PURPOSE_ERR_INPUT, NULL, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int purpose_errk(struct purpose_err *err, enum purpose_err_kind kind, const char *field, const char *fmt,
                 ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        fill(err, kind, field, fmt, ap);
        va_end(ap);
    }
    return -1;
}

const char *purpose_err_kind_name(enum purpose_err_kind kind)
{
    static const char *const names[] = {"input", "not_found", "conflict", "forbidden", "internal", "unavailable"};
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "internal";
}
