#ifndef PURPOSE_HANDOVER_H
#define PURPOSE_HANDOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/csv.h"
#include "purpose/err.h"

/* Ambulance handovers (the contract is shared/spec/handovers.md): times in Europe/London, rows,
 * bad rows, row identity, per-site-day aggregates and the report built from them.
 *
 * Pure: no I/O, no printing, no global state; results depend only on the arguments.
 * Ownership, once for the whole module: the caller owns every struct it passes in; a `_new`
 * result is freed with its `_free(&p)`, which NULLs p; `_init`ed structs are emptied with
 * `_release`. Pointers inside a struct ho_row, struct ho_bad or struct ho_metrics handed to a
 * callback point into the stream's or the aggregate's memory and are valid only during that
 * callback. Functions that can fail return 0 (or a count) and -1 with err filled. */

/* ---- Time --------------------------------------------------------------------------------
 * An instant is int64 milliseconds since 1970-01-01T00:00Z (no leap seconds). Local time is
 * Europe/London by the UK rule: BST (UTC+1) from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October, GMT otherwise. That rule holds from 1996 (until 1995
 * BST ended on the day after the fourth Saturday of October); later changes in the law cannot be
 * known, so instants are accepted from 1996-01-01T00:00Z to 2099-12-31T23:59:59.999Z only (both
 * ends are in winter, so local dates span the same years). */
#define HO_MS_MIN INT64_C(820454400000)  /* 1996-01-01T00:00Z */
#define HO_MS_END INT64_C(4102444800000) /* 2100-01-01T00:00Z, excluded */
#define HO_NONE INT64_MIN                /* an empty time cell */
#define HO_MINUTE_MS INT64_C(60000)
#define HO_HOUR_MS INT64_C(3600000)
#define HO_DAY_MS INT64_C(86400000)

enum ho_time_status {
    HO_TIME_OK = 0,
    HO_TIME_SYNTAX = -1,      /* not one of the accepted forms */
    HO_TIME_RANGE = -2,       /* a field out of range: month 13, 30 February, 24:00, +25:00 */
    HO_TIME_YEARS = -3,       /* outside 1996..2099 */
    HO_TIME_NONEXISTENT = -4, /* local wall time in the hour skipped in March */
};

/* Parses `YYYY-MM-DDTHH:MM[:SS[.f{1,3}]]` (a space may replace T) followed by `Z`, `±HH:MM`,
 * `±HHMM` or nothing (Europe/London wall time; the repeated October hour means its first
 * occurrence, +01:00). */
enum ho_time_status ho_time_parse(const char *s, size_t len, int64_t *ms);

int32_t ho_days_from_civil(int y, int m, int d); /* days since 1970-01-01 (proleptic Gregorian) */
void ho_civil_from_days(int32_t day, int *y, int *m, int *d);
int ho_weekday(int32_t day); /* 0 Monday .. 6 Sunday */
int64_t ho_london_offset(int64_t utc_ms); /* 0 or HO_HOUR_MS */
/* The local date (days since 1970-01-01) and local hour 0..23 of an instant. */
void ho_local(int64_t utc_ms, int32_t *day, int *hour);
/* Parses YYYY-MM-DD (a local date). Returns 0 or -1. */
int ho_date_parse(const char *s, size_t len, int32_t *day);
/* Writes YYYY-MM-DD and a NUL into out[11]. */
void ho_date_format(int32_t day, char out[11]);

/* ---- Rows --------------------------------------------------------------------------------- */
enum ho_col { HO_COL_SITE, HO_COL_ARRIVAL, HO_COL_HANDOVER, HO_COL_CLEAR, HO_COL_REF, HO_COL_SITE_CODE, HO_N_COLS };
const char *ho_col_name(enum ho_col c); /* the header name: "site", "arrival", ... */

/* Every kind of bad row (spec: "Bad rows"), plus a row with the wrong number of fields. */
enum ho_bad_kind {
    HO_BAD_MISSING_SITE,
    HO_BAD_MISSING_ARRIVAL,
    HO_BAD_TIME,                    /* unparseable, out of range or outside 1996..2099 */
    HO_BAD_NONEXISTENT_TIME,        /* the skipped March hour, without an offset */
    HO_BAD_HANDOVER_BEFORE_ARRIVAL,
    HO_BAD_HANDOVER_OVER_24H,       /* more than 24 h after arrival (exactly 24 h is allowed) */
    HO_BAD_CLEAR_BEFORE_HANDOVER,
    HO_BAD_FIELD_COUNT,             /* not as many fields as the header */
    HO_BAD_SITE_CODE,               /* a site_code that is not 3 to 10 capital letters and digits */
    HO_N_BAD
};
const char *ho_bad_kind_name(enum ho_bad_kind k); /* a stable token, e.g. "nonexistent_time" */

/* A site code (ODS-style): 3 to 10 capital letters A-Z and digits. */
#define HO_SITE_CODE_MIN 3
#define HO_SITE_CODE_MAX 10
bool ho_site_code_valid(const char *s, size_t len);

struct ho_row {
    const char *site, *ref; /* unescaped; ref is "" when absent */
    size_t site_len, ref_len;
    const char *site_code;  /* "" when absent or empty; else valid (ho_site_code_valid) */
    size_t site_code_len;
    int64_t arrival;        /* instants; handover and clear are HO_NONE when empty */
    int64_t handover, clear;
    size_t line;            /* physical line of the file, the header being line 1 */
};

struct ho_bad {
    size_t line;
    enum ho_col field;      /* the column at fault (HO_N_COLS: the row as a whole) */
    enum ho_bad_kind kind;
    char reason[192];       /* words for a person, e.g. "\"2023-03-26T01:30\" does not exist ..." */
    const char *text;       /* the row as it was in the file, without its line end (set by the */
    size_t text_len;        /* stream; NULL from ho_row_parse alone) */
};

/* Where each column is in a row; -1 when absent. */
struct ho_columns {
    int idx[HO_N_COLS];
    size_t n_fields;
};

/* Reads the header row: names match case-insensitively; other columns are ignored; site and
 * arrival are required; a name twice is an error. name is the file name for messages. */
int ho_columns_from_header(struct ho_columns *c, const char *name, const struct csv_field *f, size_t n,
                           struct purpose_err *err);

/* Checks one data row. Returns 1 with row filled (site/ref may point into scratch, reset by each
 * call), or 0 with bad filled. Rules are checked in column order; the first failure is reported.
 * Should scratch fail (it must allow twice the row's length), the row is reported as bad. */
int ho_row_parse(const struct ho_columns *c, const struct csv_field *f, size_t n, size_t line,
                 struct buf *scratch, struct ho_row *row, struct ho_bad *bad);

/* The reject file of an import: a header, then per bad row its line, column, kind, reason and
 * the row's text, each a CSV field. */
extern const char ho_reject_csv_header[];
void ho_reject_csv_row(struct buf *b, const struct ho_bad *bad);

/* Row identity (spec: site + arrival instant + ref, empty ref a value): the exact identity is
 * the tuple; this is a compact 128-bit stand-in for a UNIQUE index: SipHash-2-4-128 under key
 * (keep one random key per database, so that collisions cannot be chosen) of
 * le32(site_len) site le64(arrival) le32(ref_len) ref. */
void ho_row_key(const uint8_t key[16], const struct ho_row *r, uint8_t out[16]);
/* SipHash-2-4 (Aumasson and Bernstein, 2012), 64- or 128-bit output (out_len 8 or 16). */
void ho_siphash(const uint8_t key[16], const void *msg, size_t len, uint8_t *out, size_t out_len);

/* ---- Streamed parsing ---------------------------------------------------------------------
 * Bytes in, rows out, in bounded memory: bytes are parsed as soon as their row is complete, and
 * only an incomplete last row is kept (a row may be at most HO_ROW_MAX bytes). The first row is
 * the header. A CSV error that loses the row structure (an unterminated quote, text after a
 * closing quote, no header) or a callback returning -1 stops the stream with err filled. */
#define HO_ROW_MAX (1u << 20)

struct ho_sink {
    int (*row)(void *ctx, const struct ho_row *row, struct purpose_err *err);
    int (*bad)(void *ctx, const struct ho_bad *bad, struct purpose_err *err);
    void *ctx;
};

struct ho_stream_stats {
    uint64_t bytes; /* parsed so far */
    uint64_t rows;  /* good rows */
    uint64_t bad;   /* bad rows */
};

struct ho_stream;
int ho_stream_new(struct ho_stream **out, const char *name, const struct ho_sink *sink, struct purpose_err *err);
void ho_stream_free(struct ho_stream **s);
/* Room for the next bytes: up to *room bytes may be written at the returned pointer, then
 * committed. NULL when out of memory. */
char *ho_stream_space(struct ho_stream *s, size_t *room);
/* n bytes were written at the space: parses every complete row. */
int ho_stream_commit(struct ho_stream *s, size_t n, struct purpose_err *err);
/* Copies and commits data (for callers that already hold the bytes). */
int ho_stream_feed(struct ho_stream *s, const void *data, size_t len, struct purpose_err *err);
/* The end of the input: parses the last row. Fails when there was no header. */
int ho_stream_finish(struct ho_stream *s, struct purpose_err *err);
struct ho_stream_stats ho_stream_stats(const struct ho_stream *s);

/* ---- Aggregates ---------------------------------------------------------------------------
 * One struct ho_day per site and local day (by arrival): per local hour (the repeated October
 * hour is one bucket; the skipped March hour is empty) the arrivals and handover-to-clear counts,
 * and every duration handover - arrival in ms, packed as (hour << 27 | ms) and kept sorted when
 * sealed (so grouped by hour). Every metric, exact medians and p95 included, over any set of
 * days and hours follows from these, so periods never re-read rows. Size: about 300 bytes plus
 * 4 bytes a handover. Merging is adding counts and joining durations: merge(a, b) equals the
 * aggregate of the union of their rows. */
#define HO_DUR_BITS 27
#define HO_DUR_MASK ((UINT32_C(1) << HO_DUR_BITS) - 1)

struct ho_hour {
    uint32_t arrivals;
    uint32_t handovers;   /* rows with a handover time (durations of this hour) */
    uint32_t clear_n;     /* rows with both handover and clear */
    uint32_t clear_15;    /* of those, clear - handover <= 15 min */
};

struct ho_day {
    int32_t day;          /* local date, days since 1970-01-01 */
    uint32_t n, cap;      /* durations */
    uint32_t *dur;
    bool sealed;          /* dur sorted */
    struct ho_hour hour[24];
};

void ho_day_init(struct ho_day *d, int32_t day);
void ho_day_release(struct ho_day *d);
/* Adds a row whose local arrival date is d->day. */
int ho_day_add(struct ho_day *d, const struct ho_row *r, struct purpose_err *err);
int ho_day_merge(struct ho_day *d, const struct ho_day *src, struct purpose_err *err);
void ho_day_seal(struct ho_day *d);
/* The start of hour h's durations in a sealed day. */
uint32_t ho_day_hour_start(const struct ho_day *d, int h);

/* A versioned, little-endian blob for the store (one per site x day): "HOD" version 1, the day,
 * 24 hours of counts, per hour the sorted durations as LEB128 deltas, then a CRC-32 of all that.
 * Serialising seals the day. Deserialising checks every bound and the CRC and refuses anything
 * else, leaving d empty. */
int ho_day_serialise(struct ho_day *d, struct buf *out);
int ho_day_deserialise(struct ho_day *d, const void *blob, size_t len, struct purpose_err *err);
uint32_t ho_crc32(const void *p, size_t n); /* IEEE 802.3, as zlib */

/* Sites and their days, in memory: O(site-days), not O(rows), plus 4 bytes a handover. */
struct ho_agg;
int ho_agg_new(struct ho_agg **out, struct purpose_err *err);
void ho_agg_free(struct ho_agg **a);
int ho_agg_add(struct ho_agg *a, const struct ho_row *r, struct purpose_err *err);
/* Merges day (for site) into the map; day is left as it was. The store's way in. */
int ho_agg_put_day(struct ho_agg *a, const char *site, size_t site_len, const struct ho_day *day,
                   struct purpose_err *err);
/* The same, but moves day's memory into the map when it holds nothing for that date yet (no
 * copy); day is left empty either way (as after ho_day_release), on failure too. */
int ho_agg_take_day(struct ho_agg *a, const char *site, size_t site_len, struct ho_day *day,
                    struct purpose_err *err);
int ho_agg_merge(struct ho_agg *dst, const struct ho_agg *src, struct purpose_err *err);
size_t ho_agg_site_count(const struct ho_agg *a);
/* The i-th site in byte order of names, and its days in date order (no NULL entries; 0 days and
 * *days NULL when out of memory). */
const char *ho_agg_site(struct ho_agg *a, size_t i, size_t *len);
size_t ho_agg_days(struct ho_agg *a, size_t i, struct ho_day *const **days);

/* ---- One handover recorded twice -------------------------------------------------------------
 * The same hospital recorded by two organisations (sites sharing a site code): the records of one
 * handover are matched so that it counts once, and where the records disagree is listed. A record
 * is kept per stored row (the store's "rows" detail, 16 bytes each, packed relative to the local
 * day of arrival). */
#define HO_REC_BYTES 16

struct ho_rec {
    int64_t arrival, handover, clear; /* instants; handover and clear HO_NONE when empty */
    uint32_t ref;   /* a keyed hash of the ref (ho_ref_hash), 0 when there is none */
    uint32_t src;   /* which organisation's record (0..63) */
    uint32_t group; /* after ho_match: the index of the first record of its group */
};

/* A 32-bit keyed hash (SipHash under the database's key) of a ref; 0 for an empty ref, never 0
 * otherwise. */
uint32_t ho_ref_hash(const uint8_t key[16], const char *ref, size_t len);
/* Packs r (arrival on local day `day`) into 16 bytes; unpacks, refusing (-1) a record whose
 * arrival is not within its day's bounds. A clear more than 49 days after handover is kept as
 * 49 days (it only ever counts as "not within 15 minutes"). */
void ho_rec_pack(uint8_t out[HO_REC_BYTES], int32_t day, const struct ho_row *r, uint32_t ref);
int ho_rec_unpack(const uint8_t in[HO_REC_BYTES], int32_t day, struct ho_rec *out);

/* Sorts r[0..n) by arrival (then src, handover, ref) and groups the records of one handover: a
 * record starts a group and takes, from each other source, the unmatched record whose arrival is
 * at most tolerance_ms after its own and whose ref agrees (equal, or either empty), preferring an
 * equal ref, then the nearest arrival. Sets each record's group. Deterministic for a given set of
 * records, whatever their order. Sources must be below 64. */
void ho_match(struct ho_rec *r, size_t n, int64_t tolerance_ms);

/* ---- Report ------------------------------------------------------------------------------- */
enum ho_by { HO_BY_HOUR, HO_BY_DAY, HO_BY_WEEK, HO_BY_MONTH };
int ho_by_parse(const char *s, enum ho_by *by); /* "hour" .. "month"; 0 or -1 */

struct ho_report_opts {
    enum ho_by by;
    const char *site;     /* NULL: every site, then `all` */
    size_t site_len;
    int32_t from, to;     /* local dates, inclusive; INT32_MIN / INT32_MAX when open */
};

/* One output row. Undefined values (no denominator) are NaN. */
struct ho_metrics {
    const char *site;
    size_t site_len;
    char period[17];      /* YYYY-MM-DDTHH:00, YYYY-MM-DD (day, or week's Monday), YYYY-MM */
    uint64_t arrivals, handovers, over_45, over_60;
    double pct_within_15, pct_within_30, pct_within_60;
    double mean_min, median_min, p95_min;
    double hours_lost_15, hours_lost_60;
    double pct_clear_within_15;
};

/* Calls emit for each row, sorted by site (byte order) then period, then the `all` rows. */
int ho_report_run(struct ho_agg *a, const struct ho_report_opts *o,
                  int (*emit)(void *ctx, const struct ho_metrics *m, struct purpose_err *err), void *ctx,
                  struct purpose_err *err);

/* Metrics of a bag of durations (ms; reordered) and counts. */
void ho_metrics_compute(struct ho_metrics *m, uint32_t *ms, size_t n, uint64_t arrivals, uint64_t clear_n,
                        uint64_t clear_15);
/* Type 7 quantile (Hyndman and Fan 1996; R's default) of v[0..n) for p = num/den, exact
 * positions; v is reordered. n > 0. */
double ho_quantile(uint32_t *v, size_t n, uint32_t num, uint32_t den);

extern const char ho_report_csv_header[];
void ho_report_csv_row(struct buf *b, const struct ho_metrics *m);
void ho_report_json_row(struct buf *b, const struct ho_metrics *m); /* one object, no separator */
/* A plain decimal (never an exponent) of 12 significant digits, trailing zeros dropped; nothing
 * for NaN. */
void ho_write_number(struct buf *b, double v);

/* Hour-of-day x day-of-week of mean handover time, over local days from..to (inclusive) of one
 * site (site NULL: all). mean[wd][h] in minutes, NaN when no handovers; wd 0 is Monday. */
int ho_heatmap(struct ho_agg *a, const char *site, size_t site_len, int32_t from, int32_t to,
               double mean[7][24], uint64_t count[7][24]);

/* ---- Synthetic data ----------------------------------------------------------------------- */
struct ho_gen_opts {
    unsigned sites, days;
    uint64_t seed;
    uint64_t bad;          /* bad rows, cycling through every kind */
    int32_t start;         /* first local date */
    int32_t improve;       /* handovers get quicker from this local date */
};
struct ho_gen;
int ho_gen_new(struct ho_gen **out, const struct ho_gen_opts *o, struct purpose_err *err);
void ho_gen_free(struct ho_gen **g);
/* Appends the header (first call) and the next site-day's rows (bad rows at the start of a day)
 * to out. Returns 1 while more remain, 0 after the last. Deterministic for a seed. On running
 * out of memory it sets out->failed. */
int ho_gen_next(struct ho_gen *g, struct buf *out);
uint64_t ho_gen_rows(const struct ho_gen *g); /* rows written so far, bad ones included */

#endif
