/* purpose import measures|ae: open data into the store's measures (store/measures.h's
 * store_measures_import): a long CSV of any measures, or NHS England's monthly A&E attendances as a
 * 4-hour P chart per provider matched by ODS code. Every bad row is named (FILE:LINE: column "x":
 * why), and then nothing is stored; a second import of the same file changes nothing. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/csv.h"
#include "core/num.h"
#include "core/xval.h"
#include "store/store.h"
#include "core/banned.h"

#define IMPORT_FILE_MAX ((size_t)1 << 30)

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

/* ---- reading the file -------------------------------------------------------------------------- */

struct table {
    const char *name;
    char *data;
    size_t len;
    struct csv_reader r;
    struct buf scratch;
    int col[16]; /* the file's column of each name asked for, or -1 */
    size_t bad;
};

static int table_open(struct table *t, const char *path, struct purpose_err *err)
{
    memset(t, 0, sizeof *t);
    t->name = path;
    FILE *f = fopen(path, "rb");
    if (!f)
        return purpose_errf(err, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16;
    t->data = malloc(cap);
    int rc = t->data ? 0 : purpose_errf(err, "%s: out of memory", path);
    while (rc == 0) {
        if (t->len == cap) {
            char *p = cap < IMPORT_FILE_MAX ? realloc(t->data, cap * 2) : NULL;
            if (!p) {
                rc = purpose_errf(err, "%s: larger than %zu MiB, or out of memory", path, IMPORT_FILE_MAX >> 20);
                break;
            }
            t->data = p;
            cap *= 2;
        }
        size_t got = fread(t->data + t->len, 1, cap - t->len, f);
        t->len += got;
        if (got == 0) {
            if (ferror(f))
                rc = purpose_errf(err, "%s: cannot read: %s", path, strerror(errno));
            break;
        }
    }
    fclose(f);
    if (rc == 0) {
        csv_reader_init(&t->r, path, t->data, t->len);
        buf_init(&t->scratch, 1 << 16);
    }
    return rc;
}

static void table_close(struct table *t)
{
    if (t->data) {
        csv_reader_release(&t->r);
        buf_release(&t->scratch);
    }
    free(t->data);
    t->data = NULL;
}

/* Finds each of names[0..n) in the header row; a required one missing, or a column not asked for, is
 * refused naming line 1. */
static int table_header(struct table *t, const char *const *names, size_t n, size_t required, struct purpose_err *err)
{
    struct purpose_err why = {0};
    int got = csv_next(&t->r, &why);
    if (got <= 0)
        return got < 0 ? purpose_errf(err, "%s", why.msg) : purpose_errf(err, "%s: the file is empty", t->name);
    for (size_t k = 0; k < n; k++)
        t->col[k] = -1;
    for (size_t i = 0; i < t->r.n_fields; i++) {
        size_t len;
        const char *h = xval_trim(csv_field_text(&t->r.fields[i], &t->scratch, &len), &len);
        size_t k = 0;
        while (k < n && !(strlen(names[k]) == len && strncmp(names[k], h, len) == 0))
            k++;
        if (k == n)
            return purpose_errf(err, "%s:1: column \"%.*s\" is not one this import reads", t->name, (int)(len > 40 ? 40 : len),
                                h);
        t->col[k] = (int)i;
    }
    for (size_t k = 0; k < required; k++)
        if (t->col[k] < 0)
            return purpose_errf(err, "%s:1: the header has no column \"%s\"", t->name, names[k]);
    return 0;
}

/* Column k of the current row, trimmed ("" when the file has no such column). */
static const char *cell(struct table *t, size_t k, size_t *len)
{
    *len = 0;
    if (t->col[k] < 0 || (size_t)t->col[k] >= t->r.n_fields)
        return "";
    return xval_trim(csv_field_text(&t->r.fields[t->col[k]], &t->scratch, len), len);
}

/* A copy of column k as a C string ("" when absent); NULL when out of memory. */
static char *cell_dup(struct table *t, size_t k)
{
    size_t n;
    const char *v = cell(t, k, &n);
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, v, n);
        s[n] = '\0';
    }
    return s;
}

/* The first 40 bytes of v[0..n), for "%.*s". */
#define SHOWN(v, n) (int)((n) > 40 ? 40 : (n)), (v)

__attribute__((format(printf, 4, 5))) static void say_bad(struct table *t, size_t line, const char *col,
                                                          const char *fmt, ...)
{
    t->bad++;
    fprintf(stderr, "%s:%zu: column \"%s\": ", t->name, line, col);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* The store's "field: what" without its field, which the column names already. */
static const char *reason(const struct purpose_err *why)
{
    size_t n = strlen(why->field);
    return n && strncmp(why->msg, why->field, n) == 0 && strncmp(why->msg + n, ": ", 2) == 0 ? why->msg + n + 2 : why->msg;
}

static void on_store_bad(void *ctx, size_t row, const struct purpose_err *why)
{
    const struct table *t = ctx;
    fprintf(stderr, "%s:%zu: column \"%s\": %s\n", t->name, row, why->field[0] ? why->field : "value", reason(why));
}

/* ---- the series built from the rows ------------------------------------------------------------- */

struct series {
    struct store_import_series s;
    char *name, *unit, *direction, *chart;
    struct store_point *p;
    size_t *row, cap;
    size_t first_line; /* where its fields were first given */
};

struct import {
    struct table t;
    struct store *store;
    struct series *sv;
    size_t n, cap;
    int64_t default_org;
};

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
    table_close(&im->t);
}

/* The series of org's measure name, made at the end when new; NULL when out of memory. */
static struct series *series_for(struct import *im, int64_t org, const char *name, size_t n)
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

static bool point_add(struct series *s, const struct store_point *p, size_t line)
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

static int org_of_ods(struct import *im, const char *code, size_t n, int64_t *id, struct purpose_err *err)
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
    const char *s = cell(t, k, &n);
    *given = n > 0;
    if (n && num_parse(s, n, v) != NUM_OK) {
        say_bad(t, line, col, "\"%.*s\" is not a number", SHOWN(s, n));
        return false;
    }
    return true;
}

/* A text field that every row of a measure gives alike (or leaves empty). */
static int same_field(struct table *t, size_t k, const char *col, size_t line, char **have, struct series *s)
{
    size_t n;
    const char *v = cell(t, k, &n);
    if (n == 0)
        return 0;
    if (!*have) {
        if (!(*have = cell_dup(t, k)))
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

static int read_measures(struct import *im, struct purpose_err *err)
{
    struct table *t = &im->t;
    if (table_header(t, measure_cols, M_NCOLS, 3, err) < 0)
        return -1;
    int got;
    struct purpose_err why = {0};
    while ((got = csv_next(&t->r, &why)) == 1) {
        size_t line = t->r.row_line, n, on;
        const char *name = cell(t, M_MEASURE, &n);
        if (n == 0 || n > STORE_TITLE_MAX) {
            say_bad(t, line, "measure", "%s", n ? "is longer than 200 characters" : "is empty");
            continue;
        }
        char keep[STORE_TITLE_MAX + 1];
        memcpy(keep, name, n); /* the scratch buffer is reused by the next cell */
        keep[n] = '\0';
        const char *ods = cell(t, M_ORG, &on);
        int64_t org;
        int r = org_of_ods(im, ods, on, &org, err);
        if (r < 0)
            return -1;
        if (r > 0) {
            say_bad(t, line, "organisation", "no organisation has the ODS code \"%.*s\"", SHOWN(ods, on));
            continue;
        }
        struct store_point p = {0};
        size_t dn;
        const char *d = cell(t, M_DATE, &dn);
        bool ok = true, given, den_given, target_given, per_given;
        double target = 0, per = 0;
        if (store_day_parse(d, dn, p.day) < 0) {
            say_bad(t, line, "date", "\"%.*s\" is not a date", SHOWN(d, dn));
            ok = false;
        }
        ok &= number_cell(t, M_VALUE, "value", line, &given, &p.value);
        if (ok && !given) {
            say_bad(t, line, "value", "is empty");
            ok = false;
        }
        ok &= number_cell(t, M_DEN, "denominator", line, &den_given, &p.den);
        p.has_den = den_given;
        ok &= number_cell(t, M_TARGET, "target", line, &target_given, &target);
        ok &= number_cell(t, M_PER, "per", line, &per_given, &per);
        if (per_given && !(per > 0)) {
            say_bad(t, line, "per", "must be a number above 0");
            ok = false;
        }
        struct series *s = series_for(im, org, keep, n);
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
        if (ok && !point_add(s, &p, line))
            return purpose_errf(err, "%s: out of memory", t->name);
    }
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
            say_bad(t, s->first_line, "chart", "\"%.*s\" is not one of xmr, run, p, pp, u, up, c, g, t",
                    SHOWN(s->chart, strlen(s->chart)));
            continue;
        }
        for (size_t j = 0; j < s->s.n; j++) {
            struct purpose_err bad = {0};
            if (store_point_fits(chart, &s->p[j], &bad) < 0)
                say_bad(t, s->row[j], bad.field, "%s", reason(&bad));
        }
    }
    return 0;
}

/* ---- NHS England's A&E file ------------------------------------------------------------------------ */

enum { A_PERIOD, A_ORG, A_TYPE, A_ATT, A_BREACHES, A_ADMISSIONS, A_NCOLS };
static const char *const ae_cols[A_NCOLS] = {"period", "org_code", "type", "attendances", "breaches", "admissions"};

static bool count_cell(struct table *t, size_t k, const char *col, size_t line, double *v)
{
    size_t n;
    const char *s = cell(t, k, &n);
    if (num_parse(s, n, v) != NUM_OK || *v < 0 || *v != (double)(long long)*v || *v > STORE_VALUE_MAX) {
        if (n)
            say_bad(t, line, col, "\"%.*s\" is not a whole number of 0 or more", SHOWN(s, n));
        else
            say_bad(t, line, col, "is empty");
        return false;
    }
    return true;
}

static int read_ae(struct import *im, size_t *providers, size_t *matched, struct purpose_err *err)
{
    struct table *t = &im->t;
    if (table_header(t, ae_cols, A_NCOLS, 5, err) < 0)
        return -1;
    struct org_seen {
        char ods[16];
        int64_t org;
    } *seen = NULL;
    size_t n_seen = 0, cap_seen = 0;
    int got, rc = 0;
    struct purpose_err why = {0};
    while (rc == 0 && (got = csv_next(&t->r, &why)) == 1) {
        size_t line = t->r.row_line, on, dn;
        struct store_point p = {0};
        double att, breaches;
        const char *d = cell(t, A_PERIOD, &dn);
        bool ok = true;
        if (store_day_parse(d, dn, p.day) < 0) {
            say_bad(t, line, "period", "\"%.*s\" is not a date", SHOWN(d, dn));
            ok = false;
        }
        ok &= count_cell(t, A_ATT, "attendances", line, &att);
        ok &= count_cell(t, A_BREACHES, "breaches", line, &breaches);
        if (ok && breaches > att) {
            say_bad(t, line, "breaches", "%.0f is more than the attendances (%.0f)", breaches, att);
            ok = false;
        }
        const char *ods = cell(t, A_ORG, &on);
        if (on == 0 || on >= sizeof seen->ods) {
            say_bad(t, line, "org_code", "\"%.*s\" is not an ODS code", SHOWN(ods, on));
            ok = false;
        }
        if (!ok)
            continue;
        size_t k = n_seen;
        while (k-- > 0 && !(strlen(seen[k].ods) == on && strncmp(seen[k].ods, ods, on) == 0))
            ;
        if (k == SIZE_MAX) { /* a provider not met before: is it one of ours? */
            if (n_seen == cap_seen) {
                cap_seen = cap_seen ? cap_seen * 2 : 64;
                struct org_seen *np = realloc(seen, cap_seen * sizeof *np);
                if (!np) {
                    rc = purpose_errf(err, "%s: out of memory", t->name);
                    break;
                }
                seen = np;
            }
            k = n_seen++;
            memcpy(seen[k].ods, ods, on);
            seen[k].ods[on] = '\0';
            int r = org_of_ods(im, ods, on, &seen[k].org, err);
            if (r < 0) {
                rc = -1;
                break;
            }
            if (r > 0)
                seen[k].org = 0;
        }
        if (!seen[k].org)
            continue; /* not a provider of this installation */
        struct series *s = series_for(im, seen[k].org, STORE_AE_MEASURE, strlen(STORE_AE_MEASURE));
        if (!s) {
            rc = purpose_errf(err, "%s: out of memory", t->name);
            break;
        }
        size_t i = s->s.n; /* a month's types add up to the provider's month */
        while (i-- > 0 && strcmp(s->p[i].day, p.day) != 0)
            ;
        if (i != SIZE_MAX) {
            s->p[i].den += att;
            s->p[i].value += att - breaches;
            continue;
        }
        p.value = att - breaches;
        p.den = att;
        p.has_den = true;
        if (!point_add(s, &p, line))
            rc = purpose_errf(err, "%s: out of memory", t->name);
    }
    if (rc == 0 && got < 0)
        rc = purpose_errf(err, "%s", why.msg);
    *providers = n_seen;
    *matched = 0;
    for (size_t k = 0; k < n_seen; k++)
        *matched += seen[k].org != 0;
    free(seen);
    for (size_t i = 0; rc == 0 && i < im->n; i++) {
        struct series *s = &im->sv[i];
        size_t kept = 0; /* a month of no attendances has no proportion: it is not a point */
        for (size_t j = 0; j < s->s.n; j++)
            if (s->p[j].den > 0) {
                s->row[kept] = s->row[j];
                s->p[kept++] = s->p[j];
            }
        s->s.n = kept;
        s->s.in.unit = "%";
        s->s.in.direction = "increase";
        s->s.in.kind = "outcome";
        s->s.in.chart = "p";
        s->s.in.per = 100;
        s->s.target_given = s->s.in.has_target = true;
        s->s.in.target = 95; /* the NHS constitutional standard */
    }
    return rc;
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
    int rc = table_open(&im.t, file, &err);
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
        rc = ae ? read_ae(&im, &providers, &matched, &err) : read_measures(&im, &err);
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
