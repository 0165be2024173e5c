/* The SQL driver on each engine (SQLite always; PostgreSQL when PURPOSE_TEST_PG names a database):
 * placeholders written once, RETURNING and ON CONFLICT, the bulk path with every awkward byte,
 * streaming reads, the change generation seen across connections, unique violations as conflicts,
 * the fault wrapper failing a bulk load that then leaves nothing behind, and PostgreSQL's reads
 * never waiting for a connection behind writes. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "core/banned.h"

#define ROWS 20000

static const char *location; /* a SQLite path or a PostgreSQL URL */
static char sqlite_dir[64], sqlite_path[96];

struct fx {
    struct db *db;
    struct db_conn *c;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct purpose_err err = {0};
    assert_non_null(f);
    if (db_open(location, &f->db, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(db_acquire(f->db, true, &f->c, &err), 0);
    db_exec(f->c, "DROP TABLE IF EXISTS t", &err);
    assert_int_equal(db_exec(f->c, "CREATE TABLE t(k BIGINT NOT NULL UNIQUE, v TEXT)", &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    db_release(f->c);
    db_close(&f->db);
    free(f);
    return 0;
}

static int64_t count(struct db_conn *c)
{
    int64_t n = -1;
    struct purpose_err err = {0};
    assert_int_equal(db_run_i64(c, &n, &err, "SELECT COUNT(*) FROM t", ""), 0);
    return n;
}

/* Text with every byte the COPY text format escapes, NUL aside, and some UTF-8. */
static void awkward(int i, char *out, size_t n)
{
    snprintf(out, n, "row %d\ttab\nnewline\rcr\\backslash \\N not null \xc2\xa3 %s", i, i % 2 ? "odd" : "even");
}

/* A connection prepares as many distinct statements as the program has (a sanitized build sees a few
 * hundred: equal literals are not merged), every one still answering after the rest: once, a full
 * statement cache failed every request that needed one more. */
static void test_many_statements(void **state)
{
    struct fx *f = *state;
    struct purpose_err err = {0};
    enum { N = 400 };
    char *sql[N];
    for (int i = 0; i < N; i++) {
        sql[i] = malloc(48);
        assert_non_null(sql[i]);
        snprintf(sql[i], 48, "SELECT %d + ?", i);
    }
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < N; i++) {
            int64_t v = -1;
            if (db_run_i64(f->c, &v, &err, sql[i], "i", (int64_t)1) < 0)
                fail_msg("statement %d: %s", i, err.msg);
            assert_int_equal(v, i + 1);
        }
    for (int i = 0; i < N; i++)
        free(sql[i]);
}

static void test_placeholders_returning_conflict(void **state)
{
    struct fx *f = *state;
    struct purpose_err err = {0};
    int64_t k = 0;
    assert_int_equal(db_run_i64(f->c, &k, &err, "INSERT INTO t(k, v) VALUES(?, ?) RETURNING k", "it", (int64_t)7, "a?b"), 0);
    assert_int_equal(k, 7);
    struct db_stmt *st;
    assert_int_equal(db_query(f->c, &st, &err, "SELECT v, '?' FROM t WHERE k = ?", "i", (int64_t)7), 0);
    assert_int_equal(db_step(st, &err), 1);
    assert_string_equal(db_col_text(st, 0), "a?b");
    assert_string_equal(db_col_text(st, 1), "?"); /* a ? inside quotes is not a placeholder */
    db_reset(st);
    assert_int_equal(db_run(f->c, &err, "INSERT INTO t(k, v) VALUES(?, ?)", "it", (int64_t)7, "again"), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_CONFLICT);
    assert_int_equal(db_run(f->c, &err, "INSERT INTO t(k, v) VALUES(?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
                            "it", (int64_t)7, "updated"), 0);
    assert_int_equal(db_query(f->c, &st, &err, "SELECT v FROM t WHERE k = ?", "i", (int64_t)7), 0);
    assert_int_equal(db_step(st, &err), 1);
    assert_string_equal(db_col_text(st, 0), "updated");
    db_reset(st);
}

static void test_bulk_and_streaming(void **state)
{
    struct fx *f = *state;
    struct purpose_err err = {0};
    static const char *const cols[] = {"k", "v"};
    assert_int_equal(db_begin(f->c, true, &err), 0);
    struct db_bulk *b;
    assert_int_equal(db_bulk_begin(f->c, "t", cols, 2, &b, &err), 0);
    for (int i = 1; i <= ROWS; i++) {
        char k[24], v[128];
        snprintf(k, sizeof k, "%d", i);
        awkward(i, v, sizeof v);
        const char *vals[] = {k, i % 1000 == 0 ? NULL : v};
        if (db_bulk_row(b, vals, &err) < 0)
            fail_msg("row %d: %s", i, err.msg);
    }
    if (db_bulk_end(b, true, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(db_commit(f->c, &err), 0);
    assert_int_equal(count(f->c), ROWS);

    /* Every row back, one at a time, exactly as loaded. */
    struct db_stmt *st;
    assert_int_equal(db_query(f->c, &st, &err, "SELECT k, v FROM t ORDER BY k", ""), 0);
    db_stream(st);
    int64_t n = 0, sum = 0;
    int r;
    while ((r = db_step(st, &err)) == 1) {
        int64_t k = db_col_i64(st, 0);
        char want[128];
        awkward((int)k, want, sizeof want);
        if (k % 1000 == 0)
            assert_true(db_col_null(st, 1));
        else if (strcmp(db_col_text(st, 1), want) != 0)
            fail_msg("row %lld came back as \"%s\"", (long long)k, db_col_text(st, 1));
        sum += k;
        n++;
    }
    assert_int_equal(r, 0);
    db_reset(st);
    assert_int_equal(n, ROWS);
    assert_int_equal(sum, (int64_t)ROWS * (ROWS + 1) / 2);

    /* A stream left half read is dropped by reset, and the connection goes on working. */
    assert_int_equal(db_query(f->c, &st, &err, "SELECT k FROM t ORDER BY k", ""), 0);
    db_stream(st);
    assert_int_equal(db_step(st, &err), 1);
    assert_int_equal(db_col_i64(st, 0), 1);
    db_reset(st);
    assert_int_equal(count(f->c), ROWS);
}

static void test_abandoned_and_failed_bulk_leave_nothing(void **state)
{
    struct fx *f = *state;
    struct purpose_err err = {0};
    static const char *const cols[] = {"k", "v"};
    struct db_bulk *b;
    const char *vals[] = {"1", "one"};
    assert_int_equal(db_begin(f->c, true, &err), 0);
    assert_int_equal(db_bulk_begin(f->c, "t", cols, 2, &b, &err), 0);
    assert_int_equal(db_bulk_row(b, vals, &err), 0);
    assert_int_equal(db_bulk_end(b, false, &err), 0);
    db_rollback(f->c);
    assert_int_equal(count(f->c), 0);

    /* The fault wrapper fails the 500th row: the caller rolls back and nothing is stored. */
    assert_int_equal(db_begin(f->c, true, &err), 0);
    assert_int_equal(db_bulk_begin(f->c, "t", cols, 2, &b, &err), 0);
    db_fault_after(f->db, 500);
    int rc = 0, i;
    for (i = 1; i <= 1000 && rc == 0; i++) {
        char k[24];
        snprintf(k, sizeof k, "%d", i);
        const char *v2[] = {k, "x"};
        rc = db_bulk_row(b, v2, &err);
    }
    db_fault_after(f->db, 0);
    assert_int_equal(rc, -1);
    assert_int_equal(i - 1, 500);
    assert_non_null(strstr(err.msg, "injected fault"));
    db_bulk_end(b, false, &err);
    db_rollback(f->c);
    assert_int_equal(count(f->c), 0);
}

static void test_generation_sees_other_connections(void **state)
{
    struct fx *f = *state;
    struct purpose_err err = {0};
    struct db *other;
    uint64_t g1, g2, g3;
    assert_int_equal(db_open(location, &other, &err), 0);
    assert_int_equal(db_generation(f->db, &g1, &err), 0);
    assert_int_equal(db_generation(f->db, &g2, &err), 0);
    assert_true(g1 == g2); /* nothing happened */
    struct db_conn *c;
    assert_int_equal(db_acquire(other, true, &c, &err), 0);
    assert_int_equal(db_begin(c, true, &err), 0);
    assert_int_equal(db_run(c, &err, "INSERT INTO t(k, v) VALUES(?, ?)", "it", (int64_t)1, "from elsewhere"), 0);
    assert_int_equal(db_commit(c, &err), 0);
    db_release(c);
    db_close(&other);
    assert_int_equal(db_generation(f->db, &g3, &err), 0);
    assert_true(g3 != g1);
}

#define PG_READS 12 /* the connections PostgreSQL keeps for reads: 24 in all */

struct waiter {
    struct db *db;
    struct db_conn *c;
    atomic_bool got;
};

static void *acquire_write(void *p)
{
    struct waiter *w = p;
    struct purpose_err err = {0};
    if (db_acquire(w->db, true, &w->c, &err) == 0)
        atomic_store(&w->got, true);
    return NULL;
}

/* PostgreSQL: writes take at most DB_PG_WRITERS connections, so that with that many write
 * transactions held open (waiting on locks, say), the next write waits while reads go on. */
static void test_writes_leave_connections_for_reads(void **state)
{
    struct fx *f = *state;
    if (db_engine(f->db) != DB_POSTGRES)
        skip();
    struct purpose_err err = {0};
    struct db_conn *w[DB_PG_WRITERS];
    w[0] = f->c; /* the fixture's */
    for (int i = 1; i < DB_PG_WRITERS; i++)
        assert_int_equal(db_acquire(f->db, true, &w[i], &err), 0);
    struct db_conn *r[PG_READS];
    for (int i = 0; i < PG_READS; i++) /* every connection made first: the waits below are not connects */
        assert_int_equal(db_acquire(f->db, false, &r[i], &err), 0);
    for (int i = 0; i < PG_READS; i++)
        db_release(r[i]);
    struct waiter next = {.db = f->db};
    atomic_init(&next.got, false);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, acquire_write, &next), 0);
    usleep(300 * 1000);
    assert_false(atomic_load(&next.got)); /* the write waits for one of the writers' connections */
    for (int i = 0; i < PG_READS; i++)
        assert_int_equal(db_acquire(f->db, false, &r[i], &err), 0); /* at once: the wait is 10 s */
    db_release(w[DB_PG_WRITERS - 1]);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_true(atomic_load(&next.got));
    db_release(next.c);
    for (int i = 0; i < PG_READS; i++)
        db_release(r[i]);
    for (int i = 1; i < DB_PG_WRITERS - 1; i++)
        db_release(w[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_placeholders_returning_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_and_streaming, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abandoned_and_failed_bulk_leave_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_generation_sees_other_connections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writes_leave_connections_for_reads, setup, teardown),
    };
    snprintf(sqlite_dir, sizeof sqlite_dir, "/tmp/purpose-db-XXXXXX");
    if (!mkdtemp(sqlite_dir))
        return 1;
    snprintf(sqlite_path, sizeof sqlite_path, "%s/t.db", sqlite_dir);
    location = sqlite_path;
    int failed = cmocka_run_group_tests_name("db (sqlite)", tests, NULL, NULL);
    char p[128];
    unlink(sqlite_path);
    snprintf(p, sizeof p, "%s-wal", sqlite_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", sqlite_path);
    unlink(p);
    rmdir(sqlite_dir);
    location = getenv("PURPOSE_TEST_PG");
    if (location && *location)
        failed += cmocka_run_group_tests_name("db (postgresql)", tests, NULL, NULL);
    else
        printf("# db (postgresql): skipped, PURPOSE_TEST_PG is not set\n");
    return failed;
}
