/* Fault injection as a driver: it wraps an engine's driver and makes the n-th call that touches the
 * database (a begin, a step, an exec, a commit, a bulk row) fail as the engine would, so tests can prove
 * that a failed write changes nothing, on every engine. The engines know nothing of it. */
#include <string.h>

#include "db/db.h"
#include "core/banned.h"

static bool fault_now(struct db *db, struct purpose_err *err)
{
    if (db->fault_after <= 0 || ++db->fault_calls != db->fault_after)
        return false;
    db->fault_after = 0;
    purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "database: injected fault");
    return true;
}

static int f_exec(struct db_conn *c, const char *sql, struct purpose_err *err)
{
    return fault_now(c->db, err) ? -1 : c->db->real->exec(c, sql, err);
}

static int f_begin(struct db_conn *c, bool write, struct purpose_err *err)
{
    return fault_now(c->db, err) ? -1 : c->db->real->begin(c, write, err);
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
    if (fault_now(c->db, err)) {
        c->db->real->rollback(c);
        return -1;
    }
    return c->db->real->commit(c, err);
}

static int f_bulk_row(struct db_bulk *b, const char *const *vals, struct purpose_err *err)
{
    return fault_now(b->conn->db, err) ? -1 : b->conn->db->real->bulk_row(b, vals, err);
}

/* One wrapped table per engine, filled on first use (tests are single-threaded here). */
static struct db_driver wrapped[2];

void db_fault_after(struct db *db, int n)
{
    struct db_driver *w = &wrapped[db->real->engine == DB_POSTGRES];
    if (!w->name) {
        *w = *db->real;
        w->name = "fault";
        w->exec = f_exec;
        w->begin = f_begin;
        w->step = f_step;
        w->commit = f_commit;
        w->bulk_row = f_bulk_row;
    }
    db->fault_calls = 0;
    db->fault_after = n;
    db->drv = n > 0 ? w : db->real;
}
