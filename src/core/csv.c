#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/banned.h"

/* One table look-up per byte instead of three compares: the scan for a field's end is the
 * innermost loop of every read. */
static const bool ends_field[256] = {[','] = true, ['\n'] = true, ['\r'] = true};

void csv_reader_init(struct csv_reader *r, const char *name, const char *data, size_t len)
{
    *r = (struct csv_reader){.name = name, .data = data, .len = len, .line = 1};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
}

void csv_reader_release(struct csv_reader *r)
{
    free(r->fields);
    r->fields = NULL;
    r->cap_fields = 0;
}

static int grow_fields(struct csv_reader *r, struct purpose_err *err)
{
    size_t cap = r->cap_fields ? r->cap_fields * 2 : 16;
    if (cap > 100000)
        return purpose_errf(err, "%s:%zu: more than 100000 fields in a row", r->name, r->row_line);
    struct csv_field *f = realloc(r->fields, cap * sizeof *f);
    if (!f)
        return purpose_errf(err, "%s:%zu: out of memory", r->name, r->row_line);
    r->fields = f;
    r->cap_fields = cap;
    return 0;
}

/* Reads a quoted field whose opening quote is at r->pos. */
static int read_quoted(struct csv_reader *r, struct purpose_err *err)
{
    size_t start = ++r->pos, open_line = r->line;
    bool escaped = false;
    for (;;) {
        const char *q = memchr(r->data + r->pos, '"', r->len - r->pos);
        if (!q)
            return purpose_errf(err, "%s:%zu: unterminated quoted field", r->name, open_line);
        size_t qpos = (size_t)(q - r->data);
        for (const char *nl = r->data + r->pos; (nl = memchr(nl, '\n', (size_t)(q - nl))) != NULL; nl++)
            r->line++;
        if (qpos + 1 < r->len && r->data[qpos + 1] == '"') {
            escaped = true;
            r->pos = qpos + 2;
            continue;
        }
        r->pos = qpos + 1;
        if (r->pos < r->len && r->data[r->pos] != ',' && r->data[r->pos] != '\n' && r->data[r->pos] != '\r')
            return purpose_errf(err, "%s:%zu: unexpected character after a closing quote", r->name, r->line);
        if (r->n_fields == r->cap_fields && grow_fields(r, err) < 0)
            return -1;
        r->fields[r->n_fields++] = (struct csv_field){r->data + start, qpos - start, escaped, true};
        return 0;
    }
}

int csv_next(struct csv_reader *r, struct purpose_err *err)
{
    const char *d = r->data;
    const size_t len = r->len;
    size_t pos = r->pos;
    /* Skip blank lines. */
    while (pos < len && (d[pos] == '\n' || d[pos] == '\r')) {
        r->line += d[pos] == '\n' || pos + 1 == len || d[pos + 1] != '\n'; /* CRLF counts once */
        pos++;
    }
    r->pos = pos;
    if (pos >= len)
        return 0;
    r->row_line = r->line;
    r->row_offset = pos;
    r->n_fields = 0;
    /* Hot loop over locals: stores into r->fields could otherwise alias r's members. */
    for (;;) {
        if (pos < len && d[pos] == '"') {
            r->pos = pos;
            if (read_quoted(r, err) < 0)
                return -1;
            pos = r->pos;
        } else {
            size_t start = pos;
            while (pos < len && !ends_field[(unsigned char)d[pos]])
                pos++;
            if (r->n_fields == r->cap_fields && grow_fields(r, err) < 0)
                return -1;
            r->fields[r->n_fields++] = (struct csv_field){d + start, pos - start, false, false};
        }
        if (pos >= len)
            break;
        char c = d[pos++];
        if (c == ',')
            continue;
        if (c == '\r' && pos < len && d[pos] == '\n')
            pos++;
        r->line++;
        break;
    }
    r->pos = pos;
    if (r->expect_fields == 0) {
        r->expect_fields = r->n_fields;
    } else if (r->n_fields != r->expect_fields) {
        return purpose_errf(err, "%s:%zu: expected %zu fields, as in the header, but found %zu",
                            r->name, r->row_line, r->expect_fields, r->n_fields);
    }
    return 1;
}

size_t csv_line_at(const char *data, size_t pos)
{
    size_t line = 1;
    const char *p = data, *end = data + pos;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL)
        line++, p++;
    for (p = data; (p = memchr(p, '\r', (size_t)(end - p))) != NULL;)
        line += ++p == end || *p != '\n'; /* a lone CR; a CRLF was counted at its LF */
    return line;
}

void csv_field_at(const char *data, size_t len, size_t pos, struct csv_field *f)
{
    if (pos < len && data[pos] == '"') {
        size_t i = pos + 1;
        f->escaped = false;
        while (i < len) {
            if (data[i] == '"') {
                if (i + 1 < len && data[i + 1] == '"') {
                    f->escaped = true;
                    i += 2;
                    continue;
                }
                break;
            }
            i++;
        }
        f->p = data + pos + 1;
        f->len = i - pos - 1;
        f->quoted = true;
        return;
    }
    size_t i = pos;
    while (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
        i++;
    *f = (struct csv_field){data + pos, i - pos, false, false};
}

const char *csv_field_unescape(const struct csv_field *f, struct buf *scratch, size_t *out_len)
{
    buf_reset(scratch);
    for (size_t i = 0; i < f->len; i++) {
        buf_putc(scratch, f->p[i]);
        if (f->p[i] == '"')
            i++; /* "" stands for one quote */
    }
    if (scratch->failed) {
        *out_len = 0;
        return "";
    }
    *out_len = scratch->len;
    return scratch->data;
}

void csv_write_field(struct buf *b, const char *s, size_t len)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        buf_append(b, s, len);
        return;
    }
    buf_putc(b, '"');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            buf_putc(b, '"');
        buf_putc(b, s[i]);
    }
    buf_putc(b, '"');
}

void csv_write_cell(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
        buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}
