/* Reading a pol.is export (compdemocracy/openData): comments.csv and votes.csv, from memory. In
 * these files 1 is agree and -1 disagree (pol.is's database stores the opposite sign; its export
 * flips it), moderated is -1 (out), 0 (not yet moderated) or 1 (in). */
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "opinion/opinion.h"
#include "core/banned.h"

#define MAX_ID 9007199254740991ULL /* 2^53 - 1: ids survive a round trip through JSON numbers */
/* Bounds far above any pol.is conversation (its math stops taking new participants at 100,000
 * and statements at 10,000): memory is about 32 bytes a vote while reading. */
#define MAX_COMMENTS 100000u
#define MAX_VOTES 10000000u

struct cols { int id, voter, vote, ts, moderated, body; };

/* The index of the header field named name, or -1. */
static int find_col(const struct csv_reader *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->n_fields; i++)
        if (!r->fields[i].escaped && r->fields[i].len == n && memcmp(r->fields[i].p, name, n) == 0)
            return (int)i;
    return -1;
}

static int need_col(const struct csv_reader *r, const char *name, int *at, struct purpose_err *err)
{
    *at = find_col(r, name);
    if (*at < 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s:%zu: no column \"%s\"", r->name, r->row_line, name);
    return 0;
}

/* A field's text for a message, shortened. */
static int show_len(const struct csv_field *f)
{
    return f->len > 40 ? 40 : (int)f->len;
}

static int whole(const struct csv_reader *r, int col, const char *name, uint64_t *out, struct purpose_err *err)
{
    const struct csv_field *f = &r->fields[col];
    uint64_t v = 0;
    bool ok = f->len > 0 && f->len <= 16 && !f->escaped;
    for (size_t i = 0; ok && i < f->len; i++) {
        if (f->p[i] < '0' || f->p[i] > '9')
            ok = false;
        else
            v = v * 10 + (uint64_t)(f->p[i] - '0');
    }
    if (!ok || v > MAX_ID)
        return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s:%zu: column \"%s\": \"%.*s\" is not a whole number",
                            r->name, r->row_line, name, show_len(f), f->p);
    *out = v;
    return 0;
}

static int ternary(const struct csv_reader *r, int col, const char *name, int8_t *out, struct purpose_err *err)
{
    const struct csv_field *f = &r->fields[col];
    if (f->len == 1 && (f->p[0] == '0' || f->p[0] == '1'))
        *out = (int8_t)(f->p[0] - '0');
    else if (f->len == 2 && f->p[0] == '-' && f->p[1] == '1')
        *out = -1;
    else
        return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s:%zu: column \"%s\": \"%.*s\" is not -1, 0 or 1",
                            r->name, r->row_line, name, show_len(f), f->p);
    return 0;
}

struct cmt { uint64_t id; size_t line; char *text; int8_t moderated; };
struct rec { uint64_t voter, ts; uint32_t stmt; uint32_t line; int8_t value; };

static int by_id(const void *a, const void *b)
{
    const struct cmt *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int by_vote(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->voter != y->voter)
        return x->voter < y->voter ? -1 : 1;
    if (x->stmt != y->stmt)
        return x->stmt < y->stmt ? -1 : 1;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

void op_export_release(struct op_export *e)
{
    if (e->text)
        for (size_t j = 0; j < e->input.n_statements; j++)
            free(e->text[j]);
    free(e->text);
    free(e->participant_id);
    free(e->statement_id);
    free(e->excluded);
    free(e->votes);
    free(e->polis_in_conv);
    memset(e, 0, sizeof *e);
}

/* Room for more than the cap rows of size at p (full): the cap doubled (first when none yet), at
 * most max rows; r's file and line name the row over max. Returns the moved array with *cap grown,
 * or NULL with err (p is then unchanged and still owned by the caller). */
static void *grow(void *p, size_t *cap, size_t size, size_t first, unsigned max, const char *field, const char *what,
                  const struct csv_reader *r, struct purpose_err *err)
{
    size_t nc = *cap ? *cap * 2 : first;
    if (*cap >= max) {
        purpose_errk(err, PURPOSE_ERR_INPUT, field, "%s:%zu: more than %u %s", r->name, r->row_line, max, what);
        return NULL;
    }
    void *g = realloc(p, nc * size);
    if (!g) {
        purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    *cap = nc;
    return g;
}

static int read_comments(struct op_export *e, const char *name, const char *data, size_t len,
                         struct purpose_err *err)
{
    struct csv_reader r;
    csv_reader_init(&r, name, data, len);
    struct cmt *c = NULL;
    size_t n = 0, cap = 0;
    struct cols k = {-1, -1, -1, -1, -1, -1};
    int rc = csv_next(&r, err);
    if (rc == 0)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "comment-id", "%s: empty file: no header", name);
    if (rc > 0)
        rc = need_col(&r, "comment-id", &k.id, err) < 0 || need_col(&r, "moderated", &k.moderated, err) < 0 ? -1 : 1;
    k.body = find_col(&r, "comment-body");
    struct buf scratch;
    buf_init(&scratch, (size_t)1 << 24);
    while (rc > 0 && (rc = csv_next(&r, err)) > 0) {
        if (n == cap) {
            struct cmt *g = grow(c, &cap, sizeof *c, 256, MAX_COMMENTS, "comment-id", "comments", &r, err);
            if (!g) {
                rc = -1;
                break;
            }
            c = g;
        }
        struct cmt *x = &c[n];
        x->line = r.row_line;
        if (whole(&r, k.id, "comment-id", &x->id, err) < 0 || ternary(&r, k.moderated, "moderated", &x->moderated, err) < 0) {
            rc = -1;
            break;
        }
        const char *t = "";
        size_t tl = 0;
        if (k.body >= 0)
            t = csv_field_text(&r.fields[k.body], &scratch, &tl);
        x->text = scratch.failed ? NULL : malloc(tl + 1);
        if (!x->text) {
            rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
            break;
        }
        memcpy(x->text, t, tl);
        x->text[tl] = '\0';
        buf_reset(&scratch);
        n++;
    }
    if (rc == 0 && n > 1) {
        qsort(c, n, sizeof *c, by_id);
        for (size_t j = 1; j < n; j++)
            if (c[j].id == c[j - 1].id) {
                rc = purpose_errk(err, PURPOSE_ERR_INPUT, "comment-id",
                                  "%s:%zu: column \"comment-id\": %llu appears again (first on line %zu)", name,
                                  c[j].line, (unsigned long long)c[j].id, c[j - 1].line);
                break;
            }
    }
    if (rc == 0) {
        e->input.n_statements = n;
        e->statement_id = malloc((n ? n : 1) * sizeof *e->statement_id);
        e->excluded = malloc((n ? n : 1) * sizeof *e->excluded);
        e->text = calloc(n ? n : 1, sizeof *e->text);
        if (!e->statement_id || !e->excluded || !e->text)
            rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    }
    for (size_t j = 0; j < n; j++) {
        if (rc == 0) {
            e->statement_id[j] = c[j].id;
            e->excluded[j] = c[j].moderated < 0;
            e->text[j] = c[j].text;
        } else {
            free(c[j].text);
        }
    }
    if (rc < 0 && e->text) /* the texts were freed above, not handed over */
        memset(e->text, 0, (n ? n : 1) * sizeof *e->text);
    buf_release(&scratch);
    free(c);
    csv_reader_release(&r);
    return rc < 0 ? -1 : 0;
}

static long find_stmt(const struct op_export *e, uint64_t id)
{
    size_t lo = 0, hi = e->input.n_statements;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e->statement_id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < e->input.n_statements && e->statement_id[lo] == id ? (long)lo : -1;
}

struct when { uint64_t ts; uint32_t line; uint32_t i; };
static int by_time(const void *a, const void *b)
{
    const struct when *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Who pol.is would have grouped, replaying the votes in time: pol.is takes a participant in once
 * they have voted on 7 statements, or on every statement seen so far when fewer than 7 have votes,
 * and keeps them in (math/conversation.clj in-conv). Early voters thus stay grouped with few
 * votes. v is sorted by voter, statement, time. */
static int replay_in_conv(struct op_export *e, const struct rec *v, size_t n)
{
    size_t voters = 0;
    for (size_t i = 0; i < n; i++)
        voters += i == 0 || v[i].voter != v[i - 1].voter;
    e->polis_in_conv = calloc(voters ? voters : 1, sizeof *e->polis_in_conv);
    struct when *w = malloc((n ? n : 1) * sizeof *w);
    uint32_t *who = malloc((n ? n : 1) * sizeof *who), *cnt = calloc(voters ? voters : 1, sizeof *cnt);
    bool *first = malloc(n ? n : 1), *seen = calloc(e->input.n_statements + 1, 1);
    int rc = -1;
    if (!e->polis_in_conv || !w || !who || !cnt || !first || !seen)
        goto out;
    size_t p = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && v[i].voter != v[i - 1].voter)
            p++;
        who[i] = (uint32_t)p;
        first[i] = i == 0 || v[i].voter != v[i - 1].voter || v[i].stmt != v[i - 1].stmt;
        w[i] = (struct when){v[i].ts, v[i].line, (uint32_t)i};
    }
    qsort(w, n, sizeof *w, by_time);
    size_t n_cmts = 0;
    for (size_t t = 0; t < n; t++) {
        size_t i = w[t].i;
        if (!seen[v[i].stmt]) {
            seen[v[i].stmt] = true;
            n_cmts++;
        }
        if (first[i])
            cnt[who[i]]++;
        if (cnt[who[i]] >= (n_cmts < 7 ? n_cmts : 7))
            e->polis_in_conv[who[i]] = true;
    }
    rc = 0;
out:
    free(w);
    free(who);
    free(cnt);
    free(first);
    free(seen);
    return rc;
}

/* Each voter's latest vote on each statement, kept at the front of v (sorted by voter, statement
 * and time): *kept votes from *voters voters; two different votes at one time are an error. */
static int latest_votes(const struct op_export *e, struct rec *v, size_t n, const char *name, bool has_ts,
                        size_t *kept_out, size_t *voters_out, struct purpose_err *err)
{
    size_t kept = 0, voters = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && v[i + 1].voter == v[i].voter && v[i + 1].stmt == v[i].stmt) {
            /* The same vote exported twice (pol.is exports hold a few) counts once; two different
             * votes at the same time (or in a file without times) cannot be ordered. */
            if (v[i + 1].ts == v[i].ts && v[i + 1].value != v[i].value)
                return purpose_errk(err, PURPOSE_ERR_INPUT, "vote",
                                    "%s:%u: column \"vote\": voter %llu votes differently on statement %llu%s "
                                    "(first on line %u)",
                                    name, v[i + 1].line, (unsigned long long)v[i].voter,
                                    (unsigned long long)e->statement_id[v[i].stmt],
                                    has_ts ? " at the same time" : "", v[i].line);
            continue; /* a later vote replaces this one */
        }
        if (kept == 0 || v[i].voter != v[kept - 1].voter)
            voters++;
        v[kept++] = v[i];
    }
    *kept_out = kept;
    *voters_out = voters;
    return 0;
}

static int read_votes(struct op_export *e, const char *name, const char *data, size_t len, struct purpose_err *err)
{
    struct csv_reader r;
    csv_reader_init(&r, name, data, len);
    struct rec *v = NULL;
    size_t n = 0, cap = 0;
    struct cols k = {-1, -1, -1, -1, -1, -1};
    int rc = csv_next(&r, err);
    if (rc == 0)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, "comment-id", "%s: empty file: no header", name);
    if (rc > 0)
        rc = need_col(&r, "comment-id", &k.id, err) < 0 || need_col(&r, "voter-id", &k.voter, err) < 0 ||
                     need_col(&r, "vote", &k.vote, err) < 0
                 ? -1
                 : 1;
    k.ts = find_col(&r, "timestamp");
    while (rc > 0 && (rc = csv_next(&r, err)) > 0) {
        if (n == cap) {
            struct rec *g = grow(v, &cap, sizeof *v, 4096, MAX_VOTES, "vote", "votes", &r, err);
            if (!g) {
                rc = -1;
                break;
            }
            v = g;
        }
        struct rec *x = &v[n];
        uint64_t cid;
        x->ts = 0;
        x->line = (uint32_t)r.row_line;
        if (whole(&r, k.id, "comment-id", &cid, err) < 0 || whole(&r, k.voter, "voter-id", &x->voter, err) < 0 ||
            ternary(&r, k.vote, "vote", &x->value, err) < 0 || (k.ts >= 0 && whole(&r, k.ts, "timestamp", &x->ts, err) < 0)) {
            rc = -1;
            break;
        }
        long j = find_stmt(e, cid);
        if (j < 0) {
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "comment-id",
                              "%s:%zu: column \"comment-id\": statement %llu is not in the comments", name,
                              r.row_line, (unsigned long long)cid);
            break;
        }
        x->stmt = (uint32_t)j;
        n++;
    }
    csv_reader_release(&r);
    if (rc < 0) {
        free(v);
        return -1;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, by_vote);
    /* Keep each voter's latest vote on a statement; a repeat at the same time is a duplicate. */
    if (replay_in_conv(e, v, n) < 0) {
        free(v);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    }
    size_t kept = 0, voters = 0;
    if (latest_votes(e, v, n, name, k.ts >= 0, &kept, &voters, err) < 0) {
        free(v);
        return -1;
    }
    e->input.n_participants = voters;
    e->participant_id = malloc((voters ? voters : 1) * sizeof *e->participant_id);
    e->votes = malloc((kept ? kept : 1) * sizeof *e->votes);
    if (!e->participant_id || !e->votes) {
        free(v);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    }
    size_t p = 0;
    for (size_t i = 0; i < kept; i++) {
        if (i == 0 || v[i].voter != v[i - 1].voter)
            e->participant_id[p++] = v[i].voter;
        e->votes[i] = (struct op_vote){(uint32_t)(p - 1), v[i].stmt, v[i].value};
    }
    e->input.n_votes = kept;
    e->input.votes = e->votes;
    e->input.excluded = e->excluded;
    free(v);
    return 0;
}

int op_export_read(struct op_export *e, const char *comments_name, const char *comments, size_t comments_len,
                   const char *votes_name, const char *votes, size_t votes_len, struct purpose_err *err)
{
    memset(e, 0, sizeof *e);
    if (read_comments(e, comments_name, comments, comments_len, err) < 0 ||
        read_votes(e, votes_name, votes, votes_len, err) < 0) {
        op_export_release(e);
        return -1;
    }
    return 0;
}
