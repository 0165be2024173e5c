/* Synthetic handover data: never real patients. Arrivals follow an hour-of-day and weekday
 * profile and are busier in winter; handover times are log-normal (skewed, a long tail), longer
 * in the afternoon and evening and much longer in winter, and drop after the improvement date;
 * handover-to-clear is log-normal too. Times are written as Europe/London wall time with its
 * offset (+00:00 or +01:00), which is what a modern export gives and is unambiguous in the
 * repeated October hour. Deterministic for a seed: one xoshiro256** stream drives everything. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "handover/handover.h"
#include "core/banned.h"

/* Relative ambulance arrivals by local hour: quiet before dawn, busy from late morning. */
static const double hour_weight[24] = {2.5, 2.2, 2.0, 1.8, 1.7, 1.8, 2.2, 3.0, 4.0, 4.8, 5.3, 5.5,
                                       5.5, 5.4, 5.3, 5.2, 5.1, 5.0, 4.8, 4.5, 4.2, 3.8, 3.3, 2.9};
static const double weekday_factor[7] = {1.10, 1.02, 1.00, 0.99, 1.00, 0.96, 0.93}; /* Monday first */
/* Delays grow through the day as the department fills. */
static const double hour_delay[24] = {1.15, 1.1, 1.0, 0.95, 0.9, 0.85, 0.8, 0.8, 0.85, 0.9, 0.95, 1.0,
                                      1.05, 1.1, 1.15, 1.2, 1.25, 1.3, 1.35, 1.35, 1.3, 1.3, 1.25, 1.2};
/* By month: arrivals, and how much longer handovers take (winter pressure). */
static const double month_arrivals[12] = {1.08, 1.06, 1.0, 0.97, 0.97, 0.96, 0.98, 0.97, 0.97, 1.0, 1.03, 1.1};
static const double month_delay[12] = {1.7, 1.5, 1.2, 1.0, 0.9, 0.85, 0.9, 0.9, 0.95, 1.05, 1.25, 1.6};

static const char *const site_names[] = {
    "Northgate General", "Riverside Infirmary", "Eastbrook, North Wing", "Hillcrest Memorial",
    "Larkspur Royal",    "Oakvale District",    "Saltmarsh Community",   "Thornbury Vale",
};
#define N_NAMES (sizeof site_names / sizeof site_names[0])

/* Offsets change, and local days start, only on whole UTC hours: so one UTC hour's date, local
 * hour and offset serve every instant in it (the calendar arithmetic was most of the time). */
struct hour_cache {
    int64_t utc_hour;
    char head[14]; /* YYYY-MM-DDTHH */
    const char *offset;
    int local_hour;
};

struct ho_gen {
    struct ho_gen_opts o;
    uint64_t s[4];
    double spare;
    bool has_spare;
    unsigned site, day;   /* the next site-day to write */
    uint64_t bad_done, rows;
    bool header_done;
    double *base, *median; /* per site: arrivals a day, median handover minutes */
    char **names;          /* per site, as a CSV field */
    struct hour_cache cache[3]; /* arrival, handover, clear */
    int64_t *arr;          /* one site-day's arrivals */
    size_t cap;
};

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256** (Blackman and Vigna, 2018). */
static uint64_t next(struct ho_gen *g)
{
    uint64_t *s = g->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3], s[2] ^= t, s[3] = rotl(s[3], 45);
    return r;
}

static double uniform(struct ho_gen *g) { return (double)(next(g) >> 11) * 0x1.0p-53; }

static double normal(struct ho_gen *g)
{
    if (g->has_spare) {
        g->has_spare = false;
        return g->spare;
    }
    double u = 1.0 - uniform(g), v = uniform(g), r = sqrt(-2.0 * log(u));
    g->spare = r * sin(6.283185307179586 * v);
    g->has_spare = true;
    return r * cos(6.283185307179586 * v);
}

static unsigned poisson(struct ho_gen *g, double lambda)
{
    if (lambda > 30) {
        double x = lambda + sqrt(lambda) * normal(g) + 0.5;
        return x < 0 ? 0 : (unsigned)x;
    }
    double limit = exp(-lambda), p = 1.0;
    unsigned k = 0;
    while ((p *= uniform(g)) > limit)
        k++;
    return k;
}

int ho_gen_new(struct ho_gen **out, const struct ho_gen_opts *o, struct purpose_err *err)
{
    struct ho_gen *g = calloc(1, sizeof *g);
    if (!g)
        return purpose_errf(err, "out of memory");
    g->o = *o;
    g->base = malloc((o->sites ? o->sites : 1) * sizeof *g->base);
    g->median = malloc((o->sites ? o->sites : 1) * sizeof *g->median);
    g->names = calloc(o->sites ? o->sites : 1, sizeof *g->names);
    bool oom = !g->base || !g->median || !g->names;
    for (unsigned i = 0; !oom && i < o->sites; i++) {
        struct buf b;
        buf_init(&b, 256);
        if (i < N_NAMES)
            csv_write_field(&b, site_names[i], strlen(site_names[i]));
        else
            buf_printf(&b, "Site %u", i + 1);
        g->names[i] = b.data;
        oom = b.failed;
    }
    for (int i = 0; i < 3; i++)
        g->cache[i].utc_hour = INT64_MIN;
    if (oom) {
        ho_gen_free(&g);
        return purpose_errf(err, "out of memory");
    }
    uint64_t x = o->seed; /* splitmix64 fills the state, as its authors advise */
    for (int i = 0; i < 4; i++) {
        uint64_t z = (x += UINT64_C(0x9e3779b97f4a7c15));
        z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
        g->s[i] = z ^ (z >> 31);
    }
    for (unsigned i = 0; i < o->sites; i++) {
        g->base[i] = 90 + 90 * uniform(g);   /* ambulances a day */
        g->median[i] = 11 + 9 * uniform(g); /* minutes */
    }
    *out = g;
    return 0;
}

void ho_gen_free(struct ho_gen **gp)
{
    struct ho_gen *g = *gp;
    if (!g)
        return;
    free(g->base);
    free(g->median);
    free(g->arr);
    for (unsigned i = 0; g->names && i < g->o.sites; i++)
        free(g->names[i]);
    free(g->names);
    free(g);
    *gp = NULL;
}

uint64_t ho_gen_rows(const struct ho_gen *g) { return g->rows; }

static char *two(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/* YYYY-MM-DDTHH:MM:SS+0H:00 in Europe/London. */
static char *put_time(struct hour_cache *c, char *p, int64_t utc)
{
    int64_t uh = utc / HO_HOUR_MS;
    if (uh != c->utc_hour) {
        int64_t off = ho_london_offset(utc), local = utc + off;
        int32_t day = (int32_t)(local / HO_DAY_MS);
        c->local_hour = (int)(local % HO_DAY_MS / HO_HOUR_MS);
        ho_date_format(day, c->head);
        c->head[10] = 'T';
        two(c->head + 11, c->local_hour);
        c->offset = off ? "+01:00" : "+00:00";
        c->utc_hour = uh;
    }
    int sec = (int)(utc % HO_HOUR_MS / 1000);
    memcpy(p, c->head, 13);
    p += 13;
    *p++ = ':';
    p = two(p, sec / 60);
    *p++ = ':';
    p = two(p, sec % 60);
    memcpy(p, c->offset, 6);
    return p + 6;
}

static void put_site(struct ho_gen *g, struct buf *b, unsigned i)
{
    buf_puts(b, g->names[i]);
}

/* One bad row of kind k (cycling through every kind in the spec) on local day `day`. */
static void put_bad(struct ho_gen *g, struct buf *b, int32_t day, uint64_t j)
{
    char t[40], h[40];
    int64_t noon = (int64_t)day * HO_DAY_MS + 12 * HO_HOUR_MS - ho_london_offset((int64_t)day * HO_DAY_MS);
    *put_time(&g->cache[0], t, noon) = '\0';
    *put_time(&g->cache[1], h, noon + 20 * HO_MINUTE_MS) = '\0';
    int y, m, d;
    ho_civil_from_days(day, &y, &m, &d);
    int32_t march = ho_days_from_civil(y, 3, 31);
    march -= (ho_weekday(march) + 1) % 7;
    char skipped[24];
    ho_date_format(march, skipped);
    memcpy(skipped + 10, "T01:30:00", 10);
    static const char *const not_times[] = {"2023-13-01T10:00", "yesterday", "2023-02-30 10:00", "12/01/2023 10:00"};
    const char *nt = not_times[j / 7 % 4];
    unsigned site = (unsigned)(j % (g->o.sites ? g->o.sites : 1));
    if (j % 7 != 0)
        put_site(g, b, site);
    switch (j % 7) {
    case 0: buf_printf(b, ",%s,%s,,BAD%llu\n", t, h, (unsigned long long)j); break; /* missing site */
    case 1: buf_printf(b, ",,%s,,BAD%llu\n", h, (unsigned long long)j); break;     /* missing arrival */
    case 2:
        if (j / 7 % 3 == 0)
            buf_printf(b, ",%s,%s,,BAD%llu\n", nt, h, (unsigned long long)j);
        else if (j / 7 % 3 == 1)
            buf_printf(b, ",%s,%s,,BAD%llu\n", t, nt, (unsigned long long)j);
        else
            buf_printf(b, ",%s,%s,%s,BAD%llu\n", t, h, nt, (unsigned long long)j);
        break;
    case 3: buf_printf(b, ",%s,,,BAD%llu\n", skipped, (unsigned long long)j); break; /* nonexistent */
    case 4: buf_printf(b, ",%s,%s,,BAD%llu\n", h, t, (unsigned long long)j); break;  /* before arrival */
    case 5:
        *put_time(&g->cache[1], h, noon + HO_DAY_MS + HO_MINUTE_MS) = '\0';
        buf_printf(b, ",%s,%s,,BAD%llu\n", t, h, (unsigned long long)j); /* over 24 h */
        break;
    default:
        buf_printf(b, ",%s,%s,%s,BAD%llu\n", t, h, t, (unsigned long long)j); /* clear before handover */
        break;
    }
    g->rows++;
}

/* The instant of local wall time w (ms of local day+time read as UTC); -1 when it does not
 * exist. In the repeated October hour, either occurrence, at random. */
static int64_t wall_to_utc(struct ho_gen *g, int64_t w)
{
    bool bst = ho_london_offset(w - HO_HOUR_MS) == HO_HOUR_MS, gmt = ho_london_offset(w) == 0;
    if (bst && gmt)
        return next(g) & 1 ? w : w - HO_HOUR_MS;
    return bst ? w - HO_HOUR_MS : gmt ? w : -1;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int ho_gen_next(struct ho_gen *g, struct buf *b)
{
    if (!g->header_done) {
        buf_puts(b, "site,arrival,handover,clear,ref\n");
        g->header_done = true;
    }
    if (g->day >= g->o.days || g->o.sites == 0)
        return 0;
    int32_t day = g->o.start + (int32_t)g->day;
    /* Bad rows are spread evenly over the days, at the start of a day. */
    if (g->site == 0) {
        while (g->bad_done < g->o.bad && g->bad_done * g->o.days / g->o.bad <= g->day)
            put_bad(g, b, day, g->bad_done++);
    }
    int y, m, d;
    ho_civil_from_days(day, &y, &m, &d);
    unsigned s = g->site;
    double rate = g->base[s] * weekday_factor[ho_weekday(day)] * month_arrivals[m - 1];
    double scale = g->median[s] * month_delay[m - 1] * (day >= g->o.improve ? 0.55 : 1.0);
    double sigma = day >= g->o.improve ? 0.6 : 0.8;
    size_t n = 0;
    /* The offset is the same all day except on the two change days. */
    int64_t off = ho_london_offset((int64_t)day * HO_DAY_MS - HO_HOUR_MS);
    bool change_day = off != ho_london_offset((int64_t)(day + 1) * HO_DAY_MS - HO_HOUR_MS);
    for (int h = 0; h < 24; h++) {
        unsigned k = poisson(g, rate * hour_weight[h] / 91.8);
        if (n + k > g->cap) {
            size_t cap = (n + k) * 2 + 64;
            int64_t *p = realloc(g->arr, cap * sizeof *p);
            if (!p) {
                b->failed = true;
                return 0;
            }
            g->arr = p;
            g->cap = cap;
        }
        for (unsigned i = 0; i < k; i++) {
            int64_t w = (int64_t)day * HO_DAY_MS + h * HO_HOUR_MS + (int64_t)(uniform(g) * 3600) * 1000;
            int64_t t = change_day ? wall_to_utc(g, w) : w - off;
            if (t >= 0)
                g->arr[n++] = t;
        }
    }
    qsort(g->arr, n, sizeof *g->arr, cmp_i64);
    bool last_day = g->day + 1 == g->o.days;
    for (size_t i = 0; i < n; i++) {
        int64_t a = g->arr[i];
        char line[160], *p = line;
        *p++ = ',';
        p = put_time(&g->cache[0], p, a);
        int lh = g->cache[0].local_hour;
        double minutes = scale * hour_delay[lh] * exp(sigma * normal(g));
        if (minutes > 23 * 60.0)
            minutes = 23 * 60.0;
        int64_t hand = a + (int64_t)(minutes * 60) * 1000;
        double clear_min = 9 * exp(0.5 * normal(g));
        int64_t clear = hand + (int64_t)(clear_min * 60) * 1000;
        bool no_hand = (last_day && lh >= 22 && (next(g) & 1)) || uniform(g) < 0.001;
        bool no_clear = no_hand || uniform(g) < 0.04;
        *p++ = ',';
        if (!no_hand)
            p = put_time(&g->cache[1], p, hand);
        *p++ = ',';
        if (!no_clear)
            p = put_time(&g->cache[2], p, clear);
        *p++ = ',';
        uint64_t ref = next(g);
        for (int k = 0; k < 10; k++, ref >>= 4)
            *p++ = "0123456789ABCDEF"[ref & 15];
        *p++ = '\n';
        put_site(g, b, s);
        buf_append(b, line, (size_t)(p - line));
    }
    g->rows += n;
    if (++g->site == g->o.sites) {
        g->site = 0;
        g->day++;
    }
    return g->day < g->o.days ? 1 : 0;
}
