/* The PostgreSQL engine (libpq): a pool of connections opened on demand, statements prepared once
 * per connection with `?` rewritten to $n, parameters sent as text (bytes as binary), results read
 * whole (the store's reads are small; bulk data goes in by COPY). Several `purpose serve` processes
 * can share one database: the change generation is a sequence every write transaction advances
 * after it commits, so every process sees every other's changes on its next request. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "db/db.h"
#include "db/db_genshare.h"
#include "core/banned.h"

#define PG_POOL 24 /* above serve's default threads on 4 cores, so a thread rarely waits for one */
/* Writes take at most DB_PG_WRITERS of them (db.h), the first ones; reads take the last free one, so
 * the rest is always there for reads: a read never waits for a connection behind writes held up by
 * locks or commits. */
#define PG_WRITERS DB_PG_WRITERS
/* Prepared statements per connection, keyed by their SQL literal. The cache grows as statements are
 * first used (the program has a few hundred; a sanitized build does not merge equal literals, so it
 * sees more); PG_CACHE_MAX only guards against SQL built at run time, which must not come here. */
#define PG_CACHE_FIRST 64
#define PG_CACHE_MAX 4096
#define PG_PARAMS 16
#define PG_COPY_BUF 65536
#define PG_CONNECT_TIMEOUT "5" /* seconds */
#define PG_WAIT_SECONDS 10    /* for a free pooled connection, well inside a request's timeout */

struct pg_stmt {
    struct db_stmt base;
    const char *sql;
    char name[16];
    int nparams;
    const char *vals[PG_PARAMS];
    int lens[PG_PARAMS];
    int fmts[PG_PARAMS];
    char num[PG_PARAMS][32];
    PGresult *res;
    int row; /* the next row db_step returns */
    bool stream;    /* the next run uses single-row mode */
    bool streaming; /* a single-row run is under way */
    unsigned char *blob;
};

struct pg_conn {
    struct db_conn base;
    PGconn *h;
    struct pg_stmt **cache;
    size_t n, cap;
    bool busy, wrote;
};

struct pg_bulk {
    struct db_bulk base;
    char *buf;
    size_t len;
    int ncols;
};

struct pg_db {
    struct db base;
    char *url;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct pg_conn *pool[PG_POOL];
    struct db_genshare gens; /* generation reads shared between threads */
};

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

static int pg_fail(PGconn *h, const PGresult *res, const char *what, struct purpose_err *err)
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

static void no_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* ---- connections ------------------------------------------------------------------------------ */

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

static void stmt_clear(struct pg_stmt *s)
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

static void conn_free(struct pg_conn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        stmt_clear(c->cache[i]);
        free(c->cache[i]);
    }
    free(c->cache);
    PQfinish(c->h);
    free(c);
}

static int conn_new(struct pg_db *d, struct pg_conn **out, struct purpose_err *err)
{
    struct pg_conn *c = calloc(1, sizeof *c);
    if (!c)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "postgresql: out of memory");
    c->base.db = &d->base;
    /* A server that does not answer fails the connection in PG_CONNECT_TIMEOUT seconds, not the
     * system's TCP timeout; the URL's own connect_timeout, if any, comes later and wins. */
    const char *const keys[] = {"connect_timeout", "dbname", NULL};
    const char *const vals[] = {PG_CONNECT_TIMEOUT, d->url, NULL};
    c->h = PQconnectdbParams(keys, vals, 1);
    if (!c->h || PQstatus(c->h) != CONNECTION_OK) {
        pg_fail(c->h, NULL, "cannot connect", err);
        PQfinish(c->h);
        free(c);
        return -1;
    }
    PQsetNoticeProcessor(c->h, no_notices, NULL);
    *out = c;
    return 0;
}

/* Whether an idle pooled connection still has its server. An idle connection has nothing to read,
 * so a readable socket means the server closed it (a restart, an administrator's termination) or
 * sent a notice; reading it lets libpq tell which. Checked at every acquire, so that after an
 * outage the first request on each connection does not fail on a connection that died idle. */
static bool conn_alive(struct pg_conn *c)
{
    if (PQstatus(c->h) != CONNECTION_OK || PQtransactionStatus(c->h) != PQTRANS_IDLE)
        return false;
    struct pollfd p = {.fd = PQsocket(c->h), .events = POLLIN};
    if (p.fd < 0)
        return false;
    int n = poll(&p, 1, 0);
    if (n == 0)
        return true;
    if (n < 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL)))
        return false;
    PQconsumeInput(c->h);
    PGnotify *note;
    while ((note = PQnotifies(c->h)) != NULL)
        PQfreemem(note);
    return PQstatus(c->h) == CONNECTION_OK && !PQisBusy(c->h);
}

/* A connection whose server went away is reopened when next taken from the pool. A thread waits
 * for a free connection at most PG_WAIT_SECONDS, then gets an unavailable error (503). */
static int pg_acquire(struct db *base, bool write, struct db_conn **out, struct purpose_err *err)
{
    struct pg_db *d = (struct pg_db *)base;
    int n = write ? PG_WRITERS : PG_POOL;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += PG_WAIT_SECONDS;
    pthread_mutex_lock(&d->mu);
    for (;;) {
        for (int k = 0; k < n; k++) {
            int i = write ? k : PG_POOL - 1 - k;
            if (d->pool[i] && d->pool[i]->busy)
                continue;
            if (d->pool[i] && !conn_alive(d->pool[i])) {
                conn_free(d->pool[i]);
                d->pool[i] = NULL;
            }
            if (!d->pool[i] && conn_new(d, &d->pool[i], err) < 0) {
                pthread_mutex_unlock(&d->mu);
                return -1;
            }
            d->pool[i]->busy = true;
            *out = &d->pool[i]->base;
            pthread_mutex_unlock(&d->mu);
            return 0;
        }
        if (pthread_cond_timedwait(&d->cv, &d->mu, &until) == ETIMEDOUT) {
            pthread_mutex_unlock(&d->mu);
            return purpose_errk(err, PURPOSE_ERR_UNAVAILABLE, NULL,
                                "postgresql: every connection stayed busy for %d s", PG_WAIT_SECONDS);
        }
    }
}

static void pg_release(struct db *base, struct db_conn *c)
{
    struct pg_db *d = (struct pg_db *)base;
    pthread_mutex_lock(&d->mu);
    ((struct pg_conn *)c)->busy = false;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

static PGconn *H(struct db_conn *c)
{
    return ((struct pg_conn *)c)->h;
}

static int pg_exec(struct db_conn *c, const char *sql, struct purpose_err *err)
{
    PGresult *res = PQexec(H(c), sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : pg_fail(H(c), res, "query failed", err);
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
        int rc = pg_fail(c->h, res, "cannot prepare a query", err);
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
    stmt_clear(s);
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
    PGconn *h = H(st->conn);
    if (!s->streaming) {
        if (!PQsendQueryPrepared(h, s->name, s->nparams, s->vals, s->lens, s->fmts, 0) || !PQsetSingleRowMode(h)) {
            pg_fail(h, NULL, "query failed", err);
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
    int rc = t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK ? 0 : pg_fail(h, s->res, "query failed", err);
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
        s->res = PQexecPrepared(H(st->conn), s->name, s->nparams, s->vals, s->lens, s->fmts, 0);
        ExecStatusType t = PQresultStatus(s->res);
        if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
            pg_fail(H(st->conn), s->res, "query failed", err);
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
    if (PQtransactionStatus(H(c)) != PQTRANS_IDLE)
        pg_exec(c, "ROLLBACK", NULL);
}

static int gen_query(struct db *db, uint64_t *gen, struct purpose_err *err)
{
    struct db_conn *c;
    if (pg_acquire(db, false, &c, err) < 0)
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
    pg_release(db, c);
    return rc < 0 ? -1 : 0;
}

/* Every request reads the generation: concurrent requests share reads (db_genshare.h). */
static int pg_generation(struct db *db, uint64_t *gen, struct purpose_err *err)
{
    return db_genshare_read(&((struct pg_db *)db)->gens, gen_query, db, gen, err);
}

/* ---- bulk load: COPY FROM STDIN in text format -------------------------------------------------- */

static int pg_bulk_begin(struct db_conn *c, const char *table, const char *const *cols, int ncols,
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
    PGresult *res = PQexec(H(c), sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        int rc = pg_fail(H(c), res, "bulk load", err);
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
    if (b->len > 0 && PQputCopyData(H(b->base.conn), b->buf, (int)b->len) != 1)
        return pg_fail(H(b->base.conn), NULL, "bulk load", err);
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
static int pg_bulk_row(struct db_bulk *base, const char *const *vals, struct purpose_err *err)
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

static int pg_bulk_end(struct db_bulk *base, bool ok, struct purpose_err *err)
{
    struct pg_bulk *b = (struct pg_bulk *)base;
    PGconn *h = H(base->conn);
    int rc = ok ? flush(b, err) : 0;
    if (PQputCopyEnd(h, rc == 0 && ok ? NULL : "abandoned") != 1 && rc == 0)
        rc = pg_fail(h, NULL, "bulk load", err);
    PGresult *res;
    while ((res = PQgetResult(h)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0 && ok)
            rc = pg_fail(h, res, "bulk load", err);
        PQclear(res);
    }
    free(b->buf);
    free(b);
    return ok ? rc : 0;
}

/* ---- open and close --------------------------------------------------------------------------- */

static void pg_close(struct db *base)
{
    struct pg_db *d = (struct pg_db *)base;
    for (int i = 0; i < PG_POOL; i++)
        conn_free(d->pool[i]);
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
    .acquire = pg_acquire,
    .release = pg_release,
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
    .bulk_begin = pg_bulk_begin,
    .bulk_row = pg_bulk_row,
    .bulk_end = pg_bulk_end,
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
    if (conn_new(d, &d->pool[0], err) < 0 ||
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
