/* The PostgreSQL engine (libpq): a pool of connections opened on demand, statements prepared once
 * per connection with `?` rewritten to $n, parameters sent as text (bytes as binary), results read
 * whole (the store's reads are small; bulk data goes in by COPY). Several `purpose serve` processes
 * can share one database: the change generation is a sequence every write transaction advances
 * after it commits, so every process sees every other's changes on its next request. The pool is
 * db_pg_pool.c's, the bulk load db_pg_bulk.c's (db_pg_int.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db/db.h"
#include "db/db_genshare.h"
#include "db/db_pg_int.h"
#include "core/banned.h"

/* Whether a failure means the server is away for now (the request may succeed later) rather than
 * a fault in the query: the connection is broken, or SQLSTATE class 08 (connection exception),
 * 57P01..57P03 (shut down by the administrator, crash shutdown, cannot connect now: starting or
 * stopping) or 53300 (too many connections). */
static bool server_away(PGconn *h, const char *state)
{
    if (!h || PQstatus(h) == CONNECTION_BAD)
        return true;
    if (!state)
        return false;
    return strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 ||
           strcmp(state, "57P03") == 0 || strcmp(state, "53300") == 0;
}

int db_pg_fail(PGconn *h, const PGresult *res, const char *what, struct purpose_err *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    enum purpose_err_kind kind = state && strcmp(state, "23505") == 0 ? PURPOSE_ERR_CONFLICT
                                 : server_away(h, state)                ? PURPOSE_ERR_UNAVAILABLE
                                                                        : PURPOSE_ERR_INTERNAL;
    const char *msg = res ? PQresultErrorMessage(res) : h ? PQerrorMessage(h) : "out of memory";
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    return purpose_errk(err, kind, NULL, "postgresql: %s: %.*s", what, (int)n, msg);
}

/* Reads and drops what is left of a single-row run, so the connection can take the next query. */
static void drain(struct pg_stmt *s)
{
    if (!s->streaming)
        return;
    PGresult *res;
    while ((res = PQgetResult(((struct pg_conn *)s->base.conn)->h)) != NULL)
        PQclear(res);
    s->streaming = false;
}

void db_pg_stmt_clear(struct pg_stmt *s)
{
    drain(s);
    s->stream = false;
    PQclear(s->res);
    s->res = NULL;
    s->row = 0;
    if (s->blob)
        PQfreemem(s->blob);
    s->blob = NULL;
}

static int pg_exec(struct db_conn *c, const char *sql, struct purpose_err *err)
{
    PGresult *res = PQexec(db_pg_h(c), sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : db_pg_fail(db_pg_h(c), res, "query failed", err);
    PQclear(res);
    return rc;
}

/* ---- statements ------------------------------------------------------------------------------- */

/* Rewrites `?` outside string literals as $1, $2, ...; returns the count, or -1 if it won't fit. */
static int rewrite(const char *sql, char *out, size_t cap)
{
    size_t o = 0;
    int n = 0;
    bool quoted = false;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        if (*p == '?' && !quoted) {
            int w = snprintf(out + o, cap - o, "$%d", ++n);
            if (w < 0 || (size_t)w >= cap - o)
                return -1;
            o += (size_t)w;
            continue;
        }
        if (o + 1 >= cap)
            return -1;
        out[o++] = *p;
    }
    out[o] = '\0';
    return n;
}

static int pg_prepare(struct db_conn *base, const char *sql, struct db_stmt **out, struct purpose_err *err)
{
    struct pg_conn *c = (struct pg_conn *)base;
    for (size_t i = 0; i < c->n; i++) {
        if (c->cache[i]->sql == sql) {
            *out = &c->cache[i]->base;
            return 0;
        }
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : PG_CACHE_FIRST;
        struct pg_stmt **grown = c->n < PG_CACHE_MAX ? realloc(c->cache, cap * sizeof *grown) : NULL;
        if (!grown)
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "postgresql: statement cache full");
        c->cache = grown;
        c->cap = cap;
    }
    size_t cap = strlen(sql) * 2 + 64;
    char *text = malloc(cap);
    struct pg_stmt *s = calloc(1, sizeof *s);
    if (!text || !s) {
        free(text);
        free(s);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "postgresql: out of memory");
    }
    int n = rewrite(sql, text, cap);
    if (n < 0 || n > PG_PARAMS) {
        free(text);
        free(s);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "postgresql: a query has too many parameters");
    }
    snprintf(s->name, sizeof s->name, "p%zu", c->n);
    PGresult *res = PQprepare(c->h, s->name, text, n, NULL);
    free(text);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        int rc = db_pg_fail(c->h, res, "cannot prepare a query", err);
        PQclear(res);
        free(s);
        return rc;
    }
    PQclear(res);
    s->base.conn = base;
    s->sql = sql;
    s->nparams = n;
    c->cache[c->n++] = s;
    *out = &s->base;
    return 0;
}

#define PS(x) ((struct pg_stmt *)(x))

static int param(struct db_stmt *st, int i)
{
    return i >= 1 && i <= PS(st)->nparams ? i - 1 : -1;
}

static int pg_bind_i64(struct db_stmt *st, int i, int64_t v)
{
    int k = param(st, i);
    if (k < 0)
        return -1;
    struct pg_stmt *s = PS(st);
    snprintf(s->num[k], sizeof s->num[k], "%lld", (long long)v);
    s->vals[k] = s->num[k];
    s->fmts[k] = 0;
    return 0;
}
static int pg_bind_double(struct db_stmt *st, int i, double v)
{
    int k = param(st, i);
    if (k < 0)
        return -1;
    struct pg_stmt *s = PS(st);
    snprintf(s->num[k], sizeof s->num[k], "%.17g", v);
    s->vals[k] = s->num[k];
    s->fmts[k] = 0;
    return 0;
}
static int pg_bind_text(struct db_stmt *st, int i, const char *v, size_t n)
{
    int k = param(st, i);
    if (k < 0 || (v && n != (size_t)-1 && v[n] != '\0'))
        return -1; /* text is passed NUL-terminated */
    PS(st)->vals[k] = v;
    PS(st)->fmts[k] = 0;
    return 0;
}
static int pg_bind_blob(struct db_stmt *st, int i, const void *v, size_t n)
{
    int k = param(st, i);
    if (k < 0 || n > 0x7fffffff)
        return -1;
    PS(st)->vals[k] = v;
    PS(st)->lens[k] = (int)n;
    PS(st)->fmts[k] = 1;
    return 0;
}

static void pg_reset(struct db_stmt *st)
{
    struct pg_stmt *s = PS(st);
    db_pg_stmt_clear(s);
    memset(s->vals, 0, sizeof s->vals);
    memset(s->fmts, 0, sizeof s->fmts);
    memset(s->lens, 0, sizeof s->lens);
}

static void pg_stream(struct db_stmt *st)
{
    PS(st)->stream = true;
}

/* The next row of a single-row run: 1, 0 at the end, -1 on failure. */
static int stream_step(struct db_stmt *st, struct purpose_err *err)
{
    struct pg_stmt *s = PS(st);
    PGconn *h = db_pg_h(st->conn);
    if (!s->streaming) {
        if (!PQsendQueryPrepared(h, s->name, s->nparams, s->vals, s->lens, s->fmts, 0) || !PQsetSingleRowMode(h)) {
            db_pg_fail(h, NULL, "query failed", err);
            pg_reset(st);
            return -1;
        }
        s->streaming = true;
    }
    PQclear(s->res);
    s->res = PQgetResult(h);
    s->row = 0;
    ExecStatusType t = PQresultStatus(s->res);
    if (t == PGRES_SINGLE_TUPLE)
        return 1;
    int rc = t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK ? 0 : db_pg_fail(h, s->res, "query failed", err);
    drain(s);
    if (rc < 0)
        pg_reset(st);
    else
        s->stream = false; /* done: further steps find no row */
    return rc;
}

static int pg_step(struct db_stmt *st, struct purpose_err *err)
{
    struct pg_stmt *s = PS(st);
    if (s->stream)
        return stream_step(st, err);
    if (!s->res) {
        s->res = PQexecPrepared(db_pg_h(st->conn), s->name, s->nparams, s->vals, s->lens, s->fmts, 0);
        ExecStatusType t = PQresultStatus(s->res);
        if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
            db_pg_fail(db_pg_h(st->conn), s->res, "query failed", err);
            pg_reset(st);
            return -1;
        }
        s->row = 0;
    } else {
        s->row++;
    }
    if (s->blob) {
        PQfreemem(s->blob);
        s->blob = NULL;
    }
    return s->row < PQntuples(s->res) ? 1 : 0;
}

static bool pg_col_null(struct db_stmt *st, int i)
{
    return PQgetisnull(PS(st)->res, PS(st)->row, i) != 0;
}
static const char *pg_col_text(struct db_stmt *st, int i)
{
    if (pg_col_null(st, i))
        return NULL;
    return PQgetvalue(PS(st)->res, PS(st)->row, i);
}
static int64_t pg_col_i64(struct db_stmt *st, int i)
{
    const char *t = pg_col_text(st, i);
    if (!t)
        return 0;
    if (t[0] == 't' || t[0] == 'f') /* booleans come as t and f */
        return t[0] == 't';
    return strtoll(t, NULL, 10);
}
static double pg_col_double(struct db_stmt *st, int i)
{
    const char *t = pg_col_text(st, i);
    return t ? strtod(t, NULL) : 0.0;
}
static const void *pg_col_blob(struct db_stmt *st, int i, size_t *n)
{
    struct pg_stmt *s = PS(st);
    *n = 0;
    const char *t = pg_col_text(st, i);
    if (!t)
        return NULL;
    if (s->blob)
        PQfreemem(s->blob);
    s->blob = PQunescapeBytea((const unsigned char *)t, n);
    return s->blob;
}

/* ---- transactions and generation ------------------------------------------------------------- */

static int pg_begin(struct db_conn *c, bool write, struct purpose_err *err)
{
    ((struct pg_conn *)c)->wrote = write;
    return pg_exec(c, "BEGIN", err);
}

static int pg_commit(struct db_conn *c, struct purpose_err *err)
{
    struct pg_conn *pc = (struct pg_conn *)c;
    if (pg_exec(c, "COMMIT", err) < 0) {
        pg_exec(c, "ROLLBACK", NULL);
        return -1;
    }
    /* After the commit, so a reader that sees the new number also sees the new data. */
    if (pc->wrote && pg_exec(c, "SELECT nextval('purpose_generation')", err) < 0)
        return -1;
    pc->wrote = false;
    return 0;
}

static int pg_changed(struct db_conn *c, bool *changed, struct purpose_err *err)
{
    /* PostgreSQL gives a transaction an id at its first change, and only then. */
    struct db_stmt *st;
    int rc = pg_prepare(c, "SELECT pg_current_xact_id_if_assigned() IS NOT NULL", &st, err);
    if (rc == 0 && (rc = pg_step(st, err)) == 1) {
        *changed = pg_col_i64(st, 0) != 0;
        rc = 0;
    } else if (rc == 0) {
        rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "postgresql: no answer to whether a change was made");
    }
    if (rc == 0)
        pg_reset(st);
    return rc < 0 ? -1 : 0;
}

static void pg_rollback(struct db_conn *c)
{
    ((struct pg_conn *)c)->wrote = false;
    if (PQtransactionStatus(db_pg_h(c)) != PQTRANS_IDLE)
        pg_exec(c, "ROLLBACK", NULL);
}

static int gen_query(struct db *db, uint64_t *gen, struct purpose_err *err)
{
    struct db_conn *c;
    if (db_pg_acquire(db, false, &c, err) < 0)
        return -1;
    /* Asked on every request: a statement prepared once per connection costs the server less than
     * parsing the query each time. */
    static const char sql[] = "SELECT last_value, is_called FROM purpose_generation";
    struct db_stmt *st;
    int rc = pg_prepare(c, sql, &st, err);
    if (rc == 0 && (rc = pg_step(st, err)) == 1) {
        *gen = (uint64_t)pg_col_i64(st, 0) * 2 + (uint64_t)pg_col_i64(st, 1);
        rc = 0;
    } else if (rc == 0) {
        rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "postgresql: the change generation is missing");
    }
    if (rc == 0)
        pg_reset(st);
    db_pg_release(db, c);
    return rc < 0 ? -1 : 0;
}

/* Every request reads the generation: concurrent requests share reads (db_genshare.h). */
static int pg_generation(struct db *db, uint64_t *gen, struct purpose_err *err)
{
    return db_genshare_read(&((struct pg_db *)db)->gens, gen_query, db, gen, err);
}


/* ---- open and close --------------------------------------------------------------------------- */

static void pg_close(struct db *base)
{
    struct pg_db *d = (struct pg_db *)base;
    for (int i = 0; i < PG_POOL; i++)
        db_pg_conn_free(d->pool[i]);
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->cv);
    db_genshare_release(&d->gens);
    free(d->url);
    free(d);
}

static const struct db_driver pg_driver = {
    .name = "postgresql",
    .engine = DB_POSTGRES,
    .close = pg_close,
    .acquire = db_pg_acquire,
    .release = db_pg_release,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_i64 = pg_bind_i64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .stream = pg_stream,
    .reset = pg_reset,
    .col_null = pg_col_null,
    .col_i64 = pg_col_i64,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .generation = pg_generation,
    .changed = pg_changed,
    .bulk_begin = db_pg_bulk_begin,
    .bulk_row = db_pg_bulk_row,
    .bulk_end = db_pg_bulk_end,
};

static int pg_open(const char *url, bool standby, struct db **out, struct purpose_err *err)
{
    *out = NULL;
    struct pg_db *d = calloc(1, sizeof *d);
    if (!d || !(d->url = strdup(url)) || pthread_mutex_init(&d->mu, NULL) != 0) {
        if (d)
            free(d->url);
        free(d);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "postgresql: out of memory");
    }
    pthread_cond_init(&d->cv, NULL);
    db_genshare_init(&d->gens);
    d->base.drv = d->base.real = &pg_driver;
    /* Connect once now, so a wrong URL or a server that is down is reported at start; the change
     * generation is a sequence the driver keeps for itself. */
    if (db_pg_conn_new(d, &d->pool[0], err) < 0 ||
        (!standby && pg_exec(&d->pool[0]->base, "CREATE SEQUENCE IF NOT EXISTS purpose_generation", err) < 0)) {
        pg_close(&d->base);
        return -1;
    }
    *out = &d->base;
    return 0;
}

int db_pg_open(const char *url, struct db **out, struct purpose_err *err)
{
    return pg_open(url, false, out, err);
}

/* A hot standby takes no DDL: its sequence comes from the primary (db_replica.c). */
int db_pg_open_standby(const char *url, struct db **out, struct purpose_err *err)
{
    return pg_open(url, true, out, err);
}
