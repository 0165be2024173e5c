#ifndef PURPOSE_CLI_IMPORT_CLI_H
#define PURPOSE_CLI_IMPORT_CLI_H
/* Private to purpose import (cmd_import.c): the file read whole as CSV with its columns found by
 * name (import_table.c), the series its rows build, and NHS England's A&E reader (import_ae.c).
 * An import owns its table and its series; import_release in cmd_import.c frees them. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/csv.h"
#include "store/store.h"

struct table {
    const char *name;
    char *data;
    size_t len;
    struct csv_reader r;
    struct buf scratch;
    int col[16]; /* the file's column of each name asked for, or -1 */
    size_t bad;
};

struct series {
    struct store_import_series s;
    char *name, *unit, *direction, *chart;
    struct store_point *p;
    size_t *row, cap;
    size_t first_line; /* where its fields were first given */
};

struct import {
    struct table t;
    struct store *store;
    struct series *sv;
    size_t n, cap;
    int64_t default_org;
};

/* The first 40 bytes of v[0..n), for "%.*s". */
#define SHOWN(v, n) (int)((n) > 40 ? 40 : (n)), (v)

/* import_table.c: the file at path read whole (up to 1 GiB); closed by import_cli_table_close. */
int import_cli_table_open(struct table *t, const char *path, struct purpose_err *err);
void import_cli_table_close(struct table *t);
/* Finds each of names[0..n) in the header row; a required one missing, or a column not asked for, is
 * refused naming line 1. */
int import_cli_table_header(struct table *t, const char *const *names, size_t n, size_t required,
                            struct purpose_err *err);
/* Column k of the current row, trimmed ("" when the file has no such column). */
const char *import_cli_cell(struct table *t, size_t k, size_t *len);
/* A copy of column k as a C string ("" when absent); NULL when out of memory. */
char *import_cli_cell_dup(struct table *t, size_t k);
/* Counts a bad row and names it on stderr: FILE:LINE: column "col": what. */
__attribute__((format(printf, 4, 5))) void import_cli_say_bad(struct table *t, size_t line, const char *col,
                                                              const char *fmt, ...);
/* The store's "field: what" without its field, which the column names already. */
const char *import_cli_reason(const struct purpose_err *why);

/* cmd_import.c: the series of org's measure name, made at the end when new; NULL when out of memory. */
struct series *import_cli_series_for(struct import *im, int64_t org, const char *name, size_t n);
/* cmd_import.c: p added to s from the file's line; false when out of memory. */
bool import_cli_point_add(struct series *s, const struct store_point *p, size_t line);
/* cmd_import.c: the organisation with ODS code[0..n) (the default one for an empty code): 0, 1 when
 * there is none, -1 on failure. */
int import_cli_org_of_ods(struct import *im, const char *code, size_t n, int64_t *id, struct purpose_err *err);

/* import_ae.c: NHS England's monthly A&E file as a 4-hour P chart per provider that is an
 * organisation here; providers: how many the file names, matched: how many of them are ours. */
int import_cli_read_ae(struct import *im, size_t *providers, size_t *matched, struct purpose_err *err);

#endif
