/* purpose import ae (import_cli.h): NHS England's monthly A&E attendances and emergency admissions
 * CSV as a 4-hour P chart per provider matched by ODS code. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/import_cli.h"
#include "core/num.h"
#include "core/banned.h"

enum { A_PERIOD, A_ORG, A_TYPE, A_ATT, A_BREACHES, A_ADMISSIONS, A_NCOLS };
static const char *const ae_cols[A_NCOLS] = {"period", "org_code", "type", "attendances", "breaches", "admissions"};

static bool count_cell(struct table *t, size_t k, const char *col, size_t line, double *v)
{
    size_t n;
    const char *s = import_cli_cell(t, k, &n);
    if (num_parse(s, n, v) != NUM_OK || *v < 0 || *v != (double)(long long)*v || *v > STORE_VALUE_MAX) {
        if (n)
            import_cli_say_bad(t, line, col, "\"%.*s\" is not a whole number of 0 or more", SHOWN(s, n));
        else
            import_cli_say_bad(t, line, col, "is empty");
        return false;
    }
    return true;
}

/* The providers the file names, each with its organisation here (0: not one of ours). */
struct ae_read {
    struct import *im;
    struct org_seen {
        char ods[16];
        int64_t org;
    } *seen;
    size_t n_seen, cap_seen;
};

/* The organisation of provider ods[0..on) (0 when it is not one of ours), looked up once a provider. */
static int provider_org(struct ae_read *a, const char *ods, size_t on, int64_t *org, struct purpose_err *err)
{
    size_t k = a->n_seen;
    while (k-- > 0 && !(strlen(a->seen[k].ods) == on && strncmp(a->seen[k].ods, ods, on) == 0))
        ;
    if (k == SIZE_MAX) { /* a provider not met before: is it one of ours? */
        if (a->n_seen == a->cap_seen) {
            size_t cap = a->cap_seen ? a->cap_seen * 2 : 64;
            struct org_seen *np = realloc(a->seen, cap * sizeof *np);
            if (!np)
                return purpose_errf(err, "%s: out of memory", a->im->t.name);
            a->seen = np;
            a->cap_seen = cap;
        }
        k = a->n_seen++;
        memcpy(a->seen[k].ods, ods, on);
        a->seen[k].ods[on] = '\0';
        int r = import_cli_org_of_ods(a->im, ods, on, &a->seen[k].org, err);
        if (r < 0)
            return -1;
        if (r > 0)
            a->seen[k].org = 0;
    }
    *org = a->seen[k].org;
    return 0;
}

/* Row `line` of the file added to its provider's month; a bad one is named and counted (0 either
 * way), -1 when out of memory or the store fails. */
static int ae_row(struct ae_read *a, size_t line, struct purpose_err *err)
{
    struct table *t = &a->im->t;
    size_t on, dn;
    struct store_point p = {0};
    double att, breaches;
    const char *d = import_cli_cell(t, A_PERIOD, &dn);
    bool ok = true;
    if (store_day_parse(d, dn, p.day) < 0) {
        import_cli_say_bad(t, line, "period", "\"%.*s\" is not a date", SHOWN(d, dn));
        ok = false;
    }
    ok &= count_cell(t, A_ATT, "attendances", line, &att);
    ok &= count_cell(t, A_BREACHES, "breaches", line, &breaches);
    if (ok && breaches > att) {
        import_cli_say_bad(t, line, "breaches", "%.0f is more than the attendances (%.0f)", breaches, att);
        ok = false;
    }
    const char *ods = import_cli_cell(t, A_ORG, &on);
    if (on == 0 || on >= sizeof a->seen->ods) {
        import_cli_say_bad(t, line, "org_code", "\"%.*s\" is not an ODS code", SHOWN(ods, on));
        ok = false;
    }
    if (!ok)
        return 0;
    int64_t org = 0;
    if (provider_org(a, ods, on, &org, err) < 0)
        return -1;
    if (!org)
        return 0; /* not a provider of this installation */
    struct series *s = import_cli_series_for(a->im, org, STORE_AE_MEASURE, strlen(STORE_AE_MEASURE));
    if (!s)
        return purpose_errf(err, "%s: out of memory", t->name);
    size_t i = s->s.n; /* a month's types add up to the provider's month */
    while (i-- > 0 && strcmp(s->p[i].day, p.day) != 0)
        ;
    if (i != SIZE_MAX) {
        s->p[i].den += att;
        s->p[i].value += att - breaches;
        return 0;
    }
    p.value = att - breaches;
    p.den = att;
    p.has_den = true;
    if (!import_cli_point_add(s, &p, line))
        return purpose_errf(err, "%s: out of memory", t->name);
    return 0;
}

/* Each provider's series as a P chart of the % seen within 4 hours, against the 95% standard. */
static void ae_charts(struct import *im)
{
    for (size_t i = 0; i < im->n; i++) {
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
}

int import_cli_read_ae(struct import *im, size_t *providers, size_t *matched, struct purpose_err *err)
{
    struct table *t = &im->t;
    if (import_cli_table_header(t, ae_cols, A_NCOLS, 5, err) < 0)
        return -1;
    struct ae_read a = {.im = im};
    int got, rc = 0;
    struct purpose_err why = {0};
    while (rc == 0 && (got = csv_next(&t->r, &why)) == 1)
        rc = ae_row(&a, t->r.row_line, err);
    if (rc == 0 && got < 0)
        rc = purpose_errf(err, "%s", why.msg);
    *providers = a.n_seen;
    *matched = 0;
    for (size_t k = 0; k < a.n_seen; k++)
        *matched += a.seen[k].org != 0;
    free(a.seen);
    if (rc == 0)
        ae_charts(im);
    return rc;
}
