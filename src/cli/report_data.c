/* Reading the measures' series out of the data CSV of `purpose report`, in one pass. Each value
 * goes through the same row reader as `purpose spc` (src/ingest's ingest_read_row, with the chart
 * type's input rules), so the same bad value gets the same message; the x typing, ordering and
 * duplicate checks are ingest_series_finish's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report_cli.h"
#include "core/csv.h"
#include "core/strmap.h"
#include "ingest/ingest.h"
#include "core/banned.h"

static int find_col(const struct csv_reader *csv, struct buf *scratch, const char *name, size_t *at)
{
    for (size_t i = 0; i < csv->n_fields; i++) {
        size_t n;
        const char *h = csv_field_text(&csv->fields[i], scratch, &n);
        if (n == strlen(name) && memcmp(h, name, n) == 0) {
            *at = i;
            return 0;
        }
    }
    return -1;
}

/* A measure's columns must be in the data: the error names the measures file's line. */
static int measure_columns(struct measures *ms, struct measure *m, const struct csv_reader *csv, struct buf *scratch,
                           const char *data_name, struct purpose_err *err)
{
    if (find_col(csv, scratch, m->y_col, &m->y_at) < 0)
        return purpose_errf(err, "%s:%zu: column \"y\": no column \"%.60s\" in %s", ms->file, m->line, m->y_col,
                            data_name);
    if (m->den_col && find_col(csv, scratch, m->den_col, &m->den_at) < 0)
        return purpose_errf(err, "%s:%zu: column \"denominator\": no column \"%.60s\" in %s", ms->file, m->line,
                            m->den_col, data_name);
    return 0;
}

static int read_rows(struct measures *ms, struct csv_reader *csv, size_t series_at, const char *series_col,
                     struct strmap *names, size_t *const *slots, const size_t *slot_n, struct buf *scratch,
                     struct purpose_err *err)
{
    int rc;
    while ((rc = csv_next(csv, err)) == 1) {
        size_t n;
        const char *name = csv_field_text(&csv->fields[series_at], scratch, &n);
        if (n == 0)
            return purpose_errf(err, "%s:%zu: column \"%s\": empty series name", csv->name, csv->row_line, series_col);
        size_t id = strmap_get(names, name, n, 0);
        if (id == (size_t)-1)
            continue; /* a series no measure asks for */
        for (size_t k = 0; k < slot_n[id]; k++) {
            struct measure *m = &ms->m[slots[id][k]];
            double y, den = NAN;
            struct ingest_row row;
            if (ingest_read_row(&m->rr, csv, &y, &den, &row) < 0 || ingest_series_push(&m->num, y, den, &row, err) < 0)
                return -1;
        }
    }
    return rc;
}

int report_data_read(struct measures *ms, const struct ingest_input *in, const char *series_col, const char *x_col,
                     struct purpose_err *err)
{
    struct csv_reader csv;
    csv_reader_init(&csv, in->name, in->data, in->len);
    struct buf scratch;
    buf_init(&scratch, INGEST_FIELD_SCRATCH_MAX);
    struct strmap names;
    strmap_init(&names);
    size_t **slots = calloc(ms->n, sizeof *slots), *slot_n = calloc(ms->n, sizeof *slot_n);
    size_t series_at = 0, x_at = 0;
    int rc = slots && slot_n ? csv_next(&csv, err) : purpose_errf(err, "out of memory");
    if (rc == 0)
        rc = purpose_errf(err, "%s: empty file: no header row", in->name);
    else if (rc > 0)
        rc = 0;
    if (rc == 0 && find_col(&csv, &scratch, series_col, &series_at) < 0)
        rc = purpose_errf(err, "%s:%zu: no column \"%s\" in the header (the series column: see --series)", in->name,
                          csv.row_line, series_col);
    if (rc == 0 && find_col(&csv, &scratch, x_col, &x_at) < 0)
        rc = purpose_errf(err, "%s:%zu: no column \"%s\" in the header (the x column: see --x)", in->name,
                          csv.row_line, x_col);
    /* Which measures each series feeds: most series feed one, some several. */
    for (size_t i = 0; i < ms->n && rc == 0; i++) {
        struct measure *m = &ms->m[i];
        if ((rc = measure_columns(ms, m, &csv, &scratch, in->name, err)) < 0)
            break;
        m->rr = (struct ingest_row_reader){.file = in->name, .data = in->data, .x_col = x_at, .y_col = m->y_at,
                                           .den_col = m->den_col ? m->den_at : SIZE_MAX, .x_name = x_col,
                                           .y_name = m->y_col, .den_name = m->den_col,
                                           .chart = (enum spc_chart)m->chart, .err = err};
        buf_init(&m->rr.scratch, INGEST_FIELD_SCRATCH_MAX);
        m->num.keep_offsets = true; /* a series' rows may be anywhere */
        m->num.has_den = m->den_col != NULL;
        m->num.x_col = x_at;
        size_t id = strmap_get(&names, m->series, strlen(m->series), 1);
        size_t *grown = id == (size_t)-1 ? NULL : realloc(slots[id], (slot_n[id] + 1) * sizeof *grown);
        if (!grown) {
            rc = purpose_errf(err, "out of memory");
            break;
        }
        slots[id] = grown;
        slots[id][slot_n[id]++] = i;
    }
    if (rc == 0)
        rc = read_rows(ms, &csv, series_at, series_col, &names, slots, slot_n, &scratch, err);
    /* Each series in chart order: x typed, sorted by value, duplicates refused (as spc). */
    for (size_t i = 0; i < ms->n && rc == 0; i++) {
        struct measure *m = &ms->m[i];
        struct ingest_spec a = {.x_col = x_col, .y_col = m->y_col, .den_col = m->den_col, .chart = (enum spc_chart)m->chart,
                                .rebase = (const char *const *)m->rebase, .n_rebase = m->n_rebase,
                                .need_x = true, .need_keys = true};
        if (m->num.n == 0)
            rc = purpose_errf(err, "%s:%zu: column \"series\": no series \"%.60s\" in %s", ms->file, m->line, m->series,
                              in->name);
        else if (ingest_series_finish(&m->num, in->data, in->len, in->name, &a, err) < 0)
            rc = -1;
    }
    for (size_t i = 0; slots && i < ms->n; i++)
        free(slots[i]);
    free(slots);
    free(slot_n);
    strmap_release(&names);
    buf_release(&scratch);
    csv_reader_release(&csv);
    return rc < 0 ? -1 : 0;
}
