/* Header, rows, bad rows and row identity (spec: "Input CSV", "Bad rows"). */
#include <stdio.h>
#include <string.h>

#include "handover/handover.h"
#include "core/banned.h"

static const char *const col_names[HO_N_COLS] = {"site", "arrival", "handover", "clear", "ref", "site_code"};

const char *ho_col_name(enum ho_col c)
{
    return (unsigned)c < HO_N_COLS ? col_names[c] : "row";
}

const char *ho_bad_kind_name(enum ho_bad_kind k)
{
    static const char *const names[HO_N_BAD] = {
        "missing_site",           "missing_arrival",         "bad_time",
        "nonexistent_time",       "handover_before_arrival", "handover_over_24h",
        "clear_before_handover",  "field_count",             "bad_site_code",
    };
    return (unsigned)k < HO_N_BAD ? names[k] : "unknown";
}

static bool name_is(const char *p, size_t n, const char *name)
{
    size_t len = strlen(name);
    if (n != len)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != name[i])
            return false;
    }
    return true;
}

int ho_columns_from_header(struct ho_columns *c, const char *name, const struct csv_field *f, size_t n,
                           struct purpose_err *err)
{
    for (int k = 0; k < HO_N_COLS; k++)
        c->idx[k] = -1;
    c->n_fields = n;
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < HO_N_COLS; k++) {
            if (!name_is(f[i].p, f[i].len, col_names[k]))
                continue;
            if (c->idx[k] >= 0)
                return purpose_errf(err, "%s:1: column \"%s\" appears twice in the header", name, col_names[k]);
            c->idx[k] = (int)i;
        }
    }
    for (int k = HO_COL_SITE; k <= HO_COL_ARRIVAL; k++)
        if (c->idx[k] < 0)
            return purpose_errf(err, "%s:1: no \"%s\" column in the header (columns: site, arrival, "
                                     "handover, clear, ref, site_code)", name, col_names[k]);
    return 0;
}

/* The cell as printable text for a message: control bytes become '?', long cells are cut. */
static void quote_cell(char *out, size_t cap, const char *p, size_t n)
{
    size_t o = 0, max = cap - 6;
    out[o++] = '"';
    for (size_t i = 0; i < n && o < max; i++)
        out[o++] = (unsigned char)p[i] < 0x20 || p[i] == 0x7f ? '?' : p[i];
    if (o == max && n > max - 1) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = '\0';
}

static int bad_row(struct ho_bad *bad, size_t line, enum ho_col field, enum ho_bad_kind kind, const char *fmt,
                   const char *cell, const char *cell2)
{
    bad->line = line;
    bad->field = field;
    bad->kind = kind;
    bad->text = NULL;
    bad->text_len = 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(bad->reason, sizeof bad->reason, fmt, cell, cell2);
#pragma GCC diagnostic pop
    return 0;
}

bool ho_site_code_valid(const char *s, size_t len)
{
    if (len < HO_SITE_CODE_MIN || len > HO_SITE_CODE_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

static const char *const time_forms = "YYYY-MM-DDTHH:MM[:SS[.fff]] then Z, +HH:MM, +HHMM or nothing";

/* 1 parsed (or empty, *ms = HO_NONE), 0 bad. */
static int parse_time_cell(const struct csv_field *f, size_t line, enum ho_col col, int64_t *ms, struct ho_bad *bad)
{
    if (f->len == 0) {
        *ms = HO_NONE;
        return 1;
    }
    enum ho_time_status st = ho_time_parse(f->p, f->len, ms);
    if (st == HO_TIME_OK)
        return 1;
    char cell[72];
    quote_cell(cell, sizeof cell, f->p, f->len);
    switch (st) {
    case HO_TIME_NONEXISTENT:
        return bad_row(bad, line, col, HO_BAD_NONEXISTENT_TIME,
                       "%s does not exist in Europe/London (the clocks went forward an hour)%s", cell, "");
    case HO_TIME_YEARS:
        return bad_row(bad, line, col, HO_BAD_TIME, "%s is outside the years 1996 to 2099%s", cell, "");
    case HO_TIME_RANGE:
        return bad_row(bad, line, col, HO_BAD_TIME, "%s is not a real date and time%s", cell, "");
    default:
        return bad_row(bad, line, col, HO_BAD_TIME, "%s is not a time (%s)", cell, time_forms);
    }
}

/* A handover within 24 hours after the arrival, and the clear not before the handover; else the
 * row is bad (false). */
static bool times_in_order(const struct ho_columns *c, const struct csv_field *f, size_t line,
                           const struct ho_row *row, struct ho_bad *bad)
{
    const struct csv_field *arrival = &f[c->idx[HO_COL_ARRIVAL]], *hf = &f[c->idx[HO_COL_HANDOVER]];
    char cell[72], acell[72];
    if (row->handover < row->arrival || row->handover - row->arrival > HO_DAY_MS) {
        quote_cell(cell, sizeof cell, hf->p, hf->len);
        quote_cell(acell, sizeof acell, arrival->p, arrival->len);
        if (row->handover < row->arrival)
            return bad_row(bad, line, HO_COL_HANDOVER, HO_BAD_HANDOVER_BEFORE_ARRIVAL, "%s is before the arrival %s",
                           cell, acell);
        return bad_row(bad, line, HO_COL_HANDOVER, HO_BAD_HANDOVER_OVER_24H,
                       "%s is more than 24 hours after the arrival %s", cell, acell);
    }
    if (row->clear != HO_NONE && row->clear < row->handover) {
        const struct csv_field *cf = &f[c->idx[HO_COL_CLEAR]];
        quote_cell(cell, sizeof cell, cf->p, cf->len);
        quote_cell(acell, sizeof acell, hf->p, hf->len);
        return bad_row(bad, line, HO_COL_CLEAR, HO_BAD_CLEAR_BEFORE_HANDOVER, "%s is before the handover %s", cell,
                       acell);
    }
    return true;
}

int ho_row_parse(const struct ho_columns *c, const struct csv_field *f, size_t n, size_t line,
                 struct buf *scratch, struct ho_row *row, struct ho_bad *bad)
{
    char num[32];
    if (n != c->n_fields) {
        snprintf(num, sizeof num, "%zu", n);
        char want[32];
        snprintf(want, sizeof want, "%zu", c->n_fields);
        return bad_row(bad, line, HO_N_COLS, HO_BAD_FIELD_COUNT, "%s fields, but the header has %s", num, want);
    }
    const struct csv_field *site = &f[c->idx[HO_COL_SITE]], *arrival = &f[c->idx[HO_COL_ARRIVAL]];
    if (site->len == 0)
        return bad_row(bad, line, HO_COL_SITE, HO_BAD_MISSING_SITE, "the site is missing%s%s", "", "");
    if (arrival->len == 0)
        return bad_row(bad, line, HO_COL_ARRIVAL, HO_BAD_MISSING_ARRIVAL, "the arrival time is missing%s%s", "", "");
    if (!parse_time_cell(arrival, line, HO_COL_ARRIVAL, &row->arrival, bad))
        return 0;
    row->handover = row->clear = HO_NONE;
    if (c->idx[HO_COL_HANDOVER] >= 0 &&
        !parse_time_cell(&f[c->idx[HO_COL_HANDOVER]], line, HO_COL_HANDOVER, &row->handover, bad))
        return 0;
    if (c->idx[HO_COL_CLEAR] >= 0 && !parse_time_cell(&f[c->idx[HO_COL_CLEAR]], line, HO_COL_CLEAR, &row->clear, bad))
        return 0;
    if (row->handover != HO_NONE && !times_in_order(c, f, line, row, bad))
        return 0;
    /* A code is letters and digits only, so a valid one is never escaped. */
    const struct csv_field *code = c->idx[HO_COL_SITE_CODE] >= 0 ? &f[c->idx[HO_COL_SITE_CODE]] : NULL;
    row->site_code = "";
    row->site_code_len = 0;
    if (code && code->len) {
        if (code->escaped || !ho_site_code_valid(code->p, code->len)) {
            char cell[72];
            quote_cell(cell, sizeof cell, code->p, code->len);
            return bad_row(bad, line, HO_COL_SITE_CODE, HO_BAD_SITE_CODE,
                           "%s is not a site code (3 to 10 capital letters and digits, as ODS codes are)%s", cell, "");
        }
        row->site_code = code->p;
        row->site_code_len = code->len;
    }
    /* site and ref share one scratch buffer: both unescaped into it, pointers taken after. */
    buf_reset(scratch);
    const struct csv_field *ref = c->idx[HO_COL_REF] >= 0 ? &f[c->idx[HO_COL_REF]] : NULL;
    size_t site_at = 0, ref_at = 0;
    if (site->escaped) {
        for (size_t i = 0; i < site->len; i++)
            if (buf_putc(scratch, site->p[i]) == 0 && site->p[i] == '"')
                i++;
        row->site_len = scratch->len;
    } else {
        row->site_len = site->len;
    }
    ref_at = scratch->len;
    if (ref && ref->escaped) {
        for (size_t i = 0; i < ref->len; i++)
            if (buf_putc(scratch, ref->p[i]) == 0 && ref->p[i] == '"')
                i++;
        row->ref_len = scratch->len - ref_at;
    } else {
        row->ref_len = ref ? ref->len : 0;
    }
    if (scratch->failed) /* never from the stream: its scratch allows twice HO_ROW_MAX */
        return bad_row(bad, line, HO_N_COLS, HO_BAD_FIELD_COUNT, "the row is too long to read%s%s", "", "");
    row->site = site->escaped ? scratch->data + site_at : site->p;
    row->ref = ref && ref->escaped ? scratch->data + ref_at : ref ? ref->p : "";
    row->line = line;
    return 1;
}

const char ho_reject_csv_header[] = "line,column,kind,reason,row\n";

void ho_reject_csv_row(struct buf *b, const struct ho_bad *bad)
{
    buf_printf(b, "%zu,%s,%s,", bad->line, ho_col_name(bad->field), ho_bad_kind_name(bad->kind));
    csv_write_field(b, bad->reason, strlen(bad->reason));
    buf_putc(b, ',');
    if (bad->text)
        csv_write_field(b, bad->text, bad->text_len);
    buf_putc(b, '\n');
}

/* ---- SipHash-2-4, from the paper's description ---- */
static inline uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }
static inline uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

#define SIPROUND                                                                                                       \
    do {                                                                                                               \
        v0 += v1, v1 = rotl(v1, 13), v1 ^= v0, v0 = rotl(v0, 32);                                                      \
        v2 += v3, v3 = rotl(v3, 16), v3 ^= v2;                                                                         \
        v0 += v3, v3 = rotl(v3, 21), v3 ^= v0;                                                                         \
        v2 += v1, v1 = rotl(v1, 17), v1 ^= v2, v2 = rotl(v2, 32);                                                      \
    } while (0)

void ho_siphash(const uint8_t key[16], const void *msg, size_t len, uint8_t *out, size_t out_len)
{
    const uint8_t *m = msg;
    uint64_t k0 = le64(key), k1 = le64(key + 8);
    uint64_t v0 = k0 ^ UINT64_C(0x736f6d6570736575), v1 = k1 ^ UINT64_C(0x646f72616e646f6d);
    uint64_t v2 = k0 ^ UINT64_C(0x6c7967656e657261), v3 = k1 ^ UINT64_C(0x7465646279746573);
    if (out_len == 16)
        v1 ^= 0xee;
    size_t whole = len - len % 8;
    for (size_t i = 0; i < whole; i += 8) {
        uint64_t w = le64(m + i);
        v3 ^= w;
        SIPROUND;
        SIPROUND;
        v0 ^= w;
    }
    uint64_t b = (uint64_t)len << 56;
    for (size_t i = 0; i < len % 8; i++)
        b |= (uint64_t)m[whole + i] << (8 * i);
    v3 ^= b;
    SIPROUND;
    SIPROUND;
    v0 ^= b;
    v2 ^= out_len == 16 ? 0xee : 0xff;
    for (int r = 0; r < 4; r++)
        SIPROUND;
    uint64_t h = v0 ^ v1 ^ v2 ^ v3;
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(h >> (8 * i));
    if (out_len != 16)
        return;
    v1 ^= 0xdd;
    for (int r = 0; r < 4; r++)
        SIPROUND;
    h = v0 ^ v1 ^ v2 ^ v3;
    for (int i = 0; i < 8; i++)
        out[8 + i] = (uint8_t)(h >> (8 * i));
}

void ho_row_key(const uint8_t key[16], const struct ho_row *r, uint8_t out[16])
{
    uint8_t small[256];
    size_t need = 16 + r->site_len + r->ref_len;
    /* Fixed-size fields framed by lengths, so no two tuples share an encoding. */
    uint8_t head[12], tail[4];
    uint32_t sl = (uint32_t)r->site_len, rl = (uint32_t)r->ref_len;
    for (int i = 0; i < 4; i++) {
        head[i] = (uint8_t)(sl >> (8 * i));
        tail[i] = (uint8_t)(rl >> (8 * i));
    }
    for (int i = 0; i < 8; i++)
        head[4 + i] = (uint8_t)((uint64_t)r->arrival >> (8 * i));
    if (need <= sizeof small) {
        memcpy(small, head, 4);
        if (r->site_len)
            memcpy(small + 4, r->site, r->site_len);
        memcpy(small + 4 + r->site_len, head + 4, 8);
        memcpy(small + 12 + r->site_len, tail, 4);
        if (r->ref_len)
            memcpy(small + 16 + r->site_len, r->ref, r->ref_len);
        ho_siphash(key, small, need, out, 16);
        return;
    }
    /* Long values (rare): hash the site and ref first, then the fixed-size frame. */
    uint8_t frame[12 + 16 + 4 + 16];
    memcpy(frame, head, 4);
    ho_siphash(key, r->site, r->site_len, frame + 4, 16);
    memcpy(frame + 20, head + 4, 8);
    memcpy(frame + 28, tail, 4);
    ho_siphash(key, r->ref, r->ref_len, frame + 32, 16);
    ho_siphash(key, frame, sizeof frame, out, 16);
}
