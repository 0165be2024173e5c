/* The annotations file (notes_cli.h): read as strictly as the data, every error naming its line. */
#include <stdlib.h>
#include <string.h>

#include "cli/notes_cli.h"
#include "core/csv.h"
#include "core/utf8.h"
#include "core/xval.h"
#include "ingest/ingest.h"
#include "core/banned.h"

enum { NC_DATE, NC_LABEL, NC_SERIES, NC_N };
static const char *const nc_names[NC_N] = {"date", "label", "series"};

void notes_release(struct notes_file *nf)
{
    for (size_t i = 0; i < nf->n; i++) {
        free(nf->rows[i].x);
        free(nf->rows[i].label);
        free(nf->rows[i].series);
    }
    free(nf->rows);
    free(nf->name);
    memset(nf, 0, sizeof *nf);
}

static int nc_header(const struct notes_file *nf, struct csv_reader *csv, struct buf *scratch, size_t at[NC_N],
                     struct purpose_err *err)
{
    for (int c = 0; c < NC_N; c++)
        at[c] = SIZE_MAX;
    for (size_t i = 0; i < csv->n_fields; i++) {
        size_t n;
        const char *h = xval_trim(csv_field_text(&csv->fields[i], scratch, &n), &n);
        int found = -1;
        for (int c = 0; c < NC_N && found < 0; c++)
            if (strlen(nc_names[c]) == n && memcmp(nc_names[c], h, n) == 0)
                found = c;
        if (found < 0)
            return purpose_errf(err, "%s:%zu: column \"%.*s\": not an annotations column (date, label, series)", nf->name,
                                csv->row_line, (int)(n > 60 ? 60 : n), h);
        if (at[found] != SIZE_MAX)
            return purpose_errf(err, "%s:%zu: column \"%s\" appears twice in the header", nf->name, csv->row_line,
                                nc_names[found]);
        at[found] = i;
    }
    for (int c = NC_DATE; c <= NC_LABEL; c++)
        if (at[c] == SIZE_MAX)
            return purpose_errf(err, "%s:%zu: no column \"%s\" in the header (an annotations file needs date and label)",
                                nf->name, csv->row_line, nc_names[c]);
    return 0;
}

/* Column c of the current row, trimmed, as an owned string. */
static int nc_field(const struct notes_file *nf, struct csv_reader *csv, struct buf *scratch, size_t at, int c,
                    char **out, struct purpose_err *err)
{
    size_t n = 0;
    const char *t = "";
    if (at != SIZE_MAX)
        t = xval_trim(csv_field_text(&csv->fields[at], scratch, &n), &n);
    if (c != NC_SERIES && n == 0)
        return purpose_errf(err, "%s:%zu: column \"%s\": empty: every note needs a %s", nf->name, csv->row_line,
                            nc_names[c], nc_names[c]);
    if (c == NC_LABEL && n > NOTES_LABEL_MAX)
        return purpose_errf(err, "%s:%zu: column \"label\": %zu bytes, more than %d", nf->name, csv->row_line, n,
                            NOTES_LABEL_MAX);
    if (!utf8_valid(t, n))
        return purpose_errf(err, "%s:%zu: column \"%s\": not valid UTF-8", nf->name, csv->row_line, nc_names[c]);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] < 0x20)
            return purpose_errf(err, "%s:%zu: column \"%s\": a control character (a line break?) in the text",
                                nf->name, csv->row_line, nc_names[c]);
    if (!(*out = strndup(t, n)))
        return purpose_errf(err, "out of memory");
    return 0;
}

int notes_read(struct notes_file *nf, const char *path, struct purpose_err *err)
{
    memset(nf, 0, sizeof *nf);
    struct ingest_input in = {0};
    if (ingest_input_open(&in, path, err) < 0)
        return -1;
    struct csv_reader csv;
    struct buf scratch;
    csv_reader_init(&csv, in.name, in.data, in.len);
    buf_init(&scratch, 1 << 20);
    size_t at[NC_N], cap = 0;
    int rc = (nf->name = strdup(in.name)) ? csv_next(&csv, err) : purpose_errf(err, "out of memory");
    if (rc == 0)
        rc = purpose_errf(err, "%s: empty file: no header row", in.name);
    else if (rc > 0)
        rc = nc_header(nf, &csv, &scratch, at, err);
    while (rc == 0 && (rc = csv_next(&csv, err)) == 1) {
        if (nf->n == NOTES_MAX) {
            rc = purpose_errf(err, "%s:%zu: more than %d annotations", nf->name, csv.row_line, NOTES_MAX);
            break;
        }
        if (nf->n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct notes_row *r = realloc(nf->rows, ncap * sizeof *r);
            if (!r) {
                rc = purpose_errf(err, "out of memory");
                break;
            }
            nf->rows = r, cap = ncap;
        }
        struct notes_row *row = &nf->rows[nf->n++];
        *row = (struct notes_row){.line = csv.row_line};
        rc = nc_field(nf, &csv, &scratch, at[NC_DATE], NC_DATE, &row->x, err);
        if (rc == 0)
            rc = nc_field(nf, &csv, &scratch, at[NC_LABEL], NC_LABEL, &row->label, err);
        if (rc == 0)
            rc = nc_field(nf, &csv, &scratch, at[NC_SERIES], NC_SERIES, &row->series, err);
    }
    buf_release(&scratch);
    csv_reader_release(&csv);
    ingest_input_close(&in);
    if (rc < 0)
        notes_release(nf);
    return rc < 0 ? -1 : 0;
}

int notes_for(const struct notes_file *nf, const char *series, enum chart_x_kind kind, const char *const *x_text,
              size_t n, struct chart_note **out, size_t *n_out, struct purpose_err *err)
{
    *out = NULL;
    *n_out = 0;
    if (!nf || nf->n == 0)
        return 0;
    struct chart_note *notes = malloc(nf->n * sizeof *notes);
    if (!notes)
        return purpose_errf(err, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < nf->n; i++) {
        const struct notes_row *row = &nf->rows[i];
        if (row->series[0] && (!series || !series[0])) {
            free(notes);
            return purpose_errf(err, "%s:%zu: column \"series\": \"%.60s\", but the chart has no --series", nf->name,
                                row->line, row->series);
        }
        if (row->series[0] && strcmp(row->series, series) != 0)
            continue;
        double x = 0;
        enum xval_type t = xval_classify(row->x, strlen(row->x), &x);
        if (kind == CHART_X_LABEL) {
            size_t at = SIZE_MAX;
            for (size_t p = 0; p < n && at == SIZE_MAX; p++) {
                size_t len = strlen(x_text[p]);
                const char *v = xval_trim(x_text[p], &len);
                if (len == strlen(row->x) && memcmp(v, row->x, len) == 0)
                    at = p;
            }
            if (at == SIZE_MAX) {
                free(notes);
                return purpose_errf(err, "%s:%zu: column \"date\": \"%.60s\" is none of the chart's x values", nf->name,
                                    row->line, row->x);
            }
            x = (double)at;
        } else if ((kind == CHART_X_DATE && t != XVAL_DATE) || (kind == CHART_X_NUMBER && t != XVAL_NUMBER)) {
            free(notes);
            return purpose_errf(err, "%s:%zu: column \"date\": \"%.60s\" is not a %s, as the chart's x is", nf->name,
                                row->line, row->x, kind == CHART_X_DATE ? "date" : "number");
        }
        notes[k++] = (struct chart_note){.x = x, .label = row->label};
    }
    *out = notes;
    *n_out = k;
    return 0;
}
