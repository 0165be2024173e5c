/* purpose import's file (import_cli.h): read whole, parsed as CSV, its columns found by name, and
 * each bad row named on stderr in the compiler convention. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/import_cli.h"
#include "core/xval.h"
#include "core/banned.h"

#define IMPORT_FILE_MAX ((size_t)1 << 30)

int import_cli_table_open(struct table *t, const char *path, struct purpose_err *err)
{
    memset(t, 0, sizeof *t);
    t->name = path;
    FILE *f = fopen(path, "rb");
    if (!f)
        return purpose_errf(err, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16;
    t->data = malloc(cap);
    int rc = t->data ? 0 : purpose_errf(err, "%s: out of memory", path);
    while (rc == 0) {
        if (t->len == cap) {
            char *p = cap < IMPORT_FILE_MAX ? realloc(t->data, cap * 2) : NULL;
            if (!p) {
                rc = purpose_errf(err, "%s: larger than %zu MiB, or out of memory", path, IMPORT_FILE_MAX >> 20);
                break;
            }
            t->data = p;
            cap *= 2;
        }
        size_t got = fread(t->data + t->len, 1, cap - t->len, f);
        t->len += got;
        if (got == 0) {
            if (ferror(f))
                rc = purpose_errf(err, "%s: cannot read: %s", path, strerror(errno));
            break;
        }
    }
    fclose(f);
    if (rc == 0) {
        csv_reader_init(&t->r, path, t->data, t->len);
        buf_init(&t->scratch, 1 << 16);
    }
    return rc;
}

void import_cli_table_close(struct table *t)
{
    if (t->data) {
        csv_reader_release(&t->r);
        buf_release(&t->scratch);
    }
    free(t->data);
    t->data = NULL;
}

/* Finds each of names[0..n) in the header row; a required one missing, or a column not asked for, is
 * refused naming line 1. */
int import_cli_table_header(struct table *t, const char *const *names, size_t n, size_t required, struct purpose_err *err)
{
    struct purpose_err why = {0};
    int got = csv_next(&t->r, &why);
    if (got <= 0)
        return got < 0 ? purpose_errf(err, "%s", why.msg) : purpose_errf(err, "%s: the file is empty", t->name);
    for (size_t k = 0; k < n; k++)
        t->col[k] = -1;
    for (size_t i = 0; i < t->r.n_fields; i++) {
        size_t len;
        const char *h = xval_trim(csv_field_text(&t->r.fields[i], &t->scratch, &len), &len);
        size_t k = 0;
        while (k < n && !(strlen(names[k]) == len && strncmp(names[k], h, len) == 0))
            k++;
        if (k == n)
            return purpose_errf(err, "%s:1: column \"%.*s\" is not one this import reads", t->name, (int)(len > 40 ? 40 : len),
                                h);
        t->col[k] = (int)i;
    }
    for (size_t k = 0; k < required; k++)
        if (t->col[k] < 0)
            return purpose_errf(err, "%s:1: the header has no column \"%s\"", t->name, names[k]);
    return 0;
}

/* Column k of the current row, trimmed ("" when the file has no such column). */
const char *import_cli_cell(struct table *t, size_t k, size_t *len)
{
    *len = 0;
    if (t->col[k] < 0 || (size_t)t->col[k] >= t->r.n_fields)
        return "";
    return xval_trim(csv_field_text(&t->r.fields[t->col[k]], &t->scratch, len), len);
}

/* A copy of column k as a C string ("" when absent); NULL when out of memory. */
char *import_cli_cell_dup(struct table *t, size_t k)
{
    size_t n;
    const char *v = import_cli_cell(t, k, &n);
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, v, n);
        s[n] = '\0';
    }
    return s;
}

void import_cli_say_bad(struct table *t, size_t line, const char *col, const char *fmt, ...)
{
    t->bad++;
    fprintf(stderr, "%s:%zu: column \"%s\": ", t->name, line, col);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* The store's "field: what" without its field, which the column names already. */
const char *import_cli_reason(const struct purpose_err *why)
{
    size_t n = strlen(why->field);
    return n && strncmp(why->msg, why->field, n) == 0 && strncmp(why->msg + n, ": ", 2) == 0 ? why->msg + n + 2 : why->msg;
}
