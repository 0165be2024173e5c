#ifndef PURPOSE_CSV_H
#define PURPOSE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "purpose/err.h"

/* An RFC 4180 CSV reader over bytes in memory (typically a mapped file): quoted fields with ""
 * escapes and line breaks, LF or CRLF line ends, a UTF-8 byte order mark, blank lines skipped.
 * Fields point into the input; the reader owns only its field array. */

struct csv_field {
    const char *p; /* the content, inside the quotes if quoted */
    size_t len;
    bool escaped;  /* holds "" pairs: use csv_field_text for the value */
    bool quoted;   /* the field starts one byte before p, at its opening quote */
};

struct csv_reader {
    const char *name; /* for messages: the file name */
    const char *data;
    size_t len;
    size_t pos;
    size_t line;          /* line of the next unread byte, from 1 */
    size_t row_line;      /* line where the current row starts */
    size_t row_offset;    /* byte offset where the current row starts */
    size_t n_fields;      /* fields in the current row */
    size_t expect_fields; /* 0 until the header is read; then every row must match */
    struct csv_field *fields;
    size_t cap_fields;
};

void csv_reader_init(struct csv_reader *r, const char *name, const char *data, size_t len);
void csv_reader_release(struct csv_reader *r);

/* Reads the next row. Returns 1 with r->fields filled, 0 at the end, -1 with err filled (ragged
 * row, unterminated quote, out of memory). After the first row (the header) every row must have
 * as many fields as the header. */
int csv_next(struct csv_reader *r, struct purpose_err *err);

/* The line (from 1) that byte offset pos is on, counting line ends as csv_next does: LF, CRLF
 * or a lone CR (old Mac exports). For messages about a value found again later. */
size_t csv_line_at(const char *data, size_t pos);

/* Re-reads the single field that starts at byte offset pos (used to fetch a value later). */
void csv_field_at(const char *data, size_t len, size_t pos, struct csv_field *f);

/* The field's value: f->p itself, or when escaped an unescaped copy in scratch. *out_len is set. */
const char *csv_field_unescape(const struct csv_field *f, struct buf *scratch, size_t *out_len);
static inline const char *csv_field_text(const struct csv_field *f, struct buf *scratch, size_t *out_len)
{
    if (f->escaped)
        return csv_field_unescape(f, scratch, out_len);
    *out_len = f->len;
    return f->p;
}

/* Appends s as one CSV field, quoted when it holds a comma, quote or line break. */
void csv_write_field(struct buf *b, const char *s, size_t len);
/* Appends s as a text cell for a spreadsheet: always quoted, and a leading = + - @ put behind an
 * apostrophe so that a spreadsheet does not run it as a formula (text written by the public). */
void csv_write_cell(struct buf *b, const char *s);

#endif
