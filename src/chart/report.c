/* The board report's pages, laid out as shapes (layout.h): drawn by cairo into a PDF
 * (report_pdf.c), or by any other renderer of a layout. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart_int.h"
#include "chart/reading.h"
#include "chart/report.h"
#include "core/banned.h"

#define RP_MARGIN 36.0
#define RP_ROW_H 24.0
#define RP_TABLE_TOP 92.0                 /* first row's top, below the column headings */
#define RP_TABLE_BOTTOM (REPORT_H - 40.0) /* the footer below */
#define RP_ROWS ((size_t)((RP_TABLE_BOTTOM - RP_TABLE_TOP) / RP_ROW_H))
#define RP_CHART_SCALE 0.8
#define RP_ICON_R 10.0

static const struct chart_font rp_body = {.size = 11, .colour = CHART_C_TEXT};

static int rp_new_group(const struct report *r, size_t i)
{
    return r->m[i].group[0] && (i == 0 || strcmp(r->m[i].group, r->m[i - 1].group) != 0);
}

/* The table's pages: measure i goes on the page where it fits after the rows before it. A group
 * heading goes with its first measure (never alone at a page's foot) and is repeated, marked
 * "continued", on a page that starts inside the group. Returns the pages; [*from, *to) are the
 * measures on page `page` (both r->n when there is no such page). */
static size_t rp_table_plan(const struct report *r, size_t page, size_t *from, size_t *to)
{
    size_t pages = 0, used = RP_ROWS; /* a full "page before" makes the first measure start one */
    *from = *to = r->n;
    for (size_t i = 0; i < r->n; i++) {
        size_t need = 1 + (size_t)rp_new_group(r, i);
        if (used + need > RP_ROWS) {
            if (pages == page)
                *from = i;
            else if (pages == page + 1)
                *to = i;
            pages++;
            used = r->m[i].group[0] ? 1 : 0; /* the group's heading, new or continued */
            need = 1;
        }
        used += need;
    }
    return pages ? pages : 1; /* an empty report still has its (empty) table */
}

size_t report_table_pages(const struct report *r)
{
    size_t from, to;
    return rp_table_plan(r, 0, &from, &to);
}

size_t report_pages(const struct report *r) { return 1 + report_table_pages(r) + r->n; }

static void rp_footer(struct chart_layout *l, const struct report *r, size_t k)
{
    char t[64];
    snprintf(t, sizeof t, "Page %zu of %zu", k + 1, report_pages(r));
    chart_text(l, "footer", REPORT_W - RP_MARGIN, REPORT_H - 18, t, 0,
               &(struct chart_font){.size = 8, .colour = CHART_C_MUTED, .anchor = CHART_ANCHOR_END});
    chart_text(l, "footer", RP_MARGIN, REPORT_H - 18, r->title, chart_text_fit(r->title, 8, REPORT_W / 2),
               &(struct chart_font){.size = 8, .colour = CHART_C_MUTED});
}

/* ---- cover ------------------------------------------------------------------------------- */

/* The cover's contents from y down: where the table and each group's pages are (measures come
 * grouped). */
static void rp_cover_contents(struct chart_layout *l, const struct report *r, double cy)
{
    size_t table = report_table_pages(r), first = 1 + table + 1;
    const struct chart_font head = {.size = 13, .colour = CHART_C_TEXT, .bold = true};
    const struct chart_font item = {.size = 10.5, .colour = CHART_C_TEXT};
    const struct chart_font num = {.size = 10.5, .colour = CHART_C_MUTED, .anchor = CHART_ANCHOR_END};
    char pages[48];
    chart_text(l, "contents", RP_MARGIN, cy, "Contents", 0, &head);
    cy += 20;
    chart_text(l, "contents", RP_MARGIN, cy, "Integrated performance summary", 0, &item);
    snprintf(pages, sizeof pages, table > 1 ? "pages 2\xE2\x80\x93%zu" : "page 2", table + 1);
    chart_text(l, "contents", RP_MARGIN + 420, cy, pages, 0, &num);
    for (size_t i = 0; i < r->n && cy < REPORT_H - 40; i++) {
        size_t j = i;
        while (j + 1 < r->n && strcmp(r->m[j + 1].group, r->m[i].group) == 0)
            j++;
        cy += 16;
        const char *g = r->m[i].group[0] ? r->m[i].group : "Measures";
        chart_text(l, "contents", RP_MARGIN, cy, g, chart_text_fit(g, 10.5, 360), &item);
        if (j > i)
            snprintf(pages, sizeof pages, "pages %zu\xE2\x80\x93%zu", first + i, first + j);
        else
            snprintf(pages, sizeof pages, "page %zu", first + i);
        chart_text(l, "contents", RP_MARGIN + 420, cy, pages, 0, &num);
        i = j;
    }
}

static void rp_cover(struct chart_layout *l, const struct report *r)
{
    chart_rect(l, "band", 0, 0, REPORT_W, 150, &(struct chart_style){.fill = CHART_C_IMPROVEMENT});
    const struct chart_font title = {.size = 30, .colour = "#FFFFFF", .bold = true};
    chart_text(l, "title", RP_MARGIN, 78, r->title, chart_text_fit(r->title, 30, REPORT_W - 2 * RP_MARGIN), &title);
    if (r->subtitle[0])
        chart_text(l, "subtitle", RP_MARGIN, 112, r->subtitle,
                   chart_text_fit(r->subtitle, 14, REPORT_W - 2 * RP_MARGIN),
                   &(struct chart_font){.size = 14, .colour = "#FFFFFF"});

    size_t var[7] = {0}, as[4] = {0}, targets = 0;
    for (size_t i = 0; i < r->n; i++) {
        var[r->m[i].s->res->variation]++;
        as[r->m[i].s->res->assurance]++;
        targets += r->m[i].s->opt->has_target;
    }
    struct buf b;
    buf_init(&b, 1 << 16);
    buf_printf(&b, "This report shows %zu measure%s as statistical process control (SPC) charts, read the Making "
                   "Data Count way. Each has an icon for its variation (is something changing, and is it for the "
                   "better?) and, where it has a target, one for assurance (can we rely on meeting the target?). "
                   "A summary table follows, then a page per measure with its chart and what it shows.",
               r->n, r->n == 1 ? "" : "s");
    double y = chart_paragraph(l, "intro", RP_MARGIN, 190, REPORT_W - 2 * RP_MARGIN, 16, b.data ? b.data : "",
                               &rp_body);
    buf_reset(&b);
    buf_printf(&b, "Variation: %zu improving, %zu of concern, %zu with neutral special cause, %zu common cause.",
               var[SPC_VAR_IMPROVEMENT_HIGH] + var[SPC_VAR_IMPROVEMENT_LOW],
               var[SPC_VAR_CONCERN_HIGH] + var[SPC_VAR_CONCERN_LOW],
               var[SPC_VAR_NEUTRAL_HIGH] + var[SPC_VAR_NEUTRAL_LOW], var[SPC_VAR_COMMON_CAUSE]);
    y = chart_paragraph(l, "counts", RP_MARGIN, y + 10, REPORT_W - 2 * RP_MARGIN, 16, b.data ? b.data : "",
                        &(struct chart_font){.size = 11, .colour = CHART_C_TEXT, .bold = true});
    buf_reset(&b);
    buf_printf(&b, "Assurance, for the %zu measure%s with a target: %zu consistently passing, %zu consistently "
                   "failing, %zu hit and miss%s.",
               targets, targets == 1 ? "" : "s", as[SPC_ASSURANCE_CONSISTENT_PASS], as[SPC_ASSURANCE_CONSISTENT_FAIL],
               as[SPC_ASSURANCE_INCONSISTENT],
               targets > as[SPC_ASSURANCE_CONSISTENT_PASS] + as[SPC_ASSURANCE_CONSISTENT_FAIL] +
                             as[SPC_ASSURANCE_INCONSISTENT]
                   ? ", the rest without assurance (no limits, or neither direction better)"
                   : "");
    y = chart_paragraph(l, "counts", RP_MARGIN, y, REPORT_W - 2 * RP_MARGIN, 16, b.data ? b.data : "",
                        &(struct chart_font){.size = 11, .colour = CHART_C_TEXT, .bold = true});
    if (b.failed)
        l->failed = true;
    buf_release(&b);

    /* The key: what each icon means. */
    chart_text(l, "key", RP_MARGIN, y + 28, "Reading the icons", 0,
               &(struct chart_font){.size = 13, .colour = CHART_C_TEXT, .bold = true});
    static const enum spc_variation vars[] = {SPC_VAR_COMMON_CAUSE, SPC_VAR_IMPROVEMENT_HIGH, SPC_VAR_IMPROVEMENT_LOW,
                                              SPC_VAR_CONCERN_HIGH, SPC_VAR_CONCERN_LOW};
    static const enum spc_assurance ass[] = {SPC_ASSURANCE_CONSISTENT_PASS, SPC_ASSURANCE_CONSISTENT_FAIL,
                                             SPC_ASSURANCE_INCONSISTENT};
    const double col = (REPORT_W - 2 * RP_MARGIN) / 8, top = y + 66;
    const struct chart_font cap = {.size = 8.5, .colour = CHART_C_TEXT, .anchor = CHART_ANCHOR_MIDDLE};
    for (size_t k = 0; k < 8; k++) {
        double cx = RP_MARGIN + col * ((double)k + 0.5);
        const char *words;
        if (k < 5) {
            chart_icon_variation(l, cx, top, 20, vars[k], false);
            words = chart_variation_words(vars[k]);
        } else {
            chart_icon_assurance(l, cx, top, 20, ass[k - 5], false);
            words = chart_assurance_words(ass[k - 5]);
        }
        chart_paragraph(l, "key-words", cx, top + 36, col - 8, 11, words, &cap);
    }

    rp_cover_contents(l, r, top + 104);
}

/* ---- the summary table ------------------------------------------------------------------- */

enum { RP_COL_MEASURE, RP_COL_LATEST, RP_COL_MEAN, RP_COL_LOWER, RP_COL_UPPER, RP_COL_TARGET, RP_COL_VAR, RP_COL_ASS,
       RP_COLS };
/* Latest is wide enough for a value and a whole date ("78.3% (21 Jul 2025)"): how recent it is. */
static const double rp_col_x[RP_COLS + 1] = {RP_MARGIN, 296, 430, 485, 555, 625, 690, 748, REPORT_W - RP_MARGIN};
static const char *const rp_col_names[RP_COLS] = {"Measure", "Latest", "Mean", "Lower limit", "Upper limit",
                                                  "Target", "Variation", "Assurance"};

static void rp_cell(struct chart_layout *l, int col, double y, const char *text, bool bold)
{
    double w = rp_col_x[col + 1] - rp_col_x[col] - 8;
    struct chart_font f = {.size = 9.5, .colour = CHART_C_TEXT, .bold = bold, .vmid = true};
    double x = rp_col_x[col] + 4;
    if (col >= RP_COL_MEAN) { /* numbers line up on the right */
        f.anchor = CHART_ANCHOR_END;
        x = rp_col_x[col + 1] - 6;
    }
    chart_text(l, "cell", x, y, text, chart_text_fit(text, f.size, w), &f);
}

static void rp_measure_row(struct chart_layout *l, const struct report_measure *m, double top)
{
    const struct chart_series *s = m->s;
    const struct spc_result *res = s->res;
    double y = top + RP_ROW_H / 2;
    const char *unit = strcmp(m->unit, "%") == 0 ? "%" : ""; /* a word would crowd the numbers out */
    char t[160], v[64], x[64];
    rp_cell(l, RP_COL_MEASURE, y, m->title, false);
    size_t last = s->n;
    while (last > 0 && !isfinite(s->y[last - 1]))
        last--;
    if (last) {
        chart_value_text(v, sizeof v, s->y[last - 1], unit);
        chart_x_words(x, sizeof x, s, last - 1);
        snprintf(t, sizeof t, "%s (%s)", v, x);
        rp_cell(l, RP_COL_LATEST, y, t, true);
    }
    /* The lines in force at the latest value: its own limits on P and U charts. */
    double vals[4] = {NAN, NAN, NAN, s->opt->has_target ? s->opt->target : NAN};
    if (last)
        chart_point_lines(s, last - 1, &vals[0], &vals[1], &vals[2]);
    else if (res->n_groups)
        vals[0] = res->groups[res->n_groups - 1].mean;
    for (int k = 0; k < 4; k++) {
        if (isfinite(vals[k])) {
            chart_value_text(v, sizeof v, vals[k], unit);
            rp_cell(l, RP_COL_MEAN + k, y, v, false);
        } else {
            rp_cell(l, RP_COL_MEAN + k, y, "\xE2\x80\x93", false); /* an en dash: none */
        }
    }
    double cv = (rp_col_x[RP_COL_VAR] + rp_col_x[RP_COL_VAR + 1]) / 2;
    double ca = (rp_col_x[RP_COL_ASS] + rp_col_x[RP_COL_ASS + 1]) / 2;
    if (last)
        chart_icon_variation(l, cv, y, RP_ICON_R, res->variation, false);
    chart_icon_assurance(l, ca, y, RP_ICON_R, res->assurance, false);
    chart_hline(l, "rule", RP_MARGIN, REPORT_W - RP_MARGIN, top + RP_ROW_H,
                &(struct chart_style){.stroke = CHART_C_GRID, .stroke_w = 0.75});
}

static void rp_table(struct chart_layout *l, const struct report *r, size_t page, size_t n_pages)
{
    size_t from, to;
    rp_table_plan(r, page, &from, &to);
    char t[96];
    snprintf(t, sizeof t, n_pages > 1 ? "Integrated performance summary (%zu of %zu)" : "Integrated performance summary",
             page + 1, n_pages);
    chart_text(l, "title", RP_MARGIN, 44, t, 0, &(struct chart_font){.size = 18, .colour = CHART_C_TEXT, .bold = true});
    double head = RP_TABLE_TOP - 22;
    chart_rect(l, "head", RP_MARGIN, head, REPORT_W - 2 * RP_MARGIN, 22, &(struct chart_style){.fill = CHART_C_IMPROVEMENT});
    for (int c = 0; c < RP_COLS; c++) {
        struct chart_font f = {.size = 9, .colour = "#FFFFFF", .bold = true, .vmid = true};
        double x = rp_col_x[c] + 4;
        if (c >= RP_COL_VAR) {
            f.anchor = CHART_ANCHOR_MIDDLE;
            x = (rp_col_x[c] + rp_col_x[c + 1]) / 2;
        } else if (c >= RP_COL_MEAN) {
            f.anchor = CHART_ANCHOR_END;
            x = rp_col_x[c + 1] - 6;
        }
        chart_text(l, "col", x, head + 11, rp_col_names[c], 0, &f);
    }
    if (from >= to) {
        chart_text(l, "empty", RP_MARGIN, RP_TABLE_TOP + 20, "No measures.", 0, &rp_body);
        return;
    }
    double y = RP_TABLE_TOP;
    for (size_t i = from; i < to; i++) {
        if (r->m[i].group[0] && (i == from || rp_new_group(r, i))) {
            chart_rect(l, "group", RP_MARGIN, y, REPORT_W - 2 * RP_MARGIN, RP_ROW_H,
                       &(struct chart_style){.fill = CHART_C_GRID});
            snprintf(t, sizeof t, "%s", i == from && !rp_new_group(r, i) ? " (continued)" : "");
            struct buf g;
            buf_init(&g, 4096);
            buf_printf(&g, "%s%s", r->m[i].group, t);
            chart_text(l, "group", RP_MARGIN + 4, y + RP_ROW_H / 2, g.data ? g.data : "",
                       chart_text_fit(g.data ? g.data : "", 10.5, REPORT_W - 2 * RP_MARGIN - 8),
                       &(struct chart_font){.size = 10.5, .colour = CHART_C_TEXT, .bold = true, .vmid = true});
            buf_release(&g);
            y += RP_ROW_H;
        }
        rp_measure_row(l, &r->m[i], y);
        y += RP_ROW_H;
    }
}

/* ---- a measure's page -------------------------------------------------------------------- */

static int rp_measure(struct chart_layout *l, const struct report_measure *m, struct purpose_err *err)
{
    struct chart_layout chart;
    chart_layout_init(&chart, CHART_W, CHART_H);
    int rc = chart_layout_build(&chart, m->s, err);
    if (rc == 0) {
        if (m->group[0])
            chart_text(l, "group", RP_MARGIN, 30, m->group, chart_text_fit(m->group, 10, REPORT_W - 2 * RP_MARGIN),
                       &(struct chart_font){.size = 10, .colour = CHART_C_MUTED, .bold = true});
        /* The reading under the chart, whole above the footer: a long one makes the chart smaller. */
        struct chart_layout words;
        chart_layout_init(&words, REPORT_W, REPORT_H);
        double para_h = chart_paragraph(&words, "reading", RP_MARGIN, 0, REPORT_W - 2 * RP_MARGIN, 14.5, m->reading,
                                        &rp_body);
        chart_layout_release(&words);
        double room = (REPORT_H - 30) - (38 + 22 + 17) - para_h, scale = room / CHART_H;
        scale = scale > RP_CHART_SCALE ? RP_CHART_SCALE : scale < 0.5 ? 0.5 : scale;
        double w = CHART_W * scale;
        chart_layout_append(l, &chart, (REPORT_W - w) / 2, 38, scale);
        double y = 38 + CHART_H * scale + 22;
        chart_text(l, "heading", RP_MARGIN, y, "What the chart shows", 0,
                   &(struct chart_font){.size = 11.5, .colour = CHART_C_TEXT, .bold = true});
        chart_paragraph(l, "reading", RP_MARGIN, y + 17, REPORT_W - 2 * RP_MARGIN, 14.5, m->reading, &rp_body);
        if (chart.failed)
            l->failed = true;
    }
    chart_layout_release(&chart);
    return rc;
}

int report_page(struct chart_layout *l, const struct report *r, size_t k, struct purpose_err *err)
{
    chart_layout_reset(l);
    l->w = REPORT_W, l->h = REPORT_H;
    l->title = chart_add_text_at(l, r->title);
    l->desc = chart_add_text_at(l, "");
    chart_rect(l, NULL, 0, 0, REPORT_W, REPORT_H, &(struct chart_style){.fill = "#FFFFFF"});
    size_t table = report_table_pages(r);
    if (k == 0) {
        rp_cover(l, r);
    } else if (k <= table) {
        rp_table(l, r, k - 1, table);
        rp_footer(l, r, k);
    } else if (k - 1 - table < r->n) {
        if (rp_measure(l, &r->m[k - 1 - table], err) < 0)
            return -1;
        rp_footer(l, r, k);
    } else {
        return purpose_errf(err, "report: no page %zu", k + 1);
    }
    if (l->failed)
        return purpose_errf(err, "report: out of memory laying out page %zu", k + 1);
    return 0;
}
