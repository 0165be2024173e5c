/* A pulse's results: the counts of its closed waves laid out densely, the disclosure rule that says
 * which group's figures may be shown in each wave, the P chart of a statement's share agreeing,
 * and the latest results per pulse for the well-led self-assessment. Closed waves only: results
 * never show a wave while it runs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

void store_pulse_results_release(struct store_pulse_results *r)
{
    store_pulse_wave_list_release(&r->waves);
    free(r->groups);
    free(r->counts);
    free(r->shown);
    memset(r, 0, sizeof *r);
}

int64_t store_pulse_group_answers(const struct store_pulse_results *r, size_t w, size_t g)
{
    const int64_t *c = store_pulse_cell(r, w, 0, g);
    int64_t n = 0;
    for (int v = 0; v < STORE_PULSE_VALUES; v++)
        n += c[v];
    return n;
}

int64_t store_pulse_agree(const struct store_pulse_results *r, size_t w, size_t st, size_t g)
{
    const int64_t *c = store_pulse_cell(r, w, st, g);
    return c[STORE_PULSE_AGREE - 1] + c[STORE_PULSE_AGREE];
}

struct count_row {
    int64_t wave, statement, n;
    int value;
    int grp; /* index in store_groups, -1 for everyone */
};

static int group_index(const char *code)
{
    if (!code || !code[0])
        return -1;
    for (int i = 0; store_groups[i][0]; i++)
        if (strcmp(store_groups[i][0], code) == 0)
            return i;
    return -2; /* a code no longer listed: left out */
}

static int row_count(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct count_row *r = item;
    r->wave = db_col_i64(st, 0);
    r->statement = db_col_i64(st, 1);
    r->grp = group_index(db_col_text(st, 2));
    r->value = (int)db_col_i64(st, 3);
    r->n = db_col_i64(st, 4);
    return 0;
}

static bool suppressed(int64_t n)
{
    return n > 0 && n < STORE_SUPPRESS_BELOW;
}

/* pulses.h, "Disclosure": which groups' figures each wave may show. */
static void decide_shown(struct store_pulse_results *r)
{
    for (size_t w = 0; w < r->waves.n; w++) {
        bool *shown = r->shown + w * r->ngroups;
        int64_t total = store_pulse_group_answers(r, w, 0);
        shown[0] = !suppressed(total);
        for (size_t g = 1; g < r->ngroups; g++) {
            int64_t n = store_pulse_group_answers(r, w, g);
            shown[g] = shown[0] && !suppressed(n) && !suppressed(total - n);
        }
        /* Complementary suppression within each category (disclose.h's rule for a total beside its
         * parts): while everyone less the category's shown groups is 1 to 4, which would give back
         * the suppressed ones (or the few who chose none), its smallest shown group goes too. */
        for (size_t g = 1; g < r->ngroups; g++) {
            const char *cat = store_groups[group_index(r->groups[g])][2];
            if (g > 1 && strcmp(cat, store_groups[group_index(r->groups[g - 1])][2]) == 0)
                continue; /* done at the category's first group (groups are in store_groups order) */
            for (;;) {
                int64_t rest = total, smallest = INT64_MAX;
                size_t pick = 0;
                for (size_t k = g; k < r->ngroups && strcmp(store_groups[group_index(r->groups[k])][2], cat) == 0; k++) {
                    int64_t n = store_pulse_group_answers(r, w, k);
                    if (!shown[k] || n == 0)
                        continue;
                    rest -= n;
                    if (n < smallest) {
                        smallest = n;
                        pick = k;
                    }
                }
                if (!suppressed(rest) || pick == 0)
                    break;
                shown[pick] = false;
            }
        }
    }
}

int store_pulse_results(struct store *s, const struct store_pulse *p, struct store_pulse_results *out,
                        struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_pulse_waves(s, p->id, &out->waves, err);
    if (rc < 0)
        return -1;
    size_t keep = 0; /* closed waves only */
    for (size_t i = 0; i < out->waves.n; i++)
        if (out->waves.items[i].closed_at > 0)
            out->waves.items[keep++] = out->waves.items[i];
    out->waves.n = keep;
    struct count_row *rows = NULL;
    size_t nr = 0;
    rc = store_list(s, (void **)&rows, &nr, sizeof *rows, row_count, err,
                    "SELECT c.wave_id, c.statement_id, c.grp, c.value, c.n FROM pulse_counts c "
                    "JOIN pulse_waves w ON w.id = c.wave_id WHERE w.pulse_id = ? AND w.closed_at > 0",
                    "i", p->id);
    bool used[256] = {false};
    for (size_t i = 0; rc == 0 && i < nr; i++)
        if (rows[i].grp >= 0 && rows[i].n > 0) /* every group has its rows, at 0 when nobody chose it */
            used[rows[i].grp] = true;
    out->nstatements = p->nstatements;
    size_t ng = 1;
    for (int i = 0; store_groups[i][0]; i++)
        ng += used[i];
    out->ngroups = ng;
    size_t cells = out->waves.n * p->nstatements * ng * STORE_PULSE_VALUES;
    if (rc == 0) {
        out->groups = malloc(ng * sizeof *out->groups);
        out->counts = calloc(cells ? cells : 1, sizeof *out->counts);
        out->shown = calloc(out->waves.n * ng + 1, sizeof *out->shown);
        if (!out->groups || !out->counts || !out->shown)
            rc = store_oom(err);
    }
    int slot[256];
    if (rc == 0) {
        out->groups[0] = "";
        size_t k = 1;
        for (int i = 0; store_groups[i][0]; i++) {
            slot[i] = used[i] ? (int)k : -1;
            if (used[i])
                out->groups[k++] = store_groups[i][0];
        }
    }
    for (size_t i = 0; rc == 0 && i < nr; i++) {
        const struct count_row *c = &rows[i];
        size_t w = 0, st = 0;
        while (w < out->waves.n && out->waves.items[w].id != c->wave)
            w++;
        while (st < p->nstatements && p->statements[st].id != c->statement)
            st++;
        if (w == out->waves.n || st == p->nstatements || c->grp == -2 || c->value < 1 || c->value > STORE_PULSE_VALUES)
            continue;
        if (c->grp >= 0 && slot[c->grp] < 0)
            continue; /* a group nobody chose: its counts are 0 */
        size_t g = c->grp < 0 ? 0 : (size_t)slot[c->grp];
        out->counts[((w * p->nstatements + st) * ng + g) * STORE_PULSE_VALUES + (size_t)(c->value - 1)] += c->n;
    }
    free(rows);
    if (rc == 0)
        decide_shown(out);
    if (rc < 0)
        store_pulse_results_release(out);
    return rc;
}

void store_pulse_chart_release(struct store_pulse_chart *c)
{
    free(c->y);
    free(c->den);
    spc_result_release(&c->res);
    memset(c, 0, sizeof *c);
}

int store_pulse_chart(const struct store_pulse_results *r, size_t st, size_t g, struct store_pulse_chart *out,
                      struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    spc_result_init(&out->res);
    spc_options_default(&out->opt);
    out->opt.chart = SPC_CHART_P;
    out->opt.per = 100;
    out->opt.improvement = SPC_INCREASE;
    size_t n = r->waves.n;
    out->n = n;
    out->y = malloc((n ? n : 1) * sizeof *out->y);
    out->den = malloc((n ? n : 1) * sizeof *out->den);
    if (!out->y || !out->den) {
        store_pulse_chart_release(out);
        return store_oom(err);
    }
    size_t valued = 0;
    for (size_t w = 0; w < n; w++) {
        int64_t answers = store_pulse_group_answers(r, w, g);
        bool show = answers > 0 && r->shown[w * r->ngroups + g];
        out->y[w] = show ? (double)store_pulse_agree(r, w, st, g) : NAN;
        out->den[w] = show ? (double)answers : NAN;
        valued += show;
    }
    if (valued < 2)
        return 0;
    if (spc_compute(out->y, out->den, n, NULL, 0, &out->opt, &out->res, err) < 0) {
        store_pulse_chart_release(out);
        return -1;
    }
    out->computed = true;
    return 0;
}

void store_pulse_latest_list_release(struct store_pulse_latest_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].title);
        for (size_t k = 0; k < l->items[i].n; k++)
            free(l->items[i].items[k].text);
    }
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* Fills one pulse's latest results from its results (false: no closed wave). */
static int latest_of(const struct store_pulse *p, const struct store_pulse_results *r, struct store_pulse_latest *out,
                     struct purpose_err *err)
{
    size_t w = r->waves.n - 1;
    out->pulse_id = p->id;
    out->wave = r->waves.items[w];
    out->title = strdup(p->title);
    if (!out->title)
        return store_oom(err);
    for (size_t st = 0; st < p->nstatements; st++) {
        struct store_pulse_latest_item *it = &out->items[out->n];
        it->statement_id = p->statements[st].id;
        it->text = strdup(p->statements[st].text);
        if (!it->text)
            return store_oom(err);
        out->n++;
        bool shown = r->shown[w * r->ngroups];
        it->answers = shown ? store_pulse_group_answers(r, w, 0) : 0;
        it->agree = shown ? store_pulse_agree(r, w, st, 0) : 0;
        it->share = shown && it->answers ? 100.0 * (double)it->agree / (double)it->answers : NAN;
        struct store_pulse_chart ch;
        if (store_pulse_chart(r, st, 0, &ch, err) < 0)
            return -1;
        it->has_signal = ch.computed;
        it->variation = ch.computed ? ch.res.variation : SPC_VAR_COMMON_CAUSE;
        store_pulse_chart_release(&ch);
    }
    return 0;
}

int store_pulse_latest(struct store *s, struct store_scope scope, struct store_pulse_latest_list *out,
                       struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct store_pulse_list pl;
    if (store_pulse_list(s, scope, &pl, err) < 0)
        return -1;
    int rc = 0;
    out->items = calloc(pl.n ? pl.n : 1, sizeof *out->items);
    if (!out->items)
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < pl.n; i++) {
        struct store_pulse_results r;
        rc = store_pulse_results(s, &pl.items[i], &r, err);
        if (rc == 0 && r.waves.n > 0) {
            out->n++;
            rc = latest_of(&pl.items[i], &r, &out->items[out->n - 1], err);
        }
        store_pulse_results_release(&r); /* zeroed when store_pulse_results failed */
    }
    store_pulse_list_release(&pl);
    if (rc < 0)
        store_pulse_latest_list_release(out);
    return rc;
}
