/* Every measure's points and rebases of an organisation (or a programme) in two streamed reads, for the pages that
 * show all of them at once (the summary, alignment, line of sight): a few queries whatever the
 * number of measures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

static void row_point_at(struct db_stmt *st, struct store_point *p)
{
    const char *d = db_col_text(st, 1);
    snprintf(p->day, sizeof p->day, "%s", d ? d : "");
    p->value = db_col_double(st, 2);
    p->has_den = !db_col_null(st, 3);
    p->den = p->has_den ? db_col_double(st, 3) : 0;
}

void store_measure_data_list_release(struct store_measure_data_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        store_point_list_release(&l->items[i].pts);
        store_rebase_list_release(&l->items[i].rebases);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* The entry for measure id: the last one, or a new one at the end (rows arrive by measure id). */
static struct store_measure_data *data_for(struct store_measure_data_list *l, int64_t id, size_t *cap)
{
    if (l->n && l->items[l->n - 1].measure_id == id)
        return &l->items[l->n - 1];
    if (l->n && l->items[l->n - 1].measure_id > id) /* rebases: find the measure's entry */
        for (size_t i = 0; i < l->n; i++)
            if (l->items[i].measure_id == id)
                return &l->items[i];
    if (l->n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        struct store_measure_data *p = realloc(l->items, c * sizeof *p);
        if (!p)
            return NULL;
        l->items = p;
        *cap = c;
    }
    struct store_measure_data *d = &l->items[l->n++];
    memset(d, 0, sizeof *d);
    d->measure_id = id;
    return d;
}

/* Makes room for item n of an array whose capacity runs 8, 16, 32...: grows when n reaches it. */
static bool room_for(void **items, size_t n, size_t size)
{
    if (n != 0 && (n < 8 || (n & (n - 1)) != 0))
        return true;
    void *p = realloc(*items, (n == 0 ? 8 : n * 2) * size);
    if (!p)
        return false;
    *items = p;
    return true;
}

static int cmp_measure(const void *a, const void *b)
{
    int64_t x = ((const struct store_measure_data *)a)->measure_id, y = ((const struct store_measure_data *)b)->measure_id;
    return (x > y) - (x < y);
}

/* Both queries bind "ii": id1 and id2. */
static int points_all(struct store *s, const char *points_sql, const char *rebases_sql, int64_t id1, int64_t id2,
                      struct store_measure_data_list *out, struct purpose_err *err);

int store_points_all(struct store *s, const struct store_scope *sc, struct store_measure_data_list *out,
                     struct purpose_err *err)
{
    return points_all(s,
                      "SELECT v.measure_id, v.day, v.value, v.denominator FROM measure_points v JOIN measures m ON m.id = v.measure_id "
                      "WHERE " STORE_MEASURE_IN_SCOPE " ORDER BY v.measure_id, v.day",
                      "SELECT b.measure_id, b.id, b.day, b.reason FROM measure_rebases b JOIN measures m ON m.id = b.measure_id "
                      "WHERE " STORE_MEASURE_IN_SCOPE " ORDER BY b.measure_id, b.day",
                      STORE_MEASURE_SCOPE(sc), out, err);
}

/* A programme's projects are those of its partners that name it (as store_project_list with org 0). */
#define PROGRAMME_PROJECTS                                                                              \
    " JOIN programme_partners pp ON pp.programme_id = p.programme_id AND pp.org_id = p.org_id"          \
    " WHERE p.programme_id = ? AND pp.programme_id = ?" /* the same id twice: points_all binds two */

int store_points_all_programme(struct store *s, const struct store_scope *sc, struct store_measure_data_list *out,
                               struct purpose_err *err)
{
    return points_all(s,
                      "SELECT v.measure_id, v.day, v.value, v.denominator FROM measure_points v JOIN measures m ON m.id = v.measure_id "
                      "JOIN projects p ON p.id = m.project_id" PROGRAMME_PROJECTS " ORDER BY v.measure_id, v.day",
                      "SELECT b.measure_id, b.id, b.day, b.reason FROM measure_rebases b JOIN measures m ON m.id = b.measure_id "
                      "JOIN projects p ON p.id = m.project_id" PROGRAMME_PROJECTS " ORDER BY b.measure_id, b.day",
                      STORE_SCOPE_PROGRAMME_ID(sc), STORE_SCOPE_PROGRAMME_ID(sc), out, err);
}

static int points_all(struct store *s, const char *points_sql, const char *rebases_sql, int64_t id1, int64_t id2,
                      struct store_measure_data_list *out, struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct db_conn *c;
    if (store_read(s, &c, err) < 0)
        return -1;
    size_t cap = 0;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, points_sql, "ii", id1, id2);
    int r = 0;
    if (rc == 0) {
        db_stream(st);
        while ((r = db_step(st, err)) == 1) {
            struct store_measure_data *d = data_for(out, db_col_i64(st, 0), &cap);
            if (!d || !room_for((void **)&d->pts.items, d->pts.n, sizeof *d->pts.items)) {
                db_reset(st);
                rc = store_oom(err);
                break;
            }
            row_point_at(st, &d->pts.items[d->pts.n++]);
        }
        if (r < 0)
            rc = -1;
        else if (rc == 0)
            db_reset(st);
    }
    if (rc == 0)
        rc = db_query(c, &st, err, rebases_sql, "ii", id1, id2);
    if (rc == 0) {
        while ((r = db_step(st, err)) == 1) {
            struct store_measure_data *d = data_for(out, db_col_i64(st, 0), &cap);
            bool oom = !d || !room_for((void **)&d->rebases.items, d->rebases.n, sizeof *d->rebases.items);
            if (!oom) {
                struct store_rebase *b = &d->rebases.items[d->rebases.n++];
                memset(b, 0, sizeof *b);
                b->id = db_col_i64(st, 1);
                const char *day = db_col_text(st, 2);
                snprintf(b->day, sizeof b->day, "%s", day ? day : "");
                b->reason = db_col_dup(st, 3, &oom);
            }
            if (oom) {
                db_reset(st);
                rc = store_oom(err);
                break;
            }
        }
        if (r < 0)
            rc = -1;
        else if (rc == 0)
            db_reset(st);
    }
    store_read_end(s, c);
    if (rc < 0)
        store_measure_data_list_release(out);
    else if (out->n > 1) /* a measure with rebases and no points joins at the end */
        qsort(out->items, out->n, sizeof *out->items, cmp_measure);
    return rc;
}
