#ifndef PURPOSE_STORE_WELLLED_INT_H
#define PURPOSE_STORE_WELLLED_INT_H
/* Private to the well-led evidence (wellled_evidence.c, wellled_work.c): one function per kind of
 * evidence, each filling its item's count and links and writing its sentences into text. */
#include "core/buf.h"
#include "store/store_int.h"

typedef int (*wl_gather_fn)(struct store *s, int64_t org_id, int64_t now,
                            struct store_wl_evidence *e, struct buf *text, struct purpose_err *err);

/* Appends a link to e (label copied). */
int wl_link(struct store_wl_evidence *e, enum store_wl_target to, int64_t id, const char *word, const char *label,
            struct purpose_err *err);
/* A row of two numbers and two texts, for the small reads the kinds make. */
struct wl_row {
    int64_t id, n;
    char *a, *b;
};
STORE_LIST(wl_row_list, struct wl_row);
int wl_row_read(struct db_stmt *st, void *item, struct purpose_err *err);
void wl_row_list_release(struct wl_row_list *l);
/* Reads every row of sql (columns: id, n, a, b), on a connection of its own. */
int wl_rows(struct store *s, struct wl_row_list *out, struct purpose_err *err, const char *sql, const char *types,
            ...);
/* "7 December 2026" for unix seconds t. */
const char *wl_day(int64_t t, char out[32]);
/* p of n as a whole percentage ("0" when n is 0). */
int wl_percent(int64_t p, int64_t n);

int wl_statements(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e,
                  struct buf *text, struct purpose_err *err);
int wl_heard(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e,
             struct buf *text, struct purpose_err *err);
int wl_responses(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e,
                 struct buf *text, struct purpose_err *err);
int wl_alignment(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e,
                 struct buf *text, struct purpose_err *err);
int wl_audit(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e,
             struct buf *text, struct purpose_err *err);
/* wellled_work.c */
int wl_improvement(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e,
                   struct buf *text, struct purpose_err *err);
int wl_cases(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e,
             struct buf *text, struct purpose_err *err);
int wl_partnerships(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e,
                    struct buf *text, struct purpose_err *err);
int wl_netzero(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e,
               struct buf *text, struct purpose_err *err);
/* wellled_pulses.c */
int wl_pulses(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e, struct buf *text,
              struct purpose_err *err);

#endif
