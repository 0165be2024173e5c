/* The well-led self-assessment's evidence from the improvement work (wellled.h): what the measures
 * show and the PDSA cycles run, case studies, partnership programmes and their shared measures, and
 * measures of net-zero work. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "purpose/spc.h"
#include "store/wellled_int.h"
#include "core/banned.h"

#define YEAR_SECONDS (365 * 86400)
#define MEASURES_SHOWN 10

static const char *plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* The variation icon of a measure's latest point, as its chart computes it (its chart type, per and
 * denominators; points by day, a rebase starting a group at its point unless that is the first or
 * it names none: the rule of purpose spc --rebase and of the measure pages). -1 when it cannot be
 * computed. */
static int variation_of(const struct store_measure *m, const struct store_measure_data *d)
{
    size_t n = d->pts.n;
    bool with_den = spc_chart_needs_denominator(m->chart);
    double *y = malloc(n * sizeof *y), *den = with_den ? malloc(n * sizeof *den) : NULL;
    size_t *breaks = malloc((d->rebases.n + 1) * sizeof *breaks), nb = 0;
    int v = -1;
    if (y && breaks && (den || !with_den)) {
        for (size_t i = 0; i < n; i++) {
            y[i] = d->pts.items[i].value;
            if (den) /* a point stored without one is a missing point, as purpose spc reads it */
                den[i] = d->pts.items[i].has_den ? d->pts.items[i].den : NAN;
        }
        for (size_t k = 0; k < d->rebases.n; k++)
            for (size_t i = 1; i < n; i++)
                if (strcmp(d->pts.items[i].day, d->rebases.items[k].day) == 0 && (nb == 0 || breaks[nb - 1] < i))
                    breaks[nb++] = i;
        struct spc_options opt;
        spc_options_default(&opt);
        if (spc_improvement_parse(m->direction, &opt.improvement) < 0)
            opt.improvement = SPC_NEUTRAL;
        opt.chart = m->chart;
        opt.per = m->per > 0 ? m->per : 1;
        opt.runs = false;
        opt.last_only = opt.chart != SPC_CHART_RUN; /* only the last point's icon is read */
        struct spc_result res;
        spc_result_init(&res);
        struct purpose_err ignored = {0};
        if (spc_compute(y, den, n, breaks, nb, &opt, &res, &ignored) == 0)
            v = (int)res.variation;
        spc_result_release(&res);
    }
    free(y);
    free(den);
    free(breaks);
    return v;
}

int wl_improvement(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e, struct buf *text,
                   struct purpose_err *err)
{
    struct store_measure_list ml;
    struct store_measure_data_list dl;
    if (store_measure_list(s, STORE_ORG_SCOPE(org_id), 0, &ml, err) < 0)
        return -1;
    if (store_points_all(s, STORE_ORG_SCOPE(org_id), &dl, err) < 0) {
        store_measure_list_release(&ml);
        return -1;
    }
    int64_t charted = 0, improving = 0, concern = 0;
    int rc = 0;
    for (size_t i = 0; i < dl.n && rc == 0; i++) {
        const struct store_measure *m = NULL;
        for (size_t j = 0; j < ml.n && !m; j++)
            if (ml.items[j].id == dl.items[i].measure_id)
                m = &ml.items[j];
        if (!m || dl.items[i].pts.n < 2)
            continue;
        charted++;
        int v = variation_of(m, &dl.items[i]);
        bool better = v == SPC_VAR_IMPROVEMENT_HIGH || v == SPC_VAR_IMPROVEMENT_LOW;
        concern += v == SPC_VAR_CONCERN_HIGH || v == SPC_VAR_CONCERN_LOW;
        if (better && improving++ < MEASURES_SHOWN) {
            char label[STORE_NAME_MAX + 40];
            snprintf(label, sizeof label, "%s (improving)", m->name);
            rc = wl_link(e, STORE_WL_TO_MEASURE, m->id, NULL, label, err);
        }
    }
    store_measure_list_release(&ml);
    store_measure_data_list_release(&dl);
    if (rc < 0)
        return -1;

    int64_t cycles = 0, acts[3] = {0}, recent = 0;
    static const char *const act_names[] = {"adopt", "adapt", "abandon"};
    char since[32];
    {
        time_t t = (time_t)(now - YEAR_SECONDS);
        struct tm tm;
        if (!gmtime_r(&t, &tm))
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "well-led: cannot tell the date a year ago");
        snprintf(since, sizeof since, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    }
    if (store_count(s, &cycles, err,
                 "SELECT COUNT(*) FROM pdsa_cycles c JOIN drivers d ON d.id = c.change_id "
                 "JOIN projects p ON p.id = d.project_id WHERE p.org_id = ?",
                 "i", org_id) < 0 ||
        store_count(s, &recent, err,
                 "SELECT COUNT(*) FROM pdsa_cycles c JOIN drivers d ON d.id = c.change_id "
                 "JOIN projects p ON p.id = d.project_id WHERE p.org_id = ? AND c.start_date >= ?",
                 "it", org_id, since) < 0)
        return -1;
    for (size_t i = 0; i < 3; i++)
        if (store_count(s, &acts[i], err,
                     "SELECT COUNT(*) FROM pdsa_cycles c JOIN drivers d ON d.id = c.change_id "
                     "JOIN projects p ON p.id = d.project_id WHERE p.org_id = ? AND c.act = ?",
                     "it", org_id, act_names[i]) < 0)
            return -1;
    e->count = charted + cycles;
    if (!e->count) {
        buf_puts(text, "No measure is charted and no PDSA cycle has been recorded yet.");
        return 0;
    }
    buf_printf(text, "%lld %s charted as SPC: %lld show%s special cause improvement at the latest point and %lld "
                     "special cause concern. %lld PDSA %s recorded (%lld adopted, %lld adapted, %lld abandoned), "
                     "%lld started in the last 12 months.",
               (long long)charted, plural(charted, "measure is", "measures are"), (long long)improving,
               improving == 1 ? "s" : "", (long long)concern, (long long)cycles,
               plural(cycles, "cycle is", "cycles are"), (long long)acts[0], (long long)acts[1], (long long)acts[2],
               (long long)recent);
    return wl_link(e, STORE_WL_TO_SUMMARY, 0, NULL, "Summary of every measure", err);
}

int wl_cases(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e, struct buf *text,
             struct purpose_err *err)
{
    (void)now;
    struct wl_row_list rows;
    int64_t trying = 0;
    if (store_count(s, &trying, err,
                 "SELECT COUNT(*) FROM case_interest i JOIN case_studies c ON c.id = i.case_id "
                 "JOIN projects p ON p.id = c.project_id WHERE p.org_id = ?",
                 "i", org_id) < 0 ||
        wl_rows(s, &rows, err,
                "SELECT c.id, c.published_at, p.title, '' FROM case_studies c JOIN projects p ON p.id = c.project_id "
                "WHERE p.org_id = ? ORDER BY c.published_at DESC, c.id DESC",
                "i", org_id) < 0)
        return -1;
    e->count = (int64_t)rows.n;
    int rc = 0;
    if (!rows.n)
        buf_puts(text, "No case study has been published yet.");
    else {
        buf_printf(text, "%zu %s published to the good practice library; colleagues have said %lld %s that they are "
                         "trying one too.",
                   rows.n, rows.n == 1 ? "case study is" : "case studies are", (long long)trying,
                   plural(trying, "time", "times"));
        rc = wl_link(e, STORE_WL_TO_CASES, 0, NULL, "This organisation's case studies", err);
    }
    for (size_t i = 0; i < rows.n && i < MEASURES_SHOWN && rc == 0; i++)
        rc = wl_link(e, STORE_WL_TO_CASE, rows.items[i].id, NULL, rows.items[i].a, err);
    wl_row_list_release(&rows);
    return rc;
}

int wl_partnerships(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e, struct buf *text,
                    struct purpose_err *err)
{
    (void)now;
    struct wl_row_list rows;
    if (wl_rows(s, &rows, err,
                "SELECT g.id, (SELECT COUNT(*) FROM programme_partners x WHERE x.programme_id = g.id), g.slug, g.name "
                "FROM programmes g JOIN programme_partners pp ON pp.programme_id = g.id WHERE pp.org_id = ? "
                "ORDER BY g.name, g.id",
                "i", org_id) < 0)
        return -1;
    e->count = (int64_t)rows.n;
    int rc = 0;
    int64_t measures_all = 0;
    for (size_t i = 0; i < rows.n && rc == 0; i++) {
        int64_t aims = 0, measures = 0;
        /* A programme's shared measures: those of its partners' projects that name it (the register's rule). */
        if ((rc = store_count(s, &aims, err, "SELECT COUNT(*) FROM aims WHERE programme_id = ?", "i", rows.items[i].id)) < 0 ||
            (rc = store_count(s, &measures, err,
                           "SELECT COUNT(*) FROM measures m JOIN projects p ON p.id = m.project_id "
                           "JOIN programme_partners x ON x.programme_id = p.programme_id AND x.org_id = p.org_id "
                           "WHERE p.programme_id = ?",
                           "i", rows.items[i].id)) < 0)
            break;
        measures_all += measures;
        char label[2 * STORE_NAME_MAX];
        snprintf(label, sizeof label, "%s: %lld partners, %lld shared %s, %lld shared %s", rows.items[i].b,
                 (long long)rows.items[i].n, (long long)aims, plural(aims, "aim", "aims"), (long long)measures,
                 plural(measures, "measure", "measures"));
        rc = wl_link(e, STORE_WL_TO_PROGRAMME, 0, rows.items[i].a, label, err);
    }
    if (rc == 0 && rows.n)
        buf_printf(text, "A partner in %zu partnership %s, with %lld shared %s between them.", rows.n,
                   rows.n == 1 ? "programme" : "programmes", (long long)measures_all,
                   plural(measures_all, "measure", "measures"));
    else if (rc == 0)
        buf_puts(text, "Not yet a partner in any partnership programme.");
    wl_row_list_release(&rows);
    return rc;
}

int wl_netzero(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e, struct buf *text,
               struct purpose_err *err)
{
    (void)now;
    /* Net-zero work: a measure of a net-zero ambition itself, or of a project serving one; an
     * ambition is net-zero when its words (or its theme's title) speak of net zero, carbon or
     * emissions (the Greener NHS programme's terms). */
    struct wl_row_list rows;
    if (wl_rows(s, &rows, err,
                "SELECT m.id, 0, m.name, COALESCE(p.title, a.title, '') FROM measures m "
                "LEFT JOIN projects p ON p.id = m.project_id LEFT JOIN ambitions a ON a.id = m.ambition_id "
                "WHERE m.org_id = ? AND EXISTS (SELECT 1 FROM ambitions x JOIN themes t ON t.id = x.theme_id "
                "WHERE (x.id = m.ambition_id OR x.id IN (SELECT l.ambition_id FROM project_links l "
                "WHERE l.project_id = m.project_id)) AND ("
                "lower(x.title) LIKE '%net zero%' OR lower(x.title) LIKE '%net-zero%' OR lower(x.title) LIKE '%carbon%'"
                " OR lower(x.title) LIKE '%emission%' OR lower(x.description) LIKE '%net zero%'"
                " OR lower(x.description) LIKE '%carbon%' OR lower(t.title) LIKE '%net zero%'"
                " OR lower(t.title) LIKE '%greener%')) ORDER BY m.id",
                "i", org_id) < 0)
        return -1;
    e->count = (int64_t)rows.n;
    int rc = 0;
    if (!rows.n)
        buf_puts(text, "No measure follows work on a net-zero ambition yet.");
    else
        buf_printf(text, "%zu %s work on a net-zero ambition.", rows.n,
                   rows.n == 1 ? "measure follows" : "measures follow");
    for (size_t i = 0; i < rows.n && i < MEASURES_SHOWN && rc == 0; i++) {
        char label[2 * STORE_NAME_MAX + 8];
        snprintf(label, sizeof label, "%s (%s)", rows.items[i].a, rows.items[i].b);
        rc = wl_link(e, STORE_WL_TO_MEASURE, rows.items[i].id, NULL, label, err);
    }
    wl_row_list_release(&rows);
    return rc;
}
