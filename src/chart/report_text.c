/* Pages of text in the board report's format (report_text.h), laid out as shapes. */
#include <stdio.h>

#include "chart/chart_int.h"
#include "chart/report.h"
#include "chart/report_text.h"
#include "core/banned.h"

#define RT_MARGIN 36.0   /* the board report's */
#define RT_BAND_H 96.0
#define RT_BOTTOM (REPORT_H - 44.0) /* the footer below */
#define RT_WIDTH (REPORT_W - 2 * RT_MARGIN)

static const struct chart_font rt_head = {.size = 13, .colour = CHART_C_TEXT, .bold = true};
static const struct chart_font rt_body = {.size = 10, .colour = CHART_C_TEXT};
static const struct chart_font rt_note = {.size = 9, .colour = CHART_C_MUTED};

/* How far a block reaches down from y, laid out into a scratch layout first so that a block that
 * would cross the footer is not drawn at all. */
static double rt_block(struct chart_layout *l, const struct report_block *b, double y)
{
    switch (b->kind) {
    case REPORT_BLOCK_HEADING:
        return chart_paragraph(l, "heading", RT_MARGIN, y + 8, RT_WIDTH, 17, b->text, &rt_head) + 2;
    case REPORT_BLOCK_BULLET:
        chart_circle(l, "bullet", RT_MARGIN + 6, y - 3.5, 1.8, &(struct chart_style){.fill = CHART_C_TEXT});
        return chart_paragraph(l, "bullet-text", RT_MARGIN + 16, y, RT_WIDTH - 16, 13, b->text, &rt_body) + 1;
    case REPORT_BLOCK_NOTE:
        return chart_paragraph(l, "note", RT_MARGIN, y, RT_WIDTH, 12, b->text, &rt_note) + 3;
    case REPORT_BLOCK_PARA:
    default:
        return chart_paragraph(l, "para", RT_MARGIN, y, RT_WIDTH, 13, b->text, &rt_body) + 4;
    }
}

int report_text_page(struct chart_layout *l, const struct report_text_doc *d, size_t k, struct purpose_err *err)
{
    chart_layout_reset(l);
    if (k >= d->n)
        return purpose_errf(err, "report: no page %zu", k + 1);
    const struct report_text_page *p = &d->pages[k];
    chart_rect(l, "band", 0, 0, REPORT_W, RT_BAND_H, &(struct chart_style){.fill = CHART_C_IMPROVEMENT});
    chart_text(l, "title", RT_MARGIN, 48, p->title, chart_text_fit(p->title, 22, RT_WIDTH),
               &(struct chart_font){.size = 22, .colour = "#FFFFFF", .bold = true});
    if (p->subtitle && p->subtitle[0])
        chart_text(l, "subtitle", RT_MARGIN, 74, p->subtitle, chart_text_fit(p->subtitle, 11, RT_WIDTH),
                   &(struct chart_font){.size = 11, .colour = "#FFFFFF"});
    struct chart_layout scratch;
    chart_layout_init(&scratch, REPORT_W, REPORT_H);
    double y = RT_BAND_H + 26;
    for (size_t i = 0; i < p->n; i++) {
        chart_layout_reset(&scratch);
        double end = rt_block(&scratch, &p->blocks[i], y);
        if (end > RT_BOTTOM) {
            chart_text(l, "more", RT_MARGIN, y + 4, "The rest is on the web page.", 0, &rt_note);
            break;
        }
        y = rt_block(l, &p->blocks[i], y);
    }
    bool failed = scratch.failed;
    chart_layout_release(&scratch);
    char t[64];
    snprintf(t, sizeof t, "Page %zu of %zu", k + 1, d->n);
    chart_text(l, "footer", REPORT_W - RT_MARGIN, REPORT_H - 18, t, 0,
               &(struct chart_font){.size = 8, .colour = CHART_C_MUTED, .anchor = CHART_ANCHOR_END});
    chart_text(l, "footer", RT_MARGIN, REPORT_H - 18, d->title, chart_text_fit(d->title, 8, REPORT_W / 2),
               &(struct chart_font){.size = 8, .colour = CHART_C_MUTED});
    if (failed || l->failed)
        return purpose_errf(err, "report: out of memory laying out page %zu", k + 1);
    return 0;
}
