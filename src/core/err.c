#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "purpose/err.h"

static void fill(struct purpose_err *err, enum purpose_err_kind kind, const char *field, const char *fmt,
                 va_list ap) __attribute__((format(printf, 4, 0)));

static void fill(struct purpose_err *err, enum purpose_err_kind kind, const char *field, const char *fmt,
                 va_list ap)
{
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    err->kind = kind;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
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
