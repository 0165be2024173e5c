/* Streamed parsing: bytes arrive in any pieces; each complete row is parsed at once and only
 * the unfinished last row is kept (memory is O(longest row), never O(file)). */
#include <stdlib.h>
#include <string.h>

#include "handover/handover.h"
#include "core/banned.h"

#define MIN_ROOM ((size_t)1 << 16)
#define START_CAP ((size_t)1 << 20)

struct ho_stream {
    const char *name;
    struct ho_sink sink;
    char *data;
    size_t len, cap;   /* pending bytes: the start of a row up to what has arrived */
    size_t line;       /* line of data[0] */
    bool started;      /* past a possible byte order mark */
    bool header_done;
    struct ho_columns cols;
    struct buf scratch;
    struct ho_stream_stats st;
};

int ho_stream_new(struct ho_stream **out, const char *name, const struct ho_sink *sink, struct purpose_err *err)
{
    struct ho_stream *s = calloc(1, sizeof *s);
    char *data = malloc(START_CAP);
    if (!s || !data) {
        free(s);
        free(data);
        return purpose_errf(err, "%s: out of memory", name);
    }
    s->name = name;
    s->sink = *sink;
    s->data = data;
    s->cap = START_CAP;
    s->line = 1;
    buf_init(&s->scratch, 2 * (size_t)HO_ROW_MAX);
    *out = s;
    return 0;
}

void ho_stream_free(struct ho_stream **sp)
{
    struct ho_stream *s = *sp;
    if (!s)
        return;
    free(s->data);
    buf_release(&s->scratch);
    free(s);
    *sp = NULL;
}

char *ho_stream_space(struct ho_stream *s, size_t *room)
{
    if (s->cap - s->len < MIN_ROOM) {
        size_t cap = s->cap * 2;
        char *p = realloc(s->data, cap);
        if (!p)
            return NULL;
        s->data = p;
        s->cap = cap;
    }
    *room = s->cap - s->len;
    return s->data + s->len;
}

static const char *last_of(const char *p, size_t n, char c)
{
    while (n > 0)
        if (p[--n] == c)
            return p + n;
    return NULL;
}

/* The end of the last complete row in p[0..n): just after the last line end outside quoted
 * fields (a CR counts only when the byte after it is known not to be LF). 0 when there is none.
 * Quotes follow the reader's grammar: only a quote that starts a field opens a quoted field (one
 * inside an unquoted field is text), and inside, "" is an escaped quote. */
static size_t find_cut(const char *p, size_t n)
{
    size_t pos = 0, cut = 0;
    for (;;) {
        const char *q = memchr(p + pos, '"', n - pos);
        while (q && q != p && q[-1] != ',' && q[-1] != '\n' && q[-1] != '\r')
            q = q + 1 < p + n ? memchr(q + 1, '"', (size_t)(p + n - (q + 1))) : NULL;
        size_t seg_end = q ? (size_t)(q - p) : n;
        if (seg_end > pos) {
            const char *nl = last_of(p + pos, seg_end - pos, '\n');
            if (nl) {
                cut = (size_t)(nl - p) + 1;
            } else {
                const char *cr = last_of(p + pos, seg_end - pos, '\r');
                if (cr && (size_t)(cr - p) + 1 < n)
                    cut = (size_t)(cr - p) + 1;
            }
        }
        if (!q)
            return cut;
        size_t i = seg_end + 1;
        for (;;) { /* inside the quoted field */
            const char *c = memchr(p + i, '"', n - i);
            if (!c || (size_t)(c - p) + 1 == n) /* still open, or "" not yet decided */
                return cut;
            i = (size_t)(c - p) + 1;
            if (p[i] != '"')
                break;
            i++;
        }
        pos = i;
    }
}

static int parse_region(struct ho_stream *s, size_t end, struct purpose_err *err)
{
    struct csv_reader r;
    csv_reader_init(&r, s->name, s->data, end);
    if (s->started)
        r.pos = 0; /* a byte order mark only counts at the very start */
    s->started = true;
    r.line = s->line;
    int rc = 0;
    for (;;) {
        r.expect_fields = 0; /* field counts are checked per row, as bad rows */
        int got = csv_next(&r, err);
        if (got <= 0) {
            rc = got;
            break;
        }
        if (!s->header_done) {
            if (ho_columns_from_header(&s->cols, s->name, r.fields, r.n_fields, err) < 0) {
                rc = -1;
                break;
            }
            s->header_done = true;
            continue;
        }
        struct ho_row row;
        struct ho_bad bad;
        if (ho_row_parse(&s->cols, r.fields, r.n_fields, r.row_line, &s->scratch, &row, &bad)) {
            s->st.rows++;
            if (s->sink.row && s->sink.row(s->sink.ctx, &row, err) < 0) {
                rc = -1;
                break;
            }
        } else {
            size_t stop = r.pos; /* the row's text, without its line end */
            while (stop > r.row_offset && (s->data[stop - 1] == '\n' || s->data[stop - 1] == '\r'))
                stop--;
            bad.text = s->data + r.row_offset;
            bad.text_len = stop - r.row_offset;
            s->st.bad++;
            if (s->sink.bad && s->sink.bad(s->sink.ctx, &bad, err) < 0) {
                rc = -1;
                break;
            }
        }
    }
    csv_reader_release(&r);
    s->line = r.line;
    s->st.bytes += end;
    return rc;
}

int ho_stream_commit(struct ho_stream *s, size_t n, struct purpose_err *err)
{
    s->len += n;
    size_t cut = find_cut(s->data, s->len);
    if (cut == 0) {
        if (s->len > HO_ROW_MAX)
            return purpose_errf(err, "%s:%zu: a row longer than %u bytes (is this a CSV file?)", s->name, s->line,
                                HO_ROW_MAX);
        return 0;
    }
    if (parse_region(s, cut, err) < 0)
        return -1;
    memmove(s->data, s->data + cut, s->len - cut);
    s->len -= cut;
    return 0;
}

int ho_stream_feed(struct ho_stream *s, const void *data, size_t len, struct purpose_err *err)
{
    const char *p = data;
    while (len > 0) {
        size_t room;
        char *at = ho_stream_space(s, &room);
        if (!at)
            return purpose_errf(err, "%s: out of memory", s->name);
        size_t k = len < room ? len : room;
        memcpy(at, p, k);
        if (ho_stream_commit(s, k, err) < 0)
            return -1;
        p += k;
        len -= k;
    }
    return 0;
}

int ho_stream_finish(struct ho_stream *s, struct purpose_err *err)
{
    if (s->len > 0) {
        if (parse_region(s, s->len, err) < 0)
            return -1;
        s->len = 0;
    }
    if (!s->header_done)
        return purpose_errf(err, "%s: no header row (site,arrival,handover,clear,ref)", s->name);
    return 0;
}

struct ho_stream_stats ho_stream_stats(const struct ho_stream *s)
{
    return s->st;
}
