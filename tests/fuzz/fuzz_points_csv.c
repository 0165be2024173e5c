/* Fuzzer for the web's CSV upload of a measure's points (store_points_csv: the measure page's paste
 * box and POST /api/v1/measures/{id}/points): the bytes go through the real store, on a SQLite file
 * made once with an organisation, a project and a measure. An upload either stores every row or
 * none; a refused one must name a row or a field and leave the points as they were. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *st;
static int64_t org, measure;
static const struct store_actor fuzzer = {0, "fuzz"};
static char path[64];

/* The database is the fuzzer's own: gone when it exits. */
static void cleanup(void)
{
    char p[80];
    store_close(&st);
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    snprintf(p, sizeof p, "%s.key", path);
    unlink(p);
}

static void setup(void)
{
    struct purpose_err err = {0};
    snprintf(path, sizeof path, "/tmp/purpose-fuzz-points-%ld.db", (long)getpid());
    unlink(path);
    atexit(cleanup);
    int64_t project;
    struct store_project_input p = {.title = "Falls", .aim = "Fewer falls", .team = "", .sponsor = "",
                                    .status = "active", .start_date = "2023-01-01", .why_unaligned = "a test",
                                    .score_x10 = 10};
    struct store_measure_input m = {.name = "Falls per 1,000 bed days", .kind = "outcome", .unit = "",
                                    .direction = "decrease"};
    char key[90];
    snprintf(key, sizeof key, "%s.key", path);
    unlink(key);
    struct store_keyfile kf = {.path = key, .create = true};
    if (secret_init(&err) < 0 || store_open(path, &kf, &st, &err) < 0 ||
        store_org_add(st, &fuzzer, "trust", "A Trust", "nhs_trust", "", &org, &err) < 0 ||
        store_project_add(st, &fuzzer, STORE_ORG_SCOPE(org), &p, &project, &err) < 0 ||
        store_measure_add(st, &fuzzer, STORE_ORG_SCOPE(org), project, &m, &measure, &err) < 0) {
        fprintf(stderr, "fuzz_points_csv: %s\n", err.msg);
        abort();
    }
}

static size_t count(void)
{
    struct store_point_list l;
    struct purpose_err err = {0};
    if (store_points_list(st, STORE_ORG_SCOPE(org), measure, &l, &err) < 0)
        __builtin_trap();
    size_t n = l.n;
    store_point_list_release(&l);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!st)
        setup();
    if (size > 1 << 16)
        return 0;
    char *csv = malloc(size + 1);
    if (!csv)
        return 0;
    memcpy(csv, data, size);
    csv[size] = '\0';
    size_t before = count(), n = 0;
    struct purpose_err err = {0};
    int rc = store_points_csv(st, &fuzzer, STORE_ORG_SCOPE(org), measure, csv, size, &n, &err);
    size_t after = count();
    if (rc < 0 && (after != before || (err.kind == PURPOSE_ERR_INPUT && !err.field[0])))
        __builtin_trap(); /* a refused upload changed the points, or did not say where */
    if (rc == 0 && after < before)
        __builtin_trap(); /* an upload only adds or replaces points */
    free(csv);
    return 0;
}
