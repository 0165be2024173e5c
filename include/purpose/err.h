#ifndef PURPOSE_ERR_H
#define PURPOSE_ERR_H

/* The one error convention: a function returns 0 on success or -1 on failure and fills a
 * struct purpose_err with a message in the compiler convention ("FILE:LINE: what is wrong"),
 * a kind that callers branch on (never on the text), and the field at fault when there is one. */
enum purpose_err_kind {
    PURPOSE_ERR_INPUT = 0, /* the caller's input is wrong: a user can fix it (HTTP 400) */
    PURPOSE_ERR_NOT_FOUND, /* the thing named does not exist (404) */
    PURPOSE_ERR_CONFLICT,  /* clashes with what is stored: a duplicate, a stale state (409) */
    PURPOSE_ERR_FORBIDDEN, /* the actor may not do this (403) */
    PURPOSE_ERR_INTERNAL,  /* the system failed: database, memory, disk (500) */
    /* The database cannot be reached or is locked by another writer for now: nothing was stored,
     * and the same request may succeed later (503 with Retry-After). */
    PURPOSE_ERR_UNAVAILABLE,
};

struct purpose_err {
    char msg[512];
    enum purpose_err_kind kind;
    char field[64]; /* the field at fault ("" when none) */
};

/* Formats msg into err (truncating if needed), sets kind PURPOSE_ERR_INPUT and no field, and
 * returns -1, so callers can write `return purpose_errf(err, "...")`. err may be NULL. */
int purpose_errf(struct purpose_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* As purpose_errf with an explicit kind and field (field may be NULL). */
int purpose_errk(struct purpose_err *err, enum purpose_err_kind kind, const char *field, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));

/* "input", "not_found", "conflict", "forbidden", "internal", "unavailable". */
const char *purpose_err_kind_name(enum purpose_err_kind kind);

#endif
