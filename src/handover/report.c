/* The report: metrics per site and period from the day aggregates (spec: "Metrics"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/num.h"
#include "handover/ho_int.h"
#include "core/banned.h"

int ho_by_parse(const char *s, enum ho_by *by)
{
    static const char *const names[] = {"hour", "day", "week", "month"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(s, names[i]) == 0) {
            *by = (enum ho_by)i;
            return 0;
        }
    }
    return -1;
}

/* ---- Accumulating periods ---- */
struct acc {
    uint64_t arrivals, clear_n, clear_15;
    uint32_t *v;
    size_t n, cap;
};

static int acc_reserve(struct acc *a, size_t more, struct purpose_err *err)
{
    if (a->n + more <= a->cap)
        return 0;
    size_t cap = a->cap ? a->cap : 1024;
    while (cap < a->n + more)
        cap *= 2;
    uint32_t *p = realloc(a->v, cap * sizeof *p);
    if (!p)
        return purpose_errf(err, "out of memory");
    a->v = p;
    a->cap = cap;
    return 0;
}

/* Adds hours [h0, h1) of a sealed day. */
static int acc_add(struct acc *a, const struct ho_day *d, int h0, int h1, struct purpose_err *err)
{
    uint32_t start = ho_day_hour_start(d, h0), n = 0;
    for (int h = h0; h < h1; h++) {
        a->arrivals += d->hour[h].arrivals;
        a->clear_n += d->hour[h].clear_n;
        a->clear_15 += d->hour[h].clear_15;
        n += d->hour[h].handovers;
    }
    if (acc_reserve(a, n, err) < 0)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        a->v[a->n + i] = d->dur[start + i] & HO_DUR_MASK;
    a->n += n;
    return 0;
}

typedef int (*emit_fn)(void *ctx, const struct ho_metrics *m, struct purpose_err *err);

static int flush(struct acc *a, const char *site, size_t site_len, const char *period, emit_fn emit, void *ctx,
                 struct purpose_err *err)
{
    if (a->arrivals == 0)
        return 0;
    struct ho_metrics m;
    ho_metrics_compute(&m, a->v, a->n, a->arrivals, a->clear_n, a->clear_15);
    m.site = site;
    m.site_len = site_len;
    memcpy(m.period, period, sizeof m.period);
    a->arrivals = a->clear_n = a->clear_15 = 0;
    a->n = 0;
    return emit(ctx, &m, err);
}

static int32_t period_key(enum ho_by by, int32_t day)
{
    if (by == HO_BY_WEEK)
        return day - ho_weekday(day);
    if (by == HO_BY_MONTH) {
        int y, m, d;
        ho_civil_from_days(day, &y, &m, &d);
        return y * 12 + m - 1;
    }
    return day;
}

static void period_label(enum ho_by by, int32_t day, int hour, char out[17])
{
    ho_date_format(by == HO_BY_WEEK ? day - ho_weekday(day) : day, out);
    if (by == HO_BY_MONTH) {
        out[7] = '\0';
    } else if (by == HO_BY_HOUR) {
        memcpy(out + 10, "T00:00", 7);
        out[11] = (char)('0' + hour / 10);
        out[12] = (char)('0' + hour % 10);
    }
}

/* One series of rows: the given sites together, labelled `name`. */
static int run_sites(struct ho_site *const *sites, size_t n_sites, const char *name, size_t name_len,
                     const struct ho_report_opts *o, struct acc *acc, emit_fn emit, void *ctx,
                     struct purpose_err *err)
{
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (size_t i = 0; i < n_sites; i++) {
        if (sites[i]->n_slots == 0)
            continue;
        if (sites[i]->first < lo)
            lo = sites[i]->first;
        if (sites[i]->first + (int32_t)sites[i]->n_slots - 1 > hi)
            hi = sites[i]->first + (int32_t)sites[i]->n_slots - 1;
    }
    if (o->from > lo)
        lo = o->from;
    if (o->to < hi)
        hi = o->to;
    char label[17];
    int32_t cur = 0, cur_day = 0;
    bool open = false;
    for (int64_t day64 = lo; day64 <= hi; day64++) {
        int32_t day = (int32_t)day64;
        bool any = false;
        for (size_t i = 0; i < n_sites; i++) {
            struct ho_day *d = ho_site_day(sites[i], day);
            if (!d)
                continue;
            ho_day_seal(d);
            if (o->by == HO_BY_HOUR) {
                for (int h = 0; h < 24; h++)
                    if (d->hour[h].arrivals && acc_add(&acc[h], d, h, h + 1, err) < 0)
                        return -1;
                any = true;
                continue;
            }
            int32_t key = period_key(o->by, day);
            if (open && key != cur) {
                period_label(o->by, cur_day, 0, label);
                if (flush(&acc[0], name, name_len, label, emit, ctx, err) < 0)
                    return -1;
            }
            cur = key;
            cur_day = day;
            open = true;
            if (acc_add(&acc[0], d, 0, 24, err) < 0)
                return -1;
        }
        if (o->by == HO_BY_HOUR && any) {
            for (int h = 0; h < 24; h++) {
                period_label(HO_BY_HOUR, day, h, label);
                if (flush(&acc[h], name, name_len, label, emit, ctx, err) < 0)
                    return -1;
            }
        }
    }
    if (open) {
        period_label(o->by, cur_day, 0, label);
        if (flush(&acc[0], name, name_len, label, emit, ctx, err) < 0)
            return -1;
    }
    return 0;
}

int ho_report_run(struct ho_agg *a, const struct ho_report_opts *o, emit_fn emit, void *ctx,
                  struct purpose_err *err)
{
    if (ho_agg_order(a) < 0)
        return purpose_errf(err, "out of memory");
    struct acc acc[24];
    memset(acc, 0, sizeof acc);
    struct ho_site **all = malloc((a->n ? a->n : 1) * sizeof *all);
    int rc = all ? 0 : purpose_errf(err, "out of memory");
    size_t n_all = 0;
    for (size_t i = 0; rc == 0 && i < a->n; i++) {
        struct ho_site *s = &a->sites[a->order[i]];
        if (o->site && (s->len != o->site_len || memcmp(s->name, o->site, s->len) != 0))
            continue;
        all[n_all++] = s;
        rc = run_sites(&s, 1, s->name, s->len, o, acc, emit, ctx, err);
    }
    if (rc == 0 && !o->site && n_all > 0)
        rc = run_sites(all, n_all, "all", 3, o, acc, emit, ctx, err);
    for (int h = 0; h < 24; h++)
        free(acc[h].v);
    free(all);
    return rc;
}

/* ---- Writing ---- */
/* The exact shortest form, made plain: for values too small or large for the fast path. */
static void write_shortest(struct buf *b, double v)
{
    char t[NUM_TEXT_MAX];
    size_t n = num_format(v, t);
    const char *e = memchr(t, 'e', n);
    if (!e) {
        buf_append(b, t, n);
        return;
    }
    /* d.ddde±x -> plain: the digits, and where the point goes among them. */
    char dig[NUM_TEXT_MAX];
    size_t nd = 0, i = 0, int_digits = 0;
    bool seen_point = false;
    if (t[0] == '-') {
        buf_putc(b, '-');
        i = 1;
    }
    for (; t + i < e; i++) {
        if (t[i] == '.')
            seen_point = true;
        else {
            dig[nd++] = t[i];
            int_digits += !seen_point;
        }
    }
    long x = 0;
    bool neg = e[1] == '-';
    for (const char *p = e + 2; p < t + n; p++)
        x = x * 10 + (*p - '0');
    long point = (long)int_digits + (neg ? -x : x);
    if (point <= 0) {
        buf_puts(b, "0.");
        for (long k = 0; k < -point; k++)
            buf_putc(b, '0');
        buf_append(b, dig, nd);
    } else if ((size_t)point >= nd) {
        buf_append(b, dig, nd);
        for (long k = (long)nd; k < point; k++)
            buf_putc(b, '0');
    } else {
        buf_append(b, dig, (size_t)point);
        buf_putc(b, '.');
        buf_append(b, dig + point, nd - (size_t)point);
    }
}

/* Twelve significant digits, rounded, trailing zeros dropped (the spec asks for at least six).
 * Integer arithmetic after one scaling by an exact power of ten: printf's exact conversion cost
 * about a microsecond a number, most of the time of a large report. */
void ho_write_number(struct buf *b, double v)
{
    static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (isnan(v))
        return;
    if (v < 0) {
        buf_putc(b, '-');
        v = -v;
    }
    if (v == 0) {
        buf_putc(b, '0');
        return;
    }
    if (!(v >= 1e-10 && v < 1e22)) {
        write_shortest(b, v);
        return;
    }
    int e = 0; /* v in [10^e, 10^(e+1)): a short walk, as metrics are mostly below 10^4 */
    if (v >= 1) {
        while (e < 22 && v >= p10[e + 1])
            e++;
    } else {
        while (v * p10[-e] < 1.0)
            e--;
    }
    int s = 11 - e; /* scale to 12 digits before the point */
    double scaled = s >= 0 ? v * p10[s] : v / p10[-s];
    uint64_t m = (uint64_t)(scaled + 0.5); /* scaled < 10^12 + 1: adding a half is exact enough */
    if (m >= UINT64_C(1000000000000)) {
        m = (m + 5) / 10;
        e++;
    }
    char dig[12];
    for (int k = 11; k >= 0; k--, m /= 10)
        dig[k] = (char)('0' + m % 10);
    int nd = 12;
    int point = e + 1; /* digits before the decimal point */
    int keep = point > 0 ? point : 0;
    while (nd > keep && dig[nd - 1] == '0')
        nd--;
    if (point <= 0) {
        buf_puts(b, "0.");
        for (int k = 0; k < -point; k++)
            buf_putc(b, '0');
        buf_append(b, dig, (size_t)nd);
    } else if (point >= nd) {
        buf_append(b, dig, (size_t)nd);
        for (int k = nd; k < point; k++)
            buf_putc(b, '0');
    } else {
        buf_append(b, dig, (size_t)point);
        buf_putc(b, '.');
        buf_append(b, dig + point, (size_t)(nd - point));
    }
}

const char ho_report_csv_header[] = "site,period,arrivals,handovers,pct_within_15,pct_within_30,pct_within_60,"
                                    "over_45,over_60,mean_min,median_min,p95_min,hours_lost_15,hours_lost_60,"
                                    "pct_clear_within_15\n";

static void put_u64(struct buf *b, uint64_t v)
{
    char t[24];
    size_t n = sizeof t;
    do {
        t[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_append(b, t + n, sizeof t - n);
}

void ho_report_csv_row(struct buf *b, const struct ho_metrics *m)
{
    csv_write_field(b, m->site, m->site_len);
    buf_putc(b, ',');
    buf_puts(b, m->period);
    const uint64_t counts[2] = {m->arrivals, m->handovers};
    for (int i = 0; i < 2; i++) {
        buf_putc(b, ',');
        put_u64(b, counts[i]);
    }
    const double pct[3] = {m->pct_within_15, m->pct_within_30, m->pct_within_60};
    for (int i = 0; i < 3; i++) {
        buf_putc(b, ',');
        ho_write_number(b, pct[i]);
    }
    buf_putc(b, ',');
    put_u64(b, m->over_45);
    buf_putc(b, ',');
    put_u64(b, m->over_60);
    const double rest[6] = {m->mean_min,      m->median_min,    m->p95_min,
                            m->hours_lost_15, m->hours_lost_60, m->pct_clear_within_15};
    for (int i = 0; i < 6; i++) {
        buf_putc(b, ',');
        ho_write_number(b, rest[i]);
    }
    buf_putc(b, '\n');
}

static void json_num(struct buf *b, const char *key, double v)
{
    buf_printf(b, ",\"%s\":", key);
    if (isnan(v))
        buf_puts(b, "null");
    else
        ho_write_number(b, v);
}

void ho_report_json_row(struct buf *b, const struct ho_metrics *m)
{
    buf_puts(b, "{\"site\":");
    json_write_string(b, m->site, m->site_len);
    buf_printf(b, ",\"period\":\"%s\",\"arrivals\":%llu,\"handovers\":%llu", m->period,
               (unsigned long long)m->arrivals, (unsigned long long)m->handovers);
    json_num(b, "pct_within_15", m->pct_within_15);
    json_num(b, "pct_within_30", m->pct_within_30);
    json_num(b, "pct_within_60", m->pct_within_60);
    buf_printf(b, ",\"over_45\":%llu,\"over_60\":%llu", (unsigned long long)m->over_45,
               (unsigned long long)m->over_60);
    json_num(b, "mean_min", m->mean_min);
    json_num(b, "median_min", m->median_min);
    json_num(b, "p95_min", m->p95_min);
    json_num(b, "hours_lost_15", m->hours_lost_15);
    json_num(b, "hours_lost_60", m->hours_lost_60);
    json_num(b, "pct_clear_within_15", m->pct_clear_within_15);
    buf_putc(b, '}');
}

int ho_heatmap(struct ho_agg *a, const char *site, size_t site_len, int32_t from, int32_t to, double mean[7][24],
               uint64_t count[7][24])
{
    uint64_t sum[7][24];
    memset(sum, 0, sizeof sum);
    memset(count, 0, 7 * sizeof *count);
    for (size_t i = 0; i < a->n; i++) {
        struct ho_site *s = &a->sites[i];
        if (site && (s->len != site_len || memcmp(s->name, site, site_len) != 0))
            continue;
        for (uint32_t k = 0; k < s->n_slots; k++) {
            struct ho_day *d = s->slot[k];
            if (!d || d->day < from || d->day > to)
                continue;
            ho_day_seal(d);
            int wd = ho_weekday(d->day);
            uint32_t at = 0;
            for (int h = 0; h < 24; h++) {
                for (uint32_t j = 0; j < d->hour[h].handovers; j++, at++)
                    sum[wd][h] += d->dur[at] & HO_DUR_MASK;
                count[wd][h] += d->hour[h].handovers;
            }
        }
    }
    for (int wd = 0; wd < 7; wd++)
        for (int h = 0; h < 24; h++)
            mean[wd][h] = count[wd][h] ? (double)sum[wd][h] / ((double)count[wd][h] * 60000.0) : NAN;
    return 0;
}
