/* Pages of text drawn by cairo: one PDF, a page per report_text_page (as report_pdf.c draws the
 * board report). */
#include "chart/cairo_render.h"
#include "chart/report.h"
#include "chart/report_text.h"
#include "core/banned.h"

int report_text_pdf(struct buf *out, const struct report_text_doc *d, struct purpose_err *err)
{
    if (chart_cairo_load(err) < 0)
        return -1;
    size_t before = out->len;
    cairo_surface_t *surface = chart_cr.pdf_surface_create_for_stream(chart_cairo_to_buf, out, REPORT_W, REPORT_H);
    chart_cr.pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_t *cr = chart_cr.create(surface);
    struct chart_layout l;
    chart_layout_init(&l, REPORT_W, REPORT_H);
    int rc = chart_cairo_check(surface, cr, err);
    for (size_t k = 0; k < d->n && rc == 0; k++) {
        rc = report_text_page(&l, d, k, err);
        if (rc == 0) {
            chart_cairo_draw(cr, &l, NULL);
            chart_cr.show_page(cr);
            rc = chart_cairo_check(surface, cr, err);
        }
    }
    chart_layout_release(&l);
    chart_cr.destroy(cr);
    chart_cr.surface_finish(surface);
    if (rc == 0)
        rc = chart_cairo_check(surface, NULL, err);
    chart_cr.surface_destroy(surface);
    if (rc == 0 && out->failed)
        rc = purpose_errf(err, "report: the PDF does not fit in %zu bytes", out->limit);
    if (rc < 0 && !out->failed)
        out->len = before;
    return rc;
}
