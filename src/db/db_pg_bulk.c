/* The PostgreSQL driver's bulk load (db_pg_int.h): COPY FROM STDIN in text format, sent in
 * PG_COPY_BUF pieces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db/db_pg_int.h"
#include "core/banned.h"

int db_pg_bulk_begin(struct db_conn *c, const char *table, const char *const *cols, int ncols,
                     struct db_bulk **out, struct purpose_err *err)
{
    char sql[2048];
    size_t n = (size_t)snprintf(sql, sizeof sql, "COPY %s(", table);
    for (int i = 0; i < ncols && n < sizeof sql; i++)
        n += (size_t)snprintf(sql + n, sizeof sql - n, "%s%s", i ? "," : "", cols[i]);
    if (n + 16 >= sizeof sql || ncols <= 0)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "postgresql: bulk load: too many columns");
    memcpy(sql + n, ") FROM STDIN", 13);
    struct pg_bulk *b = calloc(1, sizeof *b);
    if (!b || !(b->buf = malloc(PG_COPY_BUF))) {
        free(b);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "postgresql: out of memory");
    }
    PGresult *res = PQexec(db_pg_h(c), sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        int rc = db_pg_fail(db_pg_h(c), res, "bulk load", err);
        PQclear(res);
        free(b->buf);
        free(b);
        return rc;
    }
    PQclear(res);
    b->base.conn = c;
    b->ncols = ncols;
    *out = &b->base;
    return 0;
}

static int flush(struct pg_bulk *b, struct purpose_err *err)
{
    if (b->len > 0 && PQputCopyData(db_pg_h(b->base.conn), b->buf, (int)b->len) != 1)
        return db_pg_fail(db_pg_h(b->base.conn), NULL, "bulk load", err);
    b->len = 0;
    return 0;
}

static int put(struct pg_bulk *b, char ch, struct purpose_err *err)
{
    if (b->len == PG_COPY_BUF && flush(b, err) < 0)
        return -1;
    b->buf[b->len++] = ch;
    return 0;
}

/* COPY text format: tab between fields, \N for NULL, backslash escapes for \, tab, CR and LF. */
int db_pg_bulk_row(struct db_bulk *base, const char *const *vals, struct purpose_err *err)
{
    struct pg_bulk *b = (struct pg_bulk *)base;
    for (int i = 0; i < b->ncols; i++) {
        if (i > 0 && put(b, '\t', err) < 0)
            return -1;
        if (!vals[i]) {
            if (put(b, '\\', err) < 0 || put(b, 'N', err) < 0)
                return -1;
            continue;
        }
        for (const char *p = vals[i]; *p; p++) {
            char e = *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : 0;
            if (e ? put(b, '\\', err) < 0 || put(b, e, err) < 0 : put(b, *p, err) < 0)
                return -1;
        }
    }
    return put(b, '\n', err);
}

int db_pg_bulk_end(struct db_bulk *base, bool ok, struct purpose_err *err)
{
    struct pg_bulk *b = (struct pg_bulk *)base;
    PGconn *h = db_pg_h(base->conn);
    int rc = ok ? flush(b, err) : 0;
    if (PQputCopyEnd(h, rc == 0 && ok ? NULL : "abandoned") != 1 && rc == 0)
        rc = db_pg_fail(h, NULL, "bulk load", err);
    PGresult *res;
    while ((res = PQgetResult(h)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0 && ok)
            rc = db_pg_fail(h, res, "bulk load", err);
        PQclear(res);
    }
    free(b->buf);
    free(b);
    return ok ? rc : 0;
}
