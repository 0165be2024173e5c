/* Notes on a chart (chart.h's struct chart_note): an intervention or event ("new triage model")
 * drawn where it happened, and named by the reading when a shift began near it. NHSRplotthedots
 * #139 and PowerBI-SPC #297 ask for them: a chart read without its interventions misses why. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart_int.h"
#include "core/banned.h"

#define NOTE_FONT 11.0
#define NOTE_ROW 14.0      /* a label row's height; labels that would touch go a row lower */
#define NOTE_ROWS 3
#define NOTE_LABEL_W 200.0 /* longest label before it is cut */
#define NOTE_COLOUR "#425563"

static double note_px(const struct chart_plot *c, double x)
{
    return c->left + (x - c->x_lo) / (c->x_hi - c->x_lo) * (c->right - c->left);
}

static void note_x_words(char *out, size_t n, const struct chart_plot *c, double x)
{
    const struct chart_series *s = c->s;
    if (s->x_kind == CHART_X_DATE)
        chart_date(out, n, x, CHART_DATE_DAY);
    else if (s->x_kind == CHART_X_NUMBER)
        chart_num(out, n, x);
    else
        snprintf(out, n, "%s", x >= 0 && x < (double)s->n ? s->x_text[(size_t)x] : "");
}

void chart_notes_draw(const struct chart_plot *c)
{
    const struct chart_series *s = c->s;
    struct chart_layout *l = c->l;
    if (s->n_notes == 0)
        return;
    /* Left to right (a stable insertion sort: notes are few), so that a label that would touch the
     * one before it goes a row lower. */
    size_t *order = malloc(s->n_notes * sizeof *order);
    if (!order) {
        l->failed = true;
        return;
    }
    for (size_t k = 0; k < s->n_notes; k++) {
        size_t j = k;
        for (; j > 0 && s->notes[order[j - 1]].x > s->notes[k].x; j--)
            order[j] = order[j - 1];
        order[j] = k;
    }
    double row_end[NOTE_ROWS]; /* where each row's last label ends */
    for (size_t r = 0; r < NOTE_ROWS; r++)
        row_end[r] = -INFINITY;
    const struct chart_style dash = {.stroke = NOTE_COLOUR, .stroke_w = 1.25, .dash = "4 3"};
    struct buf tip;
    buf_init(&tip, 1 << 12);
    for (size_t k = 0; k < s->n_notes; k++) {
        const struct chart_note *nt = &s->notes[order[k]];
        double x = note_px(c, nt->x);
        if (!isfinite(nt->x) || !(x >= c->left && x <= c->right))
            continue;
        size_t cut = chart_text_fit(nt->label, NOTE_FONT, NOTE_LABEL_W);
        double w = cut ? NOTE_LABEL_W : chart_text_width(nt->label, NOTE_FONT);
        /* Right of the line, or left of it where the plot ends first. */
        bool left_of = x + 3 + w > c->right;
        double from = left_of ? x - 3 - w : x + 3, to = from + w;
        size_t row = 0;
        while (row + 1 < NOTE_ROWS && from < row_end[row] + 6)
            row++;
        row_end[row] = to > row_end[row] ? to : row_end[row];
        char when[64];
        note_x_words(when, sizeof when, c, nt->x);
        buf_reset(&tip);
        buf_printf(&tip, "%s: %s", when, nt->label);
        chart_group(l, "note", tip.failed || !tip.data ? nt->label : tip.data);
        chart_line(l, "note-line", &dash);
        chart_pt(l, x, c->top);
        chart_pt(l, x, c->bottom);
        chart_text(l, "note-label", left_of ? x - 3 : x + 3, c->top + NOTE_FONT + (double)row * NOTE_ROW, nt->label, cut,
                   &(struct chart_font){.size = NOTE_FONT, .colour = NOTE_COLOUR,
                                        .anchor = left_of ? CHART_ANCHOR_END : CHART_ANCHOR_START});
        chart_group_end(l);
    }
    if (tip.failed)
        l->failed = true;
    buf_release(&tip);
    free(order);
}

/* The first point at or after x: where the note's change could first show. */
static size_t note_point(const struct chart_series *s, double x)
{
    size_t i = 0;
    if (s->x_kind == CHART_X_LABEL)
        return x <= 0 ? 0 : (size_t)ceil(x);
    while (i < s->n && s->x_value[i] < x)
        i++;
    return i;
}

void chart_notes_shift(struct buf *b, const struct chart_series *s, size_t last)
{
    if (s->n_notes == 0 || last >= s->n)
        return;
    size_t run = 0, from = 0;
    int side = 0;
    for (size_t g = 0; g < s->res->n_groups; g++) /* no rule looks outside its group */
        if (s->res->groups[g].start <= last)
            from = s->res->groups[g].start;
    for (size_t i = last + 1; i-- > from;) {
        double centre, lo, hi;
        chart_point_lines(s, i, &centre, &lo, &hi);
        int here = !isfinite(s->y[i]) || !isfinite(centre) ? 0 : s->y[i] > centre ? 1 : s->y[i] < centre ? -1 : 0;
        if (here == 0 || (side && here != side))
            break; /* a missing value or a point on the line ends it (MDC) */
        side = here;
        run++;
    }
    if (run >= CHART_SHIFT_POINTS)
        chart_notes_reading(b, s, last + 1 - run, "shift");
}

void chart_notes_reading(struct buf *b, const struct chart_series *s, size_t start, const char *what)
{
    const struct chart_note *best = NULL;
    size_t best_d = SIZE_MAX, at = 0;
    for (size_t k = 0; k < s->n_notes; k++) {
        if (!isfinite(s->notes[k].x))
            continue;
        size_t i = note_point(s, s->notes[k].x);
        size_t d = i > start ? i - start : start - i;
        if (i < s->n && d <= CHART_NOTE_WITHIN && d < best_d)
            best = &s->notes[k], best_d = d, at = i;
    }
    if (!best)
        return;
    struct buf label;
    buf_init(&label, 1 << 12);
    chart_text_plain(&label, best->label, 80);
    const char *name = label.data && !label.failed ? label.data : "";
    if (s->x_kind == CHART_X_DATE) {
        double days = round((s->x_value[start] - best->x) / 86400.0), ad = fabs(days);
        char when[64], gap[48];
        chart_date(when, sizeof when, best->x, CHART_DATE_DAY);
        if (ad < 14)
            snprintf(gap, sizeof gap, "%.0f day%s", ad, ad == 1 ? "" : "s");
        else if (ad < 61)
            snprintf(gap, sizeof gap, "%.0f weeks", round(ad / 7));
        else
            snprintf(gap, sizeof gap, "%.0f months", round(ad / 30.44));
        if (days == 0)
            buf_printf(b, " The %s began on the day of '%s' (%s).", what, name, when);
        else
            buf_printf(b, " The %s began %s %s '%s' (%s).", what, gap, days > 0 ? "after" : "before", name, when);
    } else {
        size_t d = at > start ? at - start : start - at;
        if (d == 0)
            buf_printf(b, " The %s began at '%s'.", what, name);
        else
            buf_printf(b, " The %s began %zu point%s %s '%s'.", what, d, d == 1 ? "" : "s", at <= start ? "after" : "before",
                       name);
    }
    buf_release(&label);
}
