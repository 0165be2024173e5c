/* Documents drawn by cairo: one PDF of A4 landscape pages, each laid out by a page function (the
 * board report's report_page, the text pages' report_text_page) and drawn the same way. */
#include "chart/cairo_render.h"
#include "chart/report.h"
#include "core/banned.h"

int report_pdf_pages(struct buf *out, const char *title, size_t n_pages, report_page_fn page, const void *doc,
                     struct purpose_err *err)
{
    if (chart_cairo_load(err) < 0)
        return -1;
    size_t before = out->len;
    cairo_surface_t *surface = chart_cr.pdf_surface_create_for_stream(chart_cairo_to_buf, out, REPORT_W, REPORT_H);
    chart_cr.pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_t *cr = chart_cr.create(surface);
    struct chart_layout l;
    chart_layout_init(&l, REPORT_W, REPORT_H);
    int rc = chart_cairo_check(surface, cr, err);
    for (size_t k = 0; k < n_pages && rc == 0; k++) {
        rc = page(&l, doc, k, err);
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

static int board_page(struct chart_layout *l, const void *doc, size_t k, struct purpose_err *err)
{
    return report_page(l, doc, k, err);
}

int report_pdf(struct buf *out, const struct report *r, struct purpose_err *err)
{
    return report_pdf_pages(out, r->title, report_pages(r), board_page, r, err);
}
