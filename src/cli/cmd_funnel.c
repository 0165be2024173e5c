/* purpose funnel FILE: a funnel plot's figures for one proportion across units (organisations,
 * sites), by src/spc's exact binomial limits (include/purpose/funnel.h; docs/spc.md "Funnel
 * plots"), or the plot itself as SVG or PNG, drawn by the chart code the web's funnel uses
 * (chart/funnel.h). Rows are summed per unit, so a file of monthly rows gives each unit's whole
 * period. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/funnel.h"
#include "cli/cli.h"
#include "cli/spc_dest.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/num.h"
#include "core/strmap.h"
#include "ingest/ingest.h"
#include "purpose/funnel.h"
#include "core/banned.h"

/* Whole numbers up to 2^53, so that every sum stays exact in a double too. */
#define COUNT_MAX ((uint64_t)1 << 53)

void cmd_funnel_help(void)
{
    printf("usage: purpose funnel FILE [--unit COL] [--numerator COL] [--denominator COL] [--complement]\n"
           "                      [--where COL=VALUE] [--target P] [--format csv|json|svg|png]\n"
           "                      [--title TEXT] [-o FILE]\n\n"
           "Prints a funnel plot's figures: per unit its numerator, denominator and proportion, the\n"
           "95%% and 99.8%% control limits at its denominator (exact binomial, Spiegelhalter 2005) around\n"
           "the target, and where it falls: within, high_95, low_95, high_998, low_998 (none: no\n"
           "denominator). FILE (\"-\": standard input) is a CSV with a header; the columns are named by\n"
           "--unit (default unit), --numerator (default numerator) and --denominator (default\n"
           "denominator). Rows of the same unit are added together. --complement counts denominator -\n"
           "numerator instead (e.g. attendances seen within 4 hours from 4-hour breaches). --where keeps\n"
           "only the rows whose column COL is VALUE (e.g. --where period=2019-03-01). --target is the\n"
           "proportion (0 to 1) to compare with; by default the pooled proportion of every unit.\n"
           "Units are printed in byte order of their names. --format svg or png draws the funnel plot\n"
           "itself (titled --title, by default the file's name), as the web's system view does. -o FILE\n"
           "writes the output there (replaced whole) instead of standard output. A bad row is refused\n"
           "naming its line and column (exit 1).\n");
}

static int usage_err(const char *fmt, const char *arg)
{
    fputs("purpose funnel: ", stderr);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    fprintf(stderr, fmt, arg);
#pragma GCC diagnostic pop
    fputc('\n', stderr);
    return CLI_USAGE;
}

struct units {
    struct strmap map;
    char **name;
    uint64_t *num, *den;
    size_t n, cap;
};

static void units_release(struct units *u)
{
    for (size_t i = 0; i < u->n; i++)
        free(u->name[i]);
    free(u->name);
    free(u->num);
    free(u->den);
    strmap_release(&u->map);
}

/* The unit named s[0..len), made on first sight. SIZE_MAX: out of memory. */
static size_t unit_index(struct units *u, const char *s, size_t len)
{
    size_t i = strmap_get(&u->map, s, len, 1);
    if (i == SIZE_MAX || i < u->n)
        return i;
    if (u->n == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 64;
        char **nm = realloc(u->name, cap * sizeof *nm);
        if (nm)
            u->name = nm;
        uint64_t *a = realloc(u->num, cap * sizeof *a);
        if (a)
            u->num = a;
        uint64_t *b = realloc(u->den, cap * sizeof *b);
        if (b)
            u->den = b;
        if (!nm || !a || !b)
            return SIZE_MAX;
        u->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return SIZE_MAX;
    memcpy(copy, s, len);
    copy[len] = '\0';
    u->name[u->n] = copy;
    u->num[u->n] = u->den[u->n] = 0;
    return u->n++;
}

static int whole(const char *file, size_t line, const char *col, const char *s, size_t len, uint64_t *out,
                 struct purpose_err *err)
{
    uint64_t v = 0;
    bool ok = len > 0 && len <= 16;
    for (size_t i = 0; ok && i < len; i++) {
        ok = s[i] >= '0' && s[i] <= '9';
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (!ok || v > COUNT_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, col, "%s:%zu: column \"%s\": \"%.*s\" is not a whole number", file,
                            line, col, (int)(len < 40 ? len : 40), s);
    *out = v;
    return 0;
}

enum fmt { FMT_CSV, FMT_JSON, FMT_SVG, FMT_PNG };

struct opts {
    const char *unit, *num, *den, *where_col, *where_val, *title, *out;
    enum fmt format;
    bool complement, has_target;
    double target;
    char where_buf[256];
};

static int column(const struct csv_reader *r, struct buf *scratch, const char *file, const char *name, size_t *at,
                  struct purpose_err *err)
{
    for (size_t i = 0; i < r->n_fields; i++) {
        size_t len;
        const char *t = csv_field_text(&r->fields[i], scratch, &len);
        if (len == strlen(name) && memcmp(t, name, len) == 0) {
            *at = i;
            return 0;
        }
    }
    return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s:1: no column \"%s\" in the header", file, name);
}

/* Reads the file into per-unit sums. */
static int read_units(const struct ingest_input *in, const struct opts *o, struct units *u, struct purpose_err *err)
{
    struct csv_reader r;
    csv_reader_init(&r, in->name, in->data, in->len);
    struct buf scratch;
    buf_init(&scratch, INGEST_FIELD_SCRATCH_MAX);
    size_t cu = 0, cn = 0, cd = 0, cw = 0;
    int rc = csv_next(&r, err);
    if (rc == 0)
        rc = purpose_errk(err, PURPOSE_ERR_INPUT, NULL, "%s: empty: no header", in->name);
    if (rc == 1)
        rc = column(&r, &scratch, in->name, o->unit, &cu, err);
    if (rc == 0)
        rc = column(&r, &scratch, in->name, o->num, &cn, err);
    if (rc == 0)
        rc = column(&r, &scratch, in->name, o->den, &cd, err);
    if (rc == 0 && o->where_col)
        rc = column(&r, &scratch, in->name, o->where_col, &cw, err);
    while (rc == 0 && (rc = csv_next(&r, err)) == 1) {
        size_t len;
        const char *t;
        if (o->where_col) {
            t = csv_field_text(&r.fields[cw], &scratch, &len);
            if (len != strlen(o->where_val) || memcmp(t, o->where_val, len) != 0) {
                rc = 0;
                continue;
            }
        }
        uint64_t num, den;
        t = csv_field_text(&r.fields[cn], &scratch, &len);
        rc = whole(in->name, r.row_line, o->num, t, len, &num, err);
        if (rc == 0) {
            t = csv_field_text(&r.fields[cd], &scratch, &len);
            rc = whole(in->name, r.row_line, o->den, t, len, &den, err);
        }
        if (rc == 0 && num > den)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, o->num, "%s:%zu: column \"%s\": %llu is more than the %s (%llu)",
                              in->name, r.row_line, o->num, (unsigned long long)num, o->den, (unsigned long long)den);
        if (rc < 0)
            break;
        t = csv_field_text(&r.fields[cu], &scratch, &len);
        if (len == 0) {
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, o->unit, "%s:%zu: column \"%s\": empty", in->name, r.row_line,
                              o->unit);
            break;
        }
        size_t i = unit_index(u, t, len);
        if (i == SIZE_MAX) {
            rc = purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
            break;
        }
        u->num[i] += o->complement ? den - num : num;
        u->den[i] += den;
        if (u->den[i] > COUNT_MAX) {
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, o->den, "%s:%zu: column \"%s\": unit \"%s\" adds up to more than %llu",
                              in->name, r.row_line, o->den, u->name[i], (unsigned long long)COUNT_MAX);
            break;
        }
        rc = 0;
    }
    buf_release(&scratch);
    csv_reader_release(&r);
    return rc < 0 ? -1 : 0;
}

static const struct units *sort_units;
static int by_name(const void *a, const void *b)
{
    return strcmp(sort_units->name[*(const size_t *)a], sort_units->name[*(const size_t *)b]);
}

static void number(struct buf *b, double v)
{
    char t[NUM_TEXT_MAX];
    num_format(v, t);
    buf_puts(b, t);
}

static void write_out(struct buf *b, const struct units *u, const size_t *order, const struct spc_funnel_point *p,
                      double theta, bool json)
{
    if (json) {
        buf_puts(b, "{\"target\":");
        json_write_number(b, theta);
        buf_puts(b, ",\"units\":[");
    } else {
        buf_puts(b, "unit,numerator,denominator,proportion,target,lower_998,lower_95,upper_95,upper_998,place\n");
    }
    for (size_t k = 0; k < u->n; k++) {
        size_t i = order[k];
        const struct spc_funnel_point *q = &p[i];
        const double v[] = {q->proportion, theta, q->lim.lo998, q->lim.lo95, q->lim.hi95, q->lim.hi998};
        static const char *const keys[] = {"proportion", "target", "lower_998", "lower_95", "upper_95", "upper_998"};
        if (json) {
            buf_puts(b, k ? ",\n{\"unit\":" : "\n{\"unit\":");
            json_write_string(b, u->name[i], strlen(u->name[i]));
            buf_printf(b, ",\"numerator\":%llu,\"denominator\":%llu", (unsigned long long)u->num[i],
                       (unsigned long long)u->den[i]);
            for (int j = 0; j < 6; j++) {
                buf_printf(b, ",\"%s\":", keys[j]);
                if (isnan(v[j]))
                    buf_puts(b, "null");
                else
                    json_write_number(b, v[j]);
            }
            buf_printf(b, ",\"place\":\"%s\"}", spc_funnel_place_name(q->place));
        } else {
            csv_write_field(b, u->name[i], strlen(u->name[i]));
            buf_printf(b, ",%llu,%llu", (unsigned long long)u->num[i], (unsigned long long)u->den[i]);
            for (int j = 0; j < 6; j++) {
                buf_putc(b, ',');
                number(b, v[j]);
            }
            buf_printf(b, ",%s\n", spc_funnel_place_name(q->place));
        }
    }
    if (json)
        buf_puts(b, "]}\n");
}

/* The funnel plot drawn, its units in order (labelled with their names). */
static int draw(struct buf *b, const struct units *u, const size_t *order, const struct spc_funnel_point *p, double theta,
                const char *title, bool png, struct purpose_err *err)
{
    const char **label = malloc(u->n * sizeof *label);
    uint64_t *num = malloc(u->n * sizeof *num), *den = malloc(u->n * sizeof *den);
    struct spc_funnel_point *pt = malloc(u->n * sizeof *pt);
    int rc = label && num && den && pt ? 0 : purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    for (size_t k = 0; rc == 0 && k < u->n; k++) {
        label[k] = u->name[order[k]];
        num[k] = u->num[order[k]];
        den[k] = u->den[order[k]];
        pt[k] = p[order[k]];
    }
    const struct chart_funnel f = {.title = title, .n = u->n, .label = label, .num = num, .den = den, .pt = pt,
                                   .theta = theta};
    if (rc == 0)
        rc = png ? chart_funnel_png(b, &f, err) : chart_funnel_svg(b, &f, err);
    free(label);
    free(num);
    free(den);
    free(pt);
    return rc;
}

static int parse_args(int argc, char **argv, struct opts *o, const char **file)
{
    *o = (struct opts){.unit = "unit", .num = "numerator", .den = "denominator"};
    *file = NULL;
    static const char *const named[] = {"--unit", "--numerator", "--denominator", "--where", "--target", "--format",
                                        "--title", "-o"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int which = -1;
        for (int k = 0; k < 8 && which < 0; k++) {
            size_t n = strlen(named[k]);
            if (strncmp(a, named[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
                which = k;
                v = a[n] == '=' ? a + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (!v)
                    return usage_err("%s needs a value", named[k]);
            }
        }
        if (which == 0)
            o->unit = v;
        else if (which == 1)
            o->num = v;
        else if (which == 2)
            o->den = v;
        else if (which == 3) {
            const char *eq = strchr(v, '=');
            if (!eq || eq == v)
                return usage_err("--where: \"%s\" is not COLUMN=VALUE", v);
            size_t n = (size_t)(eq - v);
            if (n >= sizeof o->where_buf)
                return usage_err("--where: the column's name is too long%s", "");
            memcpy(o->where_buf, v, n);
            o->where_buf[n] = '\0';
            o->where_col = o->where_buf;
            o->where_val = eq + 1;
        } else if (which == 4) {
            if (num_parse(v, strlen(v), &o->target) != NUM_OK || !(o->target >= 0 && o->target <= 1))
                return usage_err("--target: \"%s\" is not a proportion from 0 to 1", v);
            o->has_target = true;
        } else if (which == 5) {
            static const char *const fmts[] = {"csv", "json", "svg", "png"};
            int f = 0;
            while (f < 4 && strcmp(v, fmts[f]) != 0)
                f++;
            if (f == 4)
                return usage_err("--format: \"%s\" is not csv, json, svg or png", v);
            o->format = (enum fmt)f;
        } else if (which == 6) {
            o->title = v;
        } else if (which == 7) {
            o->out = v;
        } else if (strcmp(a, "--complement") == 0) {
            o->complement = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_err("unknown option '%s'", a);
        } else if (!*file) {
            *file = a;
        } else {
            return usage_err("one file only: '%s' is extra", a);
        }
    }
    if (!*file)
        return usage_err("%s", "which file? usage: purpose funnel FILE [--unit COL] [--numerator COL] ...");
    return CLI_OK;
}

int cmd_funnel(int argc, char **argv)
{
    struct opts o;
    const char *file;
    int u_rc = parse_args(argc, argv, &o, &file);
    if (u_rc != CLI_OK)
        return u_rc;
    struct purpose_err err = {0};
    struct ingest_input in = {0};
    struct units u = {0};
    strmap_init(&u.map);
    struct spc_funnel_point *p = NULL;
    size_t *order = NULL;
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    int rc = ingest_input_open(&in, file, &err);
    if (rc == 0)
        rc = read_units(&in, &o, &u, &err);
    if (rc == 0 && u.n == 0)
        rc = purpose_errk(&err, PURPOSE_ERR_INPUT, NULL, "%s: no rows%s", in.name, o.where_col ? " match --where" : "");
    if (rc == 0) {
        p = malloc(u.n * sizeof *p);
        order = malloc(u.n * sizeof *order);
        if (!p || !order)
            rc = purpose_errk(&err, PURPOSE_ERR_INTERNAL, NULL, "out of memory");
    }
    double theta = 0;
    if (rc == 0)
        rc = spc_funnel(u.num, u.den, u.n, o.has_target ? &o.target : NULL, &theta, p, &err);
    if (rc == 0) {
        for (size_t i = 0; i < u.n; i++)
            order[i] = i;
        sort_units = &u;
        qsort(order, u.n, sizeof *order, by_name);
        if (o.format == FMT_SVG || o.format == FMT_PNG)
            rc = draw(&b, &u, order, p, theta, o.title ? o.title : in.name, o.format == FMT_PNG, &err);
        else
            write_out(&b, &u, order, p, theta, o.format == FMT_JSON);
        if (rc == 0 && b.failed)
            rc = purpose_errk(&err, PURPOSE_ERR_INTERNAL, NULL, "the output is too large");
    }
    if (rc == 0) {
        struct dest d;
        rc = dest_open(&d, o.out, &err);
        if (rc == 0 && (rc = dest_write(&d, &b, &err)) == 0)
            rc = dest_commit(&d, &err);
        else if (rc < 0 && d.f)
            dest_abort(&d);
    }
    if (rc < 0)
        fprintf(stderr, "purpose funnel: %s\n", err.msg);
    buf_release(&b);
    free(p);
    free(order);
    units_release(&u);
    ingest_input_close(&in);
    return rc < 0 ? CLI_FAILED : CLI_OK;
}
