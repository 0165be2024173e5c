#ifndef PURPOSE_WEB_PACK_H
#define PURPOSE_WEB_PACK_H

/* The board pack (summary_pdf.c): an organisation's or a programme's stored measures as the document
 * `purpose report` makes from its CSV files (chart/report.h: a cover with the icon key, the summary
 * table, a page per measure with its chart and reading). Built from the store alone, with no
 * request, so that /summary.pdf and `purpose report --db` give the same pages. */

#include "core/buf.h"
#include "purpose/err.h"
#include "store/store.h"

/* Appends the PDF of scope's measures to out: grouped as the summary groups them (an organisation's
 * by the theme its projects serve, then the rest; a programme's by partner), each group's in
 * the store's order. title NULL: "Integrated performance report" (the subtitle names the
 * organisation or programme, the measures and the date of the latest point). Measures that cannot be
 * charted (fewer than 2 points) are counted on the cover, not drawn. Returns 0, or -1 with err. */
int web_board_pack(struct store *s, struct store_scope scope, const char *title, struct buf *out,
                   struct purpose_err *err);

#endif
