/* The driver-independent part of src/db: choosing the engine, and the query helpers written once
 * over the primitives. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "core/banned.h"

int db_open(const char *location, struct db **out, struct purpose_err *err)
{
    *out = NULL;
    if (strncmp(location, "postgresql://", 13) == 0 || strncmp(location, "postgres://", 11) == 0)
        return db_pg_open(location, out, err);
    return db_sqlite_open(location, out, err);
}

void db_close(struct db **db)
{
    if (*db) {
        (*db)->real->close(*db);
        *db = NULL;
    }
}

static int vquery(struct db_conn *c, struct db_stmt **st, struct purpose_err *err, const char *sql,
                  const char *types, va_list ap)
{
    if (db_prepare(c, sql, st, err) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; types[i] && rc == 0; i++) {
        switch (types[i]) {
        case 'i':
            rc = db_bind_i64(*st, i + 1, va_arg(ap, int64_t));
            break;
        case 'n':
            rc = db_bind_i64(*st, i + 1, va_arg(ap, int));
            break;
        case 'd':
            rc = db_bind_double(*st, i + 1, va_arg(ap, double));
            break;
        default:
            rc = db_bind_text(*st, i + 1, va_arg(ap, const char *));
        }
    }
    if (rc != 0) {
        db_reset(*st);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "database: cannot bind a value");
    }
    return 0;
}

int db_query(struct db_conn *c, struct db_stmt **st, struct purpose_err *err, const char *sql,
             const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = vquery(c, st, err, sql, types, ap);
    va_end(ap);
    return rc;
}

int db_run(struct db_conn *c, struct purpose_err *err, const char *sql, const char *types, ...)
{
    struct db_stmt *st = NULL;
    va_list ap;
    va_start(ap, types);
    int rc = vquery(c, &st, err, sql, types, ap);
    va_end(ap);
    if (rc < 0)
        return -1;
    int r;
    while ((r = db_step(st, err)) == 1)
        ;
    if (r < 0)
        return -1;
    db_reset(st);
    return 0;
}

int db_run_i64(struct db_conn *c, int64_t *out, struct purpose_err *err, const char *sql,
               const char *types, ...)
{
    struct db_stmt *st = NULL;
    va_list ap;
    va_start(ap, types);
    int rc = vquery(c, &st, err, sql, types, ap);
    va_end(ap);
    if (rc < 0)
        return -1;
    int r = db_step(st, err);
    if (r < 0)
        return -1;
    if (r == 1)
        *out = db_col_i64(st, 0);
    db_reset(st);
    return 0;
}

char *db_col_dup(struct db_stmt *st, int i, bool *oom)
{
    const char *t = db_col_text(st, i);
    if (!t)
        return NULL;
    char *d = strdup(t);
    if (!d)
        *oom = true;
    return d;
}
