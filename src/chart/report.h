#ifndef PURPOSE_CHART_REPORT_H
#define PURPOSE_CHART_REPORT_H

/* A board report (integrated performance report) on A4 landscape pages: a cover, the summary
 * table grouped by theme, then a page per measure with its chart and its reading. The pages are
 * laid out (report.c, pure) and drawn by cairo into one PDF (report_pdf.c). */

#include <stddef.h>

#include "chart/chart.h"
#include "core/buf.h"
#include "purpose/err.h"

#define REPORT_W 841.89 /* A4 landscape, in points */
#define REPORT_H 595.28

/* One measure, computed. Borrowed: the report keeps nothing. */
struct report_measure {
    const char *title;   /* never NULL */
    const char *group;   /* the theme it is shown under; "" for none */
    const char *unit;    /* "%", "minutes", ""... */
    const char *chart;   /* the chart type's name: "xmr"... */
    const struct chart_series *s;
    const char *reading; /* chart_reading's words */
};

struct report {
    const char *title;    /* the report's title */
    const char *subtitle; /* e.g. the data file and period; "" for none */
    const struct report_measure *m;
    size_t n;
};

/* Pages: the cover, then ceil(table rows / rows per page) table pages, then one per measure. */
size_t report_table_pages(const struct report *r);
size_t report_pages(const struct report *r);

/* Lays out page k (from 0) into l (reset first). Returns 0, or -1 with err filled. */
int report_page(struct chart_layout *l, const struct report *r, size_t k, struct purpose_err *err);

/* The whole report as one PDF, appended to out. */
int report_pdf(struct buf *out, const struct report *r, struct purpose_err *err);

/* Any document of these pages as one PDF appended to out (nothing appended on failure): page k
 * (from 0) of n_pages laid out by page from doc, then drawn. */
typedef int (*report_page_fn)(struct chart_layout *l, const void *doc, size_t k, struct purpose_err *err);
int report_pdf_pages(struct buf *out, const char *title, size_t n_pages, report_page_fn page, const void *doc,
                     struct purpose_err *err);

#endif
