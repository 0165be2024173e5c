/* Pages of text drawn by cairo: one PDF, a page per report_text_page, drawn as the board report's
 * pages are (report_pdf_pages). */
#include "chart/report.h"
#include "chart/report_text.h"
#include "core/banned.h"

static int text_page(struct chart_layout *l, const void *doc, size_t k, struct purpose_err *err)
{
    return report_text_page(l, doc, k, err);
}

int report_text_pdf(struct buf *out, const struct report_text_doc *d, struct purpose_err *err)
{
    return report_pdf_pages(out, d->title, d->n, text_page, d, err);
}
