/* purpose import measures|ae: open data into the store's measures (store/measures.h's
 * store_measures_import): a long CSV of any measures, or NHS England's monthly A&E attendances as a
 * 4-hour P chart per provider matched by ODS code. Every bad row is named (FILE:LINE: column "x":
 * why), and then nothing is stored; a second import of the same file changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/import_cli.h"
#include "core/num.h"
#include "store/store.h"
#include "core/banned.h"

void cmd_import_help(void)
{
    printf("usage: purpose import measures FILE [--org SLUG] [--db LOC] [--key-file PATH]\n"
           "       purpose import ae FILE [--db LOC] [--key-file PATH]\n\n"
           "measures reads a long CSV, one row per point: columns measure, date, value and, if you like,\n"
           "denominator, organisation (an ODS code; else --org SLUG, else the first organisation), unit,\n"
           "direction (increase, decrease or neutral), target, chart (xmr, run, p, pp, u, up, c, g, t) and\n"
           "per. Each measure is the organisation's own measure of that name: made when there is none,\n"
           "else brought up to date. ae reads NHS England's monthly A&E attendances and emergency\n"
           "admissions CSV (period, org_code, type, attendances, breaches): for each provider whose\n"
           "org_code is an organisation's ODS code, a P chart of the %% seen within 4 hours (all types).\n"
           "Every bad row is named and then nothing is stored; importing a file again changes nothing.\n");
}

static void on_store_bad(void *ctx, size_t row, const struct purpose_err *why)
{
    const struct table *t = ctx;
    fprintf(stderr, "%s:%zu: column \"%s\": %s\n", t->name, row, why->field[0] ? why->field : "value", import_cli_reason(why));
}

/* ---- the series built from the rows ------------------------------------------------------------- */

static void import_release(struct import *im)
{
    for (size_t i = 0; i < im->n; i++) {
        free(im->sv[i].name);
        free(im->sv[i].unit);
        free(im->sv[i].direction);
        free(im->sv[i].chart);
        free(im->sv[i].p);
        free(im->sv[i].row);
    }
    free(im->sv);
    import_cli_table_close(&im->t);
}

/* The series of org's measure name, made at the end when new; NULL when out of memory. */
struct series *import_cli_series_for(struct import *im, int64_t org, const char *name, size_t n)
{
    for (size_t i = im->n; i-- > 0;) /* rows of one measure come together: look from the last */
        if (im->sv[i].s.org_id == org && strlen(im->sv[i].name) == n && strncmp(im->sv[i].name, name, n) == 0)
            return &im->sv[i];
    if (im->n == im->cap) {
        size_t cap = im->cap ? im->cap * 2 : 16;
        struct series *p = realloc(im->sv, cap * sizeof *p);
        if (!p)
            return NULL;
        im->sv = p;
        im->cap = cap;
    }
    struct series *s = &im->sv[im->n];
    memset(s, 0, sizeof *s);
    if (!(s->name = malloc(n + 1)))
        return NULL;
    memcpy(s->name, name, n);
    s->name[n] = '\0';
    s->s.org_id = org;
    im->n++;
    return s;
}

bool import_cli_point_add(struct series *s, const struct store_point *p, size_t line)
{
    if (s->s.n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct store_point *np = realloc(s->p, cap * sizeof *np);
        if (np)
            s->p = np;
        size_t *nr = np ? realloc(s->row, cap * sizeof *nr) : NULL;
        if (!nr)
            return false;
        s->row = nr;
        s->cap = cap;
    }
    s->p[s->s.n] = *p;
    s->row[s->s.n++] = line;
    return true;
}

int import_cli_org_of_ods(struct import *im, const char *code, size_t n, int64_t *id, struct purpose_err *err)
{
    char ods[16];
    if (n == 0) {
        *id = im->default_org;
        return 0;
    }
    if (n >= sizeof ods)
        return 1;
    memcpy(ods, code, n);
    ods[n] = '\0';
    struct store_org o = {0};
    int rc = store_org_find_ods(im->store, ods, &o, err);
    *id = o.id;
    store_org_release(&o);
    if (rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)
        return 1;
    return rc;
}

static bool number_cell(struct table *t, size_t k, const char *col, size_t line, bool *given, double *v)
{
    size_t n;
    const char *s = import_cli_cell(t, k, &n);
    *given = n > 0;
    if (n && num_parse(s, n, v) != NUM_OK) {
        import_cli_say_bad(t, line, col, "\"%.*s\" is not a number", SHOWN(s, n));
        return false;
    }
    return true;
}

/* A text field that every row of a measure gives alike (or leaves empty). */
static int same_field(struct table *t, size_t k, const char *col, size_t line, char **have, struct series *s)
{
    size_t n;
    const char *v = import_cli_cell(t, k, &n);
    if (n == 0)
        return 0;
    if (!*have) {
        if (!(*have = import_cli_cell_dup(t, k)))
            return -1;
        return 0;
    }
    if (strlen(*have) != n || strncmp(*have, v, n) != 0) {
        t->bad++;
        fprintf(stderr, "%s:%zu: column \"%s\": \"%.*s\" differs from line %zu's \"%s\" for the same measure\n", t->name,
                line, col, (int)(n > 40 ? 40 : n), v, s->first_line, *have);
    }
    return 0;
}

enum { M_MEASURE, M_DATE, M_VALUE, M_DEN, M_ORG, M_UNIT, M_DIRECTION, M_TARGET, M_CHART, M_PER, M_KIND, M_NCOLS };
static const char *const measure_cols[M_NCOLS] = {"measure", "date",   "value", "denominator", "organisation", "unit",
                                                  "direction", "target", "chart", "per",       "kind"};

/* Row `line` of a measures file added to its series; a bad one is named and counted (0 either way),
 * -1 when out of memory or the store fails. */
static int measure_row(struct import *im, size_t line, struct purpose_err *err)
{
    struct table *t = &im->t;
    size_t n, on;
    const char *name = import_cli_cell(t, M_MEASURE, &n);
    if (n == 0 || n > STORE_TITLE_MAX) {
        import_cli_say_bad(t, line, "measure", "%s", n ? "is longer than 200 characters" : "is empty");
        return 0;
    }
    char keep[STORE_TITLE_MAX + 1];
    memcpy(keep, name, n); /* the scratch buffer is reused by the next cell */
    keep[n] = '\0';
    const char *ods = import_cli_cell(t, M_ORG, &on);
    int64_t org;
    int r = import_cli_org_of_ods(im, ods, on, &org, err);
    if (r < 0)
        return -1;
    if (r > 0) {
        import_cli_say_bad(t, line, "organisation", "no organisation has the ODS code \"%.*s\"", SHOWN(ods, on));
        return 0;
    }
    struct store_point p = {0};
    size_t dn;
    const char *d = import_cli_cell(t, M_DATE, &dn);
    bool ok = true, given, den_given, target_given, per_given;
    double target = 0, per = 0;
    if (store_day_parse(d, dn, p.day) < 0) {
        import_cli_say_bad(t, line, "date", "\"%.*s\" is not a date", SHOWN(d, dn));
        ok = false;
    }
    ok &= number_cell(t, M_VALUE, "value", line, &given, &p.value);
    if (ok && !given) {
        import_cli_say_bad(t, line, "value", "is empty");
        ok = false;
    }
    ok &= number_cell(t, M_DEN, "denominator", line, &den_given, &p.den);
    p.has_den = den_given;
    ok &= number_cell(t, M_TARGET, "target", line, &target_given, &target);
    ok &= number_cell(t, M_PER, "per", line, &per_given, &per);
    if (per_given && !(per > 0)) {
        import_cli_say_bad(t, line, "per", "must be a number above 0");
        ok = false;
    }
    struct series *s = import_cli_series_for(im, org, keep, n);
    if (!s)
        return purpose_errf(err, "%s: out of memory", t->name);
    if (!s->first_line)
        s->first_line = line;
    if (same_field(t, M_UNIT, "unit", line, &s->unit, s) < 0 ||
        same_field(t, M_DIRECTION, "direction", line, &s->direction, s) < 0 ||
        same_field(t, M_CHART, "chart", line, &s->chart, s) < 0)
        return purpose_errf(err, "%s: out of memory", t->name);
    if ((target_given && s->s.target_given && target != s->s.in.target) ||
        (per_given && s->s.in.per != 0 && per != s->s.in.per)) {
        t->bad++;
        fprintf(stderr, "%s:%zu: column \"%s\": differs from line %zu's for the same measure\n", t->name, line,
                target_given && s->s.target_given && target != s->s.in.target ? "target" : "per", s->first_line);
    }
    if (target_given) {
        s->s.target_given = s->s.in.has_target = true;
        s->s.in.target = target;
    }
    if (per_given)
        s->s.in.per = per;
    for (size_t i = 0; ok && i < s->s.n; i++)
        if (strcmp(s->p[i].day, p.day) == 0) {
            t->bad++;
            fprintf(stderr, "%s:%zu: column \"date\": %s is given twice for \"%s\" (also line %zu)\n", t->name, line,
                    p.day, s->name, s->row[i]);
            ok = false;
        }
    if (ok && !import_cli_point_add(s, &p, line))
        return purpose_errf(err, "%s: out of memory", t->name);
    return 0;
}

static int read_measures(struct import *im, struct purpose_err *err)
{
    struct table *t = &im->t;
    if (import_cli_table_header(t, measure_cols, M_NCOLS, 3, err) < 0)
        return -1;
    int got;
    struct purpose_err why = {0};
    while ((got = csv_next(&t->r, &why)) == 1)
        if (measure_row(im, t->r.row_line, err) < 0)
            return -1;
    if (got < 0)
        return purpose_errf(err, "%s", why.msg);
    /* Where the file names the chart, each point is held to it now, so that one pass names every bad
     * row (a measure's stored chart is the store's to hold its points to). */
    for (size_t i = 0; i < im->n; i++) {
        enum spc_chart chart;
        struct series *s = &im->sv[i];
        if (!s->chart)
            continue;
        if (spc_chart_parse(s->chart, &chart) < 0) {
            import_cli_say_bad(t, s->first_line, "chart", "\"%.*s\" is not one of xmr, run, p, pp, u, up, c, g, t",
                               SHOWN(s->chart, strlen(s->chart)));
            continue;
        }
        for (size_t j = 0; j < s->s.n; j++) {
            struct purpose_err bad = {0};
            if (store_point_fits(chart, &s->p[j], &bad) < 0)
                import_cli_say_bad(t, s->row[j], bad.field, "%s", import_cli_reason(&bad));
        }
    }
    return 0;
}

/* ---- the command -------------------------------------------------------------------------------- */

static int store_all(struct import *im, struct store_import_summary *sum, struct purpose_err *err)
{
    struct store_import_series *sv = calloc(im->n ? im->n : 1, sizeof *sv);
    if (!sv)
        return purpose_errf(err, "out of memory");
    for (size_t i = 0; i < im->n; i++) {
        struct series *s = &im->sv[i];
        s->s.in.name = s->name;
        if (s->unit)
            s->s.in.unit = s->unit;
        if (s->direction)
            s->s.in.direction = s->direction;
        if (s->chart)
            s->s.in.chart = s->chart;
        s->s.p = s->p;
        s->s.row = s->row;
        sv[i] = s->s;
    }
    struct store_actor by = {.name = "purpose import"};
    int rc = store_measures_import(im->store, &by, sv, im->n, on_store_bad, &im->t, sum, err);
    free(sv);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "measures") != 0 && strcmp(argv[1], "ae") != 0) ||
        strncmp(argv[2], "--", 2) == 0) {
        fprintf(stderr, "purpose import: %s (measures FILE or ae FILE)\n",
                argc < 2                                                             ? "a subcommand is needed"
                : strcmp(argv[1], "measures") != 0 && strcmp(argv[1], "ae") != 0 ? "no such subcommand"
                                                                                 : "a FILE is needed first");
        return CLI_USAGE;
    }
    bool ae = strcmp(argv[1], "ae") == 0;
    const char *file = argv[2], *db = NULL, *key = NULL, *org = NULL;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--key-file") == 0 && i + 1 < argc)
            key = argv[++i];
        else if (!ae && strcmp(argv[i], "--org") == 0 && i + 1 < argc)
            org = argv[++i];
        else {
            fprintf(stderr, "purpose import %s: unknown option '%s'\n", argv[1], argv[i]);
            return CLI_USAGE;
        }
    }
    struct import im = {0};
    struct purpose_err err = {0};
    struct store_import_summary sum = {0};
    size_t providers = 0, matched = 0;
    int rc = import_cli_table_open(&im.t, file, &err);
    if (rc == 0)
        rc = cli_store_open(db, key, false, &im.store, NULL, &err);
    if (rc == 0) {
        struct store_org o = {0};
        rc = org ? store_org_find(im.store, org, &o, &err) : store_org_default(im.store, &o, &err);
        if (rc < 0 && err.kind == PURPOSE_ERR_NOT_FOUND)
            purpose_errf(&err, org ? "--org: no organisation \"%s\"" : "the database has no organisation yet%s",
                         org ? org : "");
        im.default_org = o.id;
        store_org_release(&o);
    }
    if (rc == 0)
        rc = ae ? import_cli_read_ae(&im, &providers, &matched, &err) : read_measures(&im, &err);
    if (rc == 0 && im.t.bad)
        rc = purpose_errf(&err, "%s: %zu bad row%s: nothing imported", file, im.t.bad, im.t.bad == 1 ? "" : "s");
    if (rc == 0)
        rc = store_all(&im, &sum, &err);
    if (rc == 0) {
        printf("%s: %zu measure%s (%zu new, %zu changed); %zu point%s new, %zu changed, %zu as they were", file, im.n,
               im.n == 1 ? "" : "s", sum.measures_new, sum.measures_changed, sum.points_new,
               sum.points_new == 1 ? "" : "s", sum.points_changed, sum.points_same);
        if (ae)
            printf("; %zu provider%s, %zu matched an organisation's ODS code", providers, providers == 1 ? "" : "s",
                   matched);
        printf("\n");
    } else {
        fprintf(stderr, "%s\n", err.msg);
    }
    store_close(&im.store);
    import_release(&im);
    return rc == 0 ? CLI_OK : CLI_FAILED;
}
