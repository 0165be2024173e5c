/* Private to the handover import (handovers.c, handovers_day.c): the import's state, and one
 * site-day's merge of new rows into what is stored and its write. */
#ifndef PURPOSE_STORE_HANDOVERS_INT_H
#define PURPOSE_STORE_HANDOVERS_INT_H

#include "store/store_int.h"
#include "core/strmap.h"

struct ho_site {
    int64_t id;
    char code[HO_SITE_CODE_MAX + 1]; /* "" until a row or the stored site gives one */
};

/* A good row waiting for the next flush. */
struct pending {
    uint32_t site;  /* index into sites */
    int32_t day;    /* local date of arrival */
    uint64_t key;   /* identity: 64 bits of ho_row_key */
    uint32_t seq;   /* order of arrival in the file: the first of equal rows wins */
    uint32_t ref;   /* ho_ref_hash of the ref, for matching a partner's record of the row */
    int64_t arrival, handover, clear;
};

struct store_ho_import {
    struct store *s;
    struct db_conn *c;
    struct store_actor by;
    char *by_name;
    int64_t org_id;
    char *source;
    uint8_t key[16];
    bool pg;
    struct strmap names; /* site name -> index into sites */
    struct ho_site *sites;
    size_t n_sites, cap_sites;
    struct pending *rows;
    size_t n_rows, cap_rows;
    uint64_t *fresh;     /* scratch: the new identities of one site-day */
    uint8_t *fresh_rec;  /* and their records (HO_REC_BYTES each) */
    size_t cap_fresh;
    struct buf out;      /* a site's new blobs and identities, and their text for COPY */
    struct buf scratch;  /* a stored blob */
    struct buf scratch2; /* its stored identities */
    struct store_ho_summary sum;
};

/* The little-endian 64-bit number at p (a stored identity). */
static inline uint64_t store_ho_le64_at(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* The rows p[0..n) of one site-day (sorted by identity, then order in the file) against what is
 * stored for it (blob, keys and rows NULL: nothing). Appends the day's new blob, identities and
 * records to im->out and reports their offsets; *changed is false when nothing needs writing. */
int store_ho_merge_day(struct store_ho_import *im, const struct pending *p, size_t n, const void *blob, size_t blob_len,
                       const unsigned char *keys, size_t keys_len, const unsigned char *rows, size_t rows_len,
                       bool *changed, size_t *blob_at, size_t *keys_at, size_t *rows_at, struct purpose_err *err);
/* Writes one site-day from im->out: SQLite by an upsert; PostgreSQL (bulk not NULL) as a COPY row. */
int store_ho_write_day(struct store_ho_import *im, struct db_bulk *bulk, int64_t site_id, int32_t day, size_t blob_at,
                       size_t keys_at, size_t rows_at, size_t end, struct purpose_err *err);

#endif
