#ifndef PURPOSE_WEB_BADROWS_H
#define PURPOSE_WEB_BADROWS_H
/* A file's bad rows on a page (badrows.c), for every CSV upload (handovers, a measure's points):
 * each one counted, the first WEB_BAD_ROWS_LISTED listed in the NHS error summary with its line and
 * reason, the rest as "and N more"; and the original rows, the file's header first, each with a
 * `reason` column added, as a CSV the person can download (web_bad_rows_keep): kept in memory for
 * the user who uploaded it for WEB_BAD_ROWS_SECONDS, at most WEB_BAD_ROWS_KEPT files of at most
 * WEB_BAD_ROWS_CSV_MAX bytes each (past that the CSV ends early and the page says so), so memory
 * stays bounded whatever is uploaded. A struct web_bad_rows owns its buffers: web_bad_rows_release. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "web/web_int.h"

#define WEB_BAD_ROWS_LISTED 100
#define WEB_BAD_ROWS_CSV_MAX ((size_t)1 << 20)
#define WEB_BAD_ROWS_KEPT 16
#define WEB_BAD_ROWS_SECONDS (30 * 60)

struct web_bad_rows {
    uint64_t n;          /* bad rows seen */
    const char *anchor;  /* the input the summary's links lead to ("file", "csv") */
    struct buf list;     /* the listed rows, as <li> items */
    struct buf csv;      /* the header and each bad row with its reason */
    bool csv_cut;        /* a row did not fit WEB_BAD_ROWS_CSV_MAX */
    bool have_header;
};

/* anchor is borrowed for the life of b. */
void web_bad_rows_init(struct web_bad_rows *b, const char *anchor);
/* The file's header line (without its line end), before the first row is added. */
void web_bad_rows_header(struct web_bad_rows *b, const char *header, size_t len);
/* One bad row: its line in the file, the column at fault (NULL: the row as a whole), the reason in
 * words, and the row as it was in the file (without its line end; NULL when unknown). */
void web_bad_rows_add(struct web_bad_rows *b, size_t line, const char *column, const char *reason, const char *row,
                      size_t row_len);
/* The NHS error summary: title, the listed rows, "and N more", and download_href's link when not
 * NULL. */
void web_bad_rows_summary(struct web_resp *w, const struct web_bad_rows *b, const char *title,
                          const char *download_href);
/* The same list under a heading, for a page where the good rows were stored (not an error). */
void web_bad_rows_left_out(struct web_resp *w, const struct web_bad_rows *b, const char *download_href);
/* Keeps b's CSV for the caller to download: the link into href (n bytes), or "" when there is nothing
 * to keep or it cannot be kept (no memory: the list still shows). */
void web_bad_rows_keep(struct web_req *r, const struct web_bad_rows *b, char *href, size_t n);
void web_bad_rows_release(struct web_bad_rows *b);

/* The first line of text (without its line end), for web_bad_rows_header. */
size_t web_first_line(const char *text);

extern const struct web_feature web_bad_rows_download;

#endif
