/* multipart/form-data bodies: the forms with a file input (a measure's points, a handover import).
 * libmicrohttpd's post processor splits the body, which the server has already buffered whole
 * (bounded by --max-body), in one pass; this file gathers each part's pieces into a field of the
 * same struct web_form that form.c fills from a url-encoded body, so a page reads a file as it reads
 * a textarea. What the post processor leaves to its caller is checked here: the number of parts,
 * the length of a field name, a part with no name, a transfer encoding, and a body that stops
 * before its closing boundary (MHD_destroy_post_processor says so). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "core/utf8.h"
#include "web/web_int.h"
#include "core/banned.h"

/* The post processor's window: a part's header line must fit in it, and a file arrives in pieces of
 * at most this size. */
#define MP_WINDOW (64u * 1024)

struct mp {
    struct web_form *f;
    struct purpose_err *err;
    size_t limit;  /* of cur: the body's length, as no part is longer */
    bool open;     /* a part is being gathered in cur */
    bool failed;   /* err is set */
    char *name;    /* the open part's */
    char *filename;
    struct buf cur;
};

bool web_is_multipart(const char *ct)
{
    return ct && strncasecmp(ct, "multipart/form-data", 19) == 0 && (ct[19] == ';' || ct[19] == ' ' || !ct[19]);
}

static char *dup_s(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

/* Old browsers sent the whole path; the name is what follows its last separator. */
static const char *base_name(const char *path)
{
    if (!path)
        return NULL;
    const char *slash = strrchr(path, '/'), *back = strrchr(path, '\\');
    return slash && (!back || slash > back) ? slash + 1 : back ? back + 1 : path;
}

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static size_t line_of(const char *s, size_t at)
{
    size_t line = 1;
    for (const char *p = s; (p = memchr(p, '\n', (size_t)(s + at - p))) != NULL; p++)
        line++;
    return line;
}

/* Why a file's bytes are not text, or NULL: a NUL byte (a binary file: a C string would end
 * there), or bytes that are not UTF-8 (core/utf8.h, the rule of everything stored); with the line,
 * so that a person can find it. */
static char *file_problem(const char *field, const char *filename, const char *s, size_t len)
{
    char msg[sizeof ((struct purpose_err *)0)->msg];
    const char *nul = memchr(s, '\0', len);
    if (nul) {
        snprintf(msg, sizeof msg, "%s: \"%s\" is not a text file (a NUL byte on line %zu); choose a CSV file", field,
                 filename, line_of(s, (size_t)(nul - s)));
        return dup_s(msg);
    }
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq_len((const unsigned char *)s + i, len - i);
        if (!n) {
            snprintf(msg, sizeof msg, "%s: \"%s\" is not UTF-8 text (line %zu); save it as CSV UTF-8 and choose it again",
                     field, filename, line_of(s, i));
            return dup_s(msg);
        }
        i += n;
    }
    return NULL;
}

static bool filename_ok(const char *s)
{
    size_t n = strlen(s);
    if (n > WEB_FILE_NAME_MAX || !utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

static void part_clear(struct mp *m)
{
    free(m->name);
    free(m->filename);
    m->name = m->filename = NULL;
    buf_reset(&m->cur);
    m->open = false;
}

static int fail(struct mp *m, enum purpose_err_kind kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct mp *m, enum purpose_err_kind kind, const char *fmt, ...)
{
    if (!m->failed) {
        char msg[sizeof m->err->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        purpose_errk(m->err, kind, NULL, "%s", msg);
    }
    m->failed = true;
    part_clear(m);
    return -1;
}

static int part_begin(struct mp *m, const char *key, const char *filename, const char *encoding)
{
    if (!key || !key[0])
        return fail(m, PURPOSE_ERR_INPUT, "form: a part has no field name");
    if (strlen(key) > WEB_FORM_NAME_MAX)
        return fail(m, PURPOSE_ERR_INPUT, "form: a field name is longer than %d bytes", WEB_FORM_NAME_MAX);
    if (m->f->n == WEB_FORM_FIELDS)
        return fail(m, PURPOSE_ERR_INPUT, "form: too many fields");
    /* RFC 7578 section 4.7: senders do not encode parts; the post processor would not decode them. */
    if (encoding && strcasecmp(encoding, "binary") != 0 && strcasecmp(encoding, "8bit") != 0 &&
        strcasecmp(encoding, "7bit") != 0)
        return fail(m, PURPOSE_ERR_INPUT, "%s: is sent in a transfer encoding that is not supported", key);
    if (filename && !filename_ok(filename))
        return fail(m, PURPOSE_ERR_INPUT, "%s: the file's name is too long or is not UTF-8 text", key);
    m->name = dup_s(key);
    m->filename = filename ? dup_s(filename) : NULL;
    if (!m->name || (filename && !m->filename))
        return fail(m, PURPOSE_ERR_INTERNAL, "form: out of memory");
    m->open = true;
    return 0;
}

/* The part gathered in cur becomes a field; the field takes cur's memory (a file is in memory once
 * besides the body). */
static int part_end(struct mp *m)
{
    if (m->cur.failed)
        return fail(m, PURPOSE_ERR_INTERNAL, "form: out of memory");
    char *s = m->cur.data;
    size_t len = m->cur.len, from = 0;
    char *problem = NULL;
    if (m->filename) {
        problem = s ? file_problem(m->name, m->filename, s, len) : NULL;
        /* A byte order mark (spreadsheets write one before CSV UTF-8) is not part of the text. */
        if (!problem && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            from = 3;
    } else if (s && memchr(s, '\0', len)) {
        return fail(m, PURPOSE_ERR_INPUT, "%s: is not correctly encoded", m->name);
    }
    if (problem || !s) {
        len = 0;
        free(s);
        s = malloc(1);
    }
    m->cur.data = NULL; /* s is the field's now */
    buf_release(&m->cur);
    buf_init(&m->cur, m->limit);
    if (!s) {
        free(problem);
        return fail(m, PURPOSE_ERR_INTERNAL, "form: out of memory");
    }
    /* As form.c does for a textarea: CR LF and a lone CR are LF, so a file reads as pasted text. In
     * place: o never passes k. */
    size_t o = 0;
    for (size_t k = from; k < len; k++) {
        if (s[k] == '\r' && k + 1 < len && s[k + 1] == '\n')
            continue;
        s[o++] = s[k] == '\r' ? '\n' : s[k];
    }
    s[o] = '\0';
    m->f->f[m->f->n++] = (struct web_field){.name = m->name, .value = s, .filename = m->filename, .problem = problem};
    m->name = m->filename = NULL;
    m->open = false;
    return 0;
}

/* Called for each piece of each part, in order; off is the piece's place in its part. A part whose
 * first call had no bytes may be called again at 0 (the post processor had not yet seen enough to
 * find the boundary), so a call at 0 starts a new part unless it continues an empty one of the same
 * name and file name (the same field either way). */
static enum MHD_Result on_piece(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                                const char *content_type, const char *encoding, const char *data, uint64_t off,
                                size_t size)
{
    (void)kind;
    (void)content_type;
    struct mp *m = cls;
    filename = base_name(filename);
    if (m->failed)
        return MHD_NO;
    if (off == 0 && !(m->open && m->cur.len == 0 && same(m->name, key) && same(m->filename, filename))) {
        if (m->open && part_end(m) < 0)
            return MHD_NO;
        if (part_begin(m, key, filename, encoding) < 0)
            return MHD_NO;
    }
    if (!m->open) {
        fail(m, PURPOSE_ERR_INPUT, "form: is not a well-formed multipart/form-data body");
        return MHD_NO;
    }
    if (size && buf_append(&m->cur, data, size) < 0) {
        fail(m, PURPOSE_ERR_INTERNAL, "form: out of memory");
        return MHD_NO;
    }
    return MHD_YES;
}

int web_multipart_parse(void *conn, const char *body, size_t len, struct web_form *f, struct purpose_err *err)
{
    f->n = 0;
    if (!conn)
        return purpose_errf(err, "form: is not a well-formed multipart/form-data body");
    struct mp m = {.f = f, .err = err, .limit = len + 1};
    buf_init(&m.cur, m.limit);
    struct MHD_PostProcessor *pp = MHD_create_post_processor(conn, MP_WINDOW, on_piece, &m);
    if (!pp) {
        buf_release(&m.cur);
        return purpose_errf(err, "form: the multipart/form-data boundary is missing or too short");
    }
    bool ok = MHD_post_process(pp, body, len) == MHD_YES;
    if (ok && !m.failed && m.open)
        part_end(&m);
    /* MHD_NO: the body stopped inside a part, or before its closing boundary. */
    bool complete = MHD_destroy_post_processor(pp) == MHD_YES;
    part_clear(&m);
    buf_release(&m.cur);
    if (m.failed || !ok || !complete) {
        web_form_release(f);
        if (!m.failed)
            purpose_errf(err, "form: is not a well-formed multipart/form-data body");
        return -1;
    }
    return 0;
}

int web_upload_text(const struct web_req *r, const char *file_field, const char *paste_field, const char **text,
                    const char **filename, struct purpose_err *err)
{
    const struct web_field *fl = web_form_field(&r->form, file_field);
    /* A form whose file input was left empty still sends the part, with an empty file name. */
    if (fl && fl->filename && (fl->filename[0] || fl->value[0] || fl->problem)) {
        if (fl->problem)
            return purpose_errk(err, PURPOSE_ERR_INPUT, file_field, "%s", fl->problem);
        *text = fl->value;
        *filename = fl->filename[0] ? fl->filename : file_field;
        return 0;
    }
    *text = web_field(r, paste_field);
    *filename = NULL;
    return 0;
}
