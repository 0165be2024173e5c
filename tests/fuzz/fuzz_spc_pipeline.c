/* Fuzzer for the whole `purpose spc` pipeline below the CLI: CSV bytes are read through src/ingest
 * (mapped from a file, as the CLI reads them), every series is computed by the engine on the chart
 * type the first byte names and drawn as SVG through the chart layout. Input errors are fine; a
 * crash, a sanitizer report, an infinite or NaN number in the SVG's geometry, or an SVG that is not
 * one document is not. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart/chart.h"
#include "ingest/ingest.h"
#include "purpose/spc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
    struct ingest_input *in;
    struct spc_options opt;
    struct spc_result res;
    struct buf svg, scratch;
};

/* True when a geometry attribute (not text a user wrote: labels may say "nan") holds nan or inf. */
static bool bad_number(const char *svg)
{
    static const char *const attrs[] = {" x=\"", " y=\"", " x1=\"", " y1=\"", " x2=\"", " y2=\"", " cx=\"", " cy=\"",
                                        " r=\"", " width=\"", " height=\"", " d=\"", " points=\""};
    for (size_t a = 0; a < sizeof attrs / sizeof attrs[0]; a++) {
        for (const char *p = strstr(svg, attrs[a]); p; p = strstr(p + 1, attrs[a])) {
            const char *v = p + strlen(attrs[a]), *end = strchr(v, '"');
            if (!end)
                return true;
            for (const char *q = v; q + 3 <= end; q++)
                if (strncmp(q, "nan", 3) == 0 || strncmp(q, "inf", 3) == 0)
                    return true;
        }
    }
    return false;
}

static int on_series(void *ctx, struct ingest_series *s, size_t done, struct purpose_err *err)
{
    (void)done;
    struct run *r = ctx;
    if (spc_compute(s->y, s->den, s->n, s->breaks, s->n_breaks, &r->opt, &r->res, err) < 0)
        return 0; /* bad input for this chart type: a message, not a fault */
    const char **texts = calloc(s->n ? s->n : 1, sizeof *texts);
    char **copies = calloc(s->n ? s->n : 1, sizeof *copies);
    if (!texts || !copies)
        __builtin_trap();
    for (size_t i = 0; i < s->n; i++) {
        size_t n;
        const char *x = ingest_series_x(s, r->in->data, r->in->len, i, &r->scratch, &n);
        copies[i] = malloc(n + 1);
        if (!copies[i])
            __builtin_trap();
        memcpy(copies[i], x, n);
        copies[i][n] = '\0';
        texts[i] = copies[i];
    }
    static const enum chart_x_kind kinds[] = {
        [XVAL_LABEL] = CHART_X_LABEL, [XVAL_NUMBER] = CHART_X_NUMBER, [XVAL_DATE] = CHART_X_DATE};
    struct chart_series c = {.title = s->name ? s->name : "y", .y_label = "y", .n = s->n,
                             .y = spc_result_values(&r->res, s->y), .x_kind = kinds[s->xs.type],
                             .x_value = s->key, .x_text = texts, .res = &r->res, .opt = &r->opt};
    buf_reset(&r->svg);
    struct purpose_err e2;
    if (chart_svg(&r->svg, &c, &e2) == 0) {
        const char *d = r->svg.data ? r->svg.data : "";
        if (bad_number(d) || !strstr(d, "</svg>"))
            __builtin_trap();
    }
    for (size_t i = 0; i < s->n; i++)
        free(copies[i]);
    free(copies);
    free(texts);
    return 0;
}

static char path[64];

/* The input file is the fuzzer's own: gone when it exits, however the last run ended. */
static void cleanup(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/purpose-fuzz-spc-%ld.csv", (long)getpid());
        atexit(cleanup);
    }
    FILE *f = fopen(path, "wb");
    if (!f || (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1) || fclose(f) != 0)
        return 0;
    struct run r = {0};
    spc_options_default(&r.opt);
    static const enum spc_chart charts[] = {SPC_CHART_XMR, SPC_CHART_RUN, SPC_CHART_P, SPC_CHART_PP, SPC_CHART_U,
                                            SPC_CHART_UP, SPC_CHART_C, SPC_CHART_G, SPC_CHART_T};
    r.opt.chart = charts[data[0] % (sizeof charts / sizeof charts[0])];
    bool with_den = r.opt.chart == SPC_CHART_P || r.opt.chart == SPC_CHART_PP || r.opt.chart == SPC_CHART_U ||
                    r.opt.chart == SPC_CHART_UP;
    struct ingest_spec spec = {.x_col = "x", .y_col = "y", .series_col = (data[0] & 0x80) ? "series" : NULL,
                               .den_col = with_den ? "n" : NULL, .chart = r.opt.chart, .need_x = true,
                               .need_keys = true};
    struct ingest_input in;
    struct purpose_err err;
    spc_result_init(&r.res);
    buf_init(&r.svg, 1u << 26);
    buf_init(&r.scratch, 1u << 20);
    if (ingest_input_open(&in, path, &err) == 0) {
        r.in = &in;
        struct ingest_handler h = {.series = on_series, .ctx = &r};
        ingest_read(&in, &spec, &h, &err);
        ingest_input_close(&in);
    }
    spc_result_release(&r.res);
    buf_release(&r.svg);
    buf_release(&r.scratch);
    unlink(path);
    return 0;
}
