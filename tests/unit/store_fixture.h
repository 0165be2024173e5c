/* The store under test on either engine, for the unit tests that run as two cmocka groups: "(sqlite)"
 * on a new file in a temporary folder, then "(postgresql)" on the database PURPOSE_TEST_PG names
 * (tests/run.sh starts a throwaway server), emptied before each test. Included by one test file. */
#ifndef PURPOSE_TESTS_STORE_FIXTURE_H
#define PURPOSE_TESTS_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "db/db.h"
#include "store/store.h"

/* The engine the group runs on: NULL for SQLite, else a PostgreSQL URL. */
static const char *pg_url;

/* Runs sql on the database at location, outside the store, as an administrator would. */
static inline int raw_exec(const char *location, const char *sql)
{
    struct purpose_err err = {0};
    struct db *db;
    struct db_conn *c;
    if (db_open(location, &db, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(db_acquire(db, true, &c, &err), 0);
    int rc = db_exec(c, sql, &err);
    db_release(c);
    db_close(&db);
    return rc;
}

/* The first column of every row sql returns, one line each ("NULL" for a null), read outside the
 * store; malloc'd. */
static inline char *raw_dump(const char *location, const char *sql)
{
    struct purpose_err err = {0};
    struct db *db;
    struct db_conn *c;
    struct db_stmt *st = NULL;
    assert_int_equal(db_open(location, &db, &err), 0);
    assert_int_equal(db_acquire(db, false, &c, &err), 0);
    assert_int_equal(db_query(c, &st, &err, sql, ""), 0);
    struct buf b;
    buf_init(&b, 1u << 20);
    int r;
    while ((r = db_step(st, &err)) > 0)
        buf_printf(&b, "%s\n", db_col_text(st, 0) ? db_col_text(st, 0) : "NULL");
    assert_int_equal(r, 0);
    db_reset(st);
    db_release(c);
    db_close(&db);
    assert_false(b.failed);
    char *out = calloc(1, b.len + 1);
    assert_non_null(out);
    if (b.len)
        memcpy(out, b.data, b.len);
    buf_release(&b);
    return out;
}

/* An empty database for one test, named by path: the URL with its schema dropped and made again on
 * PostgreSQL; on SQLite a file in a new folder dir, "/tmp/purpose-<what>-XXXXXX". */
static inline void fixture_fresh(char dir[64], char path[512], const char *what)
{
    if (pg_url) {
        snprintf(path, 512, "%s", pg_url);
        assert_int_equal(raw_exec(pg_url, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"), 0);
        return;
    }
    snprintf(dir, 64, "/tmp/purpose-%s-XXXXXX", what);
    assert_non_null(mkdtemp(dir));
    snprintf(path, 512, "%s/p.db", dir);
}

/* The key file of the database at path: beside a SQLite file; on PostgreSQL one file for the whole
 * run, which each new database adopts. */
static inline void fixture_key_path(const char *path, char out[600])
{
    if (pg_url)
        snprintf(out, 600, "/tmp/purpose-unit-pg-%ld.key", (long)getpid());
    else
        snprintf(out, 600, "%s.key", path);
}

static inline void fixture_pg_key_remove(void)
{
    char key[600];
    snprintf(key, sizeof key, "/tmp/purpose-unit-pg-%ld.key", (long)getpid());
    unlink(key);
}

/* store_open with the database's key file, made on first open as purpose init makes it. */
static inline int fixture_store_open(const char *path, struct store **s, struct purpose_err *err)
{
    static bool registered;
    if (pg_url && !registered)
        registered = atexit(fixture_pg_key_remove) == 0;
    char key[600];
    fixture_key_path(path, key);
    struct store_keyfile kf = {.path = key, .create = true};
    return store_open(path, &kf, s, err);
}

/* Removes what fixture_fresh made on SQLite (the database with its WAL files and key, and the folder). */
static inline void fixture_remove(const char *dir, const char *path)
{
    if (pg_url)
        return;
    static const char *const ext[] = {"", "-wal", "-shm", ".key"};
    char p[600];
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, ext[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* The which-th write of a failed-write test, on the test's own ids (ctx). */
typedef int (*fixture_write)(struct store *s, int which, void *ctx, struct purpose_err *err);
/* What a failed write must leave unchanged: a text dump of the tables the writes touch (malloc'd). */
typedef char *(*fixture_snapshot)(struct store *s, const char *path);

/* For each of n_writes writes: fails its first step, then its second, and so on until it succeeds
 * (at most max_steps). Each failure must be the injected fault and leave the snapshot as it was;
 * the success must change it; and each write must fail at 3 steps at least (BEGIN, the work, the
 * audit row and COMMIT are places to fail), so the sweep reached its transaction. */
static inline void fault_sweep(struct store *s, const char *path, int n_writes, int max_steps, fixture_write write,
                               void *ctx, fixture_snapshot snap)
{
    for (int which = 0; which < n_writes; which++) {
        int faults = 0;
        for (int n = 1; n <= max_steps; n++) {
            char *before = snap(s, path);
            struct purpose_err err = {0};
            store_fault_after(s, n);
            int rc = write(s, which, ctx, &err);
            store_fault_after(s, 0);
            char *after = snap(s, path);
            bool done = rc == 0;
            if (done)
                assert_string_not_equal(before, after); /* the write did something */
            else if (!strstr(err.msg, "injected fault"))
                fail_msg("write %d failing at step %d: %s", which, n, err.msg);
            else if (strcmp(before, after) != 0)
                fail_msg("write %d failing at step %d changed the store:\n%s\n---\n%s", which, n, before, after);
            free(after);
            free(before);
            if (done)
                break;
            faults++;
        }
        if (faults < 3)
            fail_msg("write %d failed at only %d steps", which, faults);
    }
}

/* Runs the tests as "name (sqlite)", then as "name (postgresql)" when PURPOSE_TEST_PG is set;
 * the number of failures. */
#define run_on_both_engines(name, tests)                                                                  \
    (pg_url = NULL, cmocka_run_group_tests_name(name " (sqlite)", tests, NULL, NULL) +                    \
                        ((pg_url = getenv("PURPOSE_TEST_PG")) && *pg_url                                  \
                             ? cmocka_run_group_tests_name(name " (postgresql)", tests, NULL, NULL)       \
                             : (printf("# " name " (postgresql): skipped, PURPOSE_TEST_PG is not set\n"), \
                                pg_url = NULL, 0)))

#ifdef STORE_FIXTURE_ONE_ORGANISATION
/* The fixture of the tests that work in one organisation (define STORE_FIXTURE_ONE_ORGANISATION
 * before including this file): a fresh store per test with its first organisation, org. */
static const struct store_actor tester = {1, "tester"};

struct fixture {
    char dir[64];
    char path[512];
    struct store *s;
};

static int64_t org;
#define ORG ((struct store_scope){STORE_SCOPE_ORG, org})

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    fixture_fresh(f->dir, f->path, "store");
    struct purpose_err err = {0};
    assert_int_equal(fixture_store_open(f->path, &f->s, &err), 0);
    assert_int_equal(store_org_add(f->s, &tester, "trust", "A Trust", "nhs_trust", "", &org, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(&f->s);
    fixture_remove(f->dir, f->path);
    free(f);
    return 0;
}
#endif

#endif
