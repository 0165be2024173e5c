/* Fuzzer for points entering a measure through the store, failure paths included (issue 16): the
 * one point check (a date, a bounded value, no day twice, a series the SPC engine can chart) and a
 * failed write, on a temporary SQLite store made once with two measures, the second holding a series
 * written behind the store's back that the engine refuses. Input: a mode byte (bit 7: raw points,
 * else CSV; bit 6: the second measure; bits 0-4: fail the n-th database step), then either CSV bytes
 * or points of 10 bytes each (a day offset, 2 bytes, and the value's 8 bytes as they are, so NaN,
 * infinities and 1.7e308 come up). Checks: a refusal names a field, its message is whole (never
 * empty, its "row N" or "point N" said once) and the points are as they were; an accepted write
 * leaves a series the engine charts with finite lines; a failed write changes nothing. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "db/db.h"
#include "purpose/spc.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *st;
static int64_t org, measure[2];
static const struct store_actor fuzzer = {0, "fuzz"};
static char path[64], key[80];

static void cleanup(void)
{
    char p[96];
    store_close(&st);
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, ext[i]);
        unlink(p);
    }
    unlink(key);
}

static void setup(void)
{
    struct purpose_err err = {0};
    snprintf(path, sizeof path, "/tmp/purpose-fuzz-pts-%ld.db", (long)getpid());
    snprintf(key, sizeof key, "%s.key", path);
    unlink(path);
    unlink(key);
    atexit(cleanup);
    int64_t project;
    struct store_project_input p = {.title = "Falls", .aim = "Fewer falls", .team = "", .sponsor = "",
                                    .status = "active", .start_date = "2023-01-01", .why_unaligned = "a test",
                                    .score_x10 = 10};
    struct store_measure_input m = {.name = "Falls", .kind = "outcome", .unit = "", .direction = "decrease"};
    struct store_keyfile kf = {.path = key, .create = true};
    struct store_point two[] = {{"2024-01-01", 1, false, 0}, {"2024-01-02", 2, false, 0}};
    if (secret_init(&err) < 0 || store_open(path, &kf, &st, &err) < 0 ||
        store_org_add(st, &fuzzer, "trust", "A Trust", "nhs_trust", "", &org, &err) < 0 ||
        store_project_add(st, &fuzzer, STORE_ORG_SCOPE(org), &p, &project, &err) < 0 ||
        store_measure_add(st, &fuzzer, STORE_ORG_SCOPE(org), project, &m, &measure[0], &err) < 0 ||
        store_measure_add(st, &fuzzer, STORE_ORG_SCOPE(org), project, &m, &measure[1], &err) < 0 ||
        store_points_put(st, &fuzzer, STORE_ORG_SCOPE(org), measure[1], two, 2, &err) < 0)
        goto fail;
    /* The second measure's series as an older release could have stored it. */
    struct db *db;
    struct db_conn *c;
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO measure_points(measure_id, day, value) VALUES (%lld, '2024-01-03', 1.7e308),"
             " (%lld, '2024-01-04', -1.7e308)", (long long)measure[1], (long long)measure[1]);
    if (db_open(path, &db, &err) < 0)
        goto fail;
    if (db_acquire(db, true, &c, &err) < 0 || db_exec(c, sql, &err) < 0) {
        db_close(&db);
        goto fail;
    }
    db_release(c);
    db_close(&db);
    store_fault_armable(st);
    return;
fail:
    fprintf(stderr, "fuzz_points: %s\n", err.msg);
    abort();
}

/* The measure's points as text, and whether the engine charts them with finite lines. */
static char *points_of(int64_t id, bool *charts)
{
    struct store_point_list l;
    struct purpose_err err = {0};
    if (store_points_list(st, STORE_ORG_SCOPE(org), id, &l, &err) < 0)
        __builtin_trap();
    size_t cap = l.n * 40 + 1;
    char *out = malloc(cap), *o = out;
    double *y = malloc((l.n + 1) * sizeof *y);
    if (!out || !y)
        abort();
    *o = '\0';
    for (size_t i = 0; i < l.n; i++) {
        o += snprintf(o, cap - (size_t)(o - out), "%s=%a\n", l.items[i].day, l.items[i].value);
        y[i] = l.items[i].value;
    }
    *charts = true;
    if (l.n >= 2) {
        struct spc_options opt;
        spc_options_default(&opt);
        struct spc_result res;
        spc_result_init(&res);
        *charts = spc_xmr(y, l.n, NULL, 0, &opt, &res, &err) == 0;
        for (size_t k = 0; *charts && k < res.n_groups; k++)
            *charts = isfinite(res.groups[k].mean) && (!res.groups[k].has_limits || (isfinite(res.groups[k].lpl) &&
                                                                                    isfinite(res.groups[k].upl)));
        spc_result_release(&res);
    }
    free(y);
    store_point_list_release(&l);
    return out;
}

/* "row 3: row 3: ..." or "point 2: point 2: ...": a message formatted into its own buffer. */
static bool doubled(const char *msg)
{
    const char *colon = strchr(msg, ':');
    if (!colon || colon == msg)
        return false;
    size_t n = (size_t)(colon - msg) + 1;
    return strncmp(colon + 1, " ", 1) == 0 && strncmp(colon + 2, msg, n) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!st)
        setup();
    if (size < 1 || size > 1 << 15)
        return 0;
    uint8_t mode = data[0];
    int64_t id = measure[(mode >> 6) & 1];
    bool charted_before;
    char *before = points_of(id, &charted_before);
    struct purpose_err err = {0};
    int rc;
    store_fault_arm(mode & 31);
    if (mode & 0x80) {
        size_t n = (size - 1) / 10;
        struct store_point *p = calloc(n ? n : 1, sizeof *p);
        if (!p)
            abort();
        for (size_t i = 0; i < n; i++) {
            const uint8_t *q = data + 1 + 10 * i;
            unsigned day = (unsigned)q[0] << 8 | q[1];
            char d[32];
            snprintf(d, sizeof d, "2024-%02u-%02u", day % 14, day / 14 % 32);
            memcpy(p[i].day, d, sizeof p[i].day - 1);
            memcpy(&p[i].value, q + 2, sizeof p[i].value);
        }
        rc = store_points_put(st, &fuzzer, STORE_ORG_SCOPE(org), id, p, n, &err);
        free(p);
    } else {
        char *csv = malloc(size);
        if (!csv)
            abort();
        memcpy(csv, data + 1, size - 1);
        csv[size - 1] = '\0';
        rc = store_points_csv(st, &fuzzer, STORE_ORG_SCOPE(org), id, csv, size - 1, NULL, &err);
        free(csv);
    }
    store_fault_arm(0);
    bool charted_after;
    char *after = points_of(id, &charted_after);
    if (rc < 0 && (strcmp(before, after) != 0 || !err.msg[0] || doubled(err.msg)))
        __builtin_trap(); /* a refusal or a failure changed the points, or its message is empty or doubled */
    if (rc < 0 && err.kind != PURPOSE_ERR_INTERNAL && !err.field[0])
        __builtin_trap(); /* a refusal must say where */
    if (rc == 0 && !charted_after)
        __builtin_trap(); /* stored points the engine cannot chart */
    if (id == measure[1] && rc == 0)
        __builtin_trap(); /* the second measure's series can never be charted while its bad points stay */
    free(before);
    free(after);
    return 0;
}
