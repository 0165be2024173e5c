#ifndef PURPOSE_CHART_REPORT_TEXT_H
#define PURPOSE_CHART_REPORT_TEXT_H

/* Pages of text in the board report's page format (report.h: A4 landscape, its margins, band and
 * footer): each page a title band and a column of blocks (headings, wrapped paragraphs, bullets,
 * muted notes). Laid out as shapes (report_text.c, pure) and drawn by cairo into one PDF
 * (report_text_pdf.c). Everything is borrowed for the call: a document keeps nothing. A page whose
 * blocks do not fit ends with a line saying the rest is on the web page. */

#include <stddef.h>

#include "chart/chart.h"
#include "core/buf.h"
#include "purpose/err.h"

enum report_block_kind {
    REPORT_BLOCK_HEADING, /* bold, larger */
    REPORT_BLOCK_PARA,    /* wrapped to the column */
    REPORT_BLOCK_BULLET,  /* wrapped, indented, with a bullet */
    REPORT_BLOCK_NOTE,    /* wrapped, smaller and muted */
};

struct report_block {
    enum report_block_kind kind;
    const char *text;
};

struct report_text_page {
    const char *title;    /* in the band; never NULL */
    const char *subtitle; /* below it in the band; "" for none */
    const struct report_block *blocks;
    size_t n;
};

struct report_text_doc {
    const char *title; /* the PDF's title, and every page's footer */
    const struct report_text_page *pages;
    size_t n;
};

/* Lays out page k (from 0) of d into l (reset first). Returns 0, or -1 with err filled. */
int report_text_page(struct chart_layout *l, const struct report_text_doc *d, size_t k, struct purpose_err *err);
/* The whole document as one PDF, appended to out. */
int report_text_pdf(struct buf *out, const struct report_text_doc *d, struct purpose_err *err);

#endif
