/* Fault injection as a driver: it wraps an engine's driver and makes the n-th call that touches the
 * database (a begin, a step, an exec, a commit, a bulk row) fail as the engine would, so tests can prove
 * that a failed write changes nothing, on every engine. The engines know nothing of it. Two triggers:
 * db_fault_after counts every call of the database (unit tests), db_fault_arm the calls of one thread
 * from now (a server under test fails the n-th step of each request it is asked to). */
#include <string.h>

#include "db/db.h"
#include "core/banned.h"

/* Per-request faults (db_fault_arm): the count of the calling thread, so that concurrent requests
 * on other threads neither fail nor count; and what the thread did before the fault fired. */
static _Thread_local int thread_after, thread_calls, thread_commits;
static _Thread_local bool thread_in_write, thread_writer;
static _Thread_local struct db_fault_report thread_report;

static bool fault_now(struct db *db, struct purpose_err *err)
{
    bool fire = false;
    if (db->fault_after > 0 && ++db->fault_calls == db->fault_after) {
        db->fault_after = 0;
        fire = true;
    } else if (thread_after > 0 && ++thread_calls == thread_after) {
        thread_after = 0;
        thread_report = (struct db_fault_report){true, thread_commits, thread_in_write, thread_writer};
        fire = true;
    }
    if (fire)
        purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "database: injected fault");
    return fire;
}

static int f_exec(struct db_conn *c, const char *sql, struct purpose_err *err)
{
    return fault_now(c->db, err) ? -1 : c->db->real->exec(c, sql, err);
}

static int f_begin(struct db_conn *c, bool write, struct purpose_err *err)
{
    if (fault_now(c->db, err) || c->db->real->begin(c, write, err) < 0)
        return -1;
    thread_in_write = write;
    return 0;
}

static int f_acquire(struct db *db, bool write, struct db_conn **c, struct purpose_err *err)
{
    thread_writer |= write;
    return db->real->acquire(db, write, c, err);
}

static void f_rollback(struct db_conn *c)
{
    thread_in_write = false;
    c->db->real->rollback(c);
}

static int f_step(struct db_stmt *st, struct purpose_err *err)
{
    struct db *db = st->conn->db;
    if (fault_now(db, err)) {
        db->real->reset(st);
        return -1;
    }
    return db->real->step(st, err);
}

static int f_commit(struct db_conn *c, struct purpose_err *err)
{
    bool wrote = thread_in_write;
    if (fault_now(c->db, err)) {
        thread_in_write = false;
        c->db->real->rollback(c);
        return -1;
    }
    thread_in_write = false;
    if (c->db->real->commit(c, err) < 0)
        return -1;
    thread_commits += wrote;
    return 0;
}

static int f_bulk_row(struct db_bulk *b, const char *const *vals, struct purpose_err *err)
{
    return fault_now(b->conn->db, err) ? -1 : b->conn->db->real->bulk_row(b, vals, err);
}

/* One wrapped table per engine, filled on first use (before any thread runs queries). */
static struct db_driver wrapped[2];

static const struct db_driver *wrapper(struct db *db)
{
    struct db_driver *w = &wrapped[db->real->engine == DB_POSTGRES];
    if (!w->name) {
        *w = *db->real;
        w->name = "fault";
        w->exec = f_exec;
        w->begin = f_begin;
        w->step = f_step;
        w->commit = f_commit;
        w->rollback = f_rollback;
        w->acquire = f_acquire;
        w->bulk_row = f_bulk_row;
    }
    return w;
}

void db_fault_after(struct db *db, int n)
{
    db->fault_calls = 0;
    db->fault_after = n;
    db->drv = n > 0 || db->fault_armable ? wrapper(db) : db->real;
}

void db_fault_armable(struct db *db)
{
    db->fault_armable = true;
    db->drv = wrapper(db);
}

void db_fault_arm(int n)
{
    thread_calls = thread_commits = 0;
    thread_in_write = thread_writer = false;
    thread_report = (struct db_fault_report){0};
    thread_after = n > 0 ? n : 0;
}

int db_fault_calls(void)
{
    return thread_calls;
}

void db_fault_report(struct db_fault_report *out)
{
    *out = thread_report;
}
