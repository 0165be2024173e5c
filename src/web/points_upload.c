/* A measure's points uploaded as CSV: every bad row collected (points_upload.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "web/points_upload.h"
#include "core/banned.h"

struct collect {
    const char *csv;
    struct web_bad_rows *bad;
    json_t **errors;
};

/* The file's header for rejects.csv: its first line when that names the columns (it starts with a
 * letter, as the store's header rule asks; a date or a number never does), else the columns' names. */
static void header(struct collect *c)
{
    size_t n = web_first_line(c->csv);
    const char *t = c->csv;
    while (*t == ' ' || *t == '"' || *t == '\t')
        t++;
    unsigned char c0 = (unsigned char)*t;
    bool named = (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80;
    if (named)
        web_bad_rows_header(c->bad, c->csv, n);
    else
        web_bad_rows_header(c->bad, "date,value,denominator", strlen("date,value,denominator"));
}

static void on_bad(void *ctx, size_t line, const char *field, const char *reason, const char *row, size_t row_len)
{
    struct collect *c = ctx;
    if (c->bad) {
        if (!c->bad->have_header)
            header(c);
        web_bad_rows_add(c->bad, line, NULL, reason, row, row_len);
    }
    if (c->errors && *c->errors) {
        char msg[600];
        snprintf(msg, sizeof msg, "row %zu: %s", line, reason);
        web_jpush(c->errors, json_pack("{s:s, s:I, s:s}", "field", field, "line", (json_int_t)line, "error", msg));
    }
}

int web_points_upload(struct web_req *r, const char *csv, struct web_bad_rows *bad, json_t **errors, size_t *n,
                      struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    struct collect c = {.csv = csv, .bad = bad, .errors = errors};
    return store_points_csv_each(r->ctx->store, &by, STORE_ORG_SCOPE(r->org.id), r->id, csv, strlen(csv), n, on_bad, &c, NULL, err);
}
