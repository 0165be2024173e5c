#ifndef PURPOSE_WEB_OPINIONS_INT_H
#define PURPOSE_WEB_OPINIONS_INT_H
/* Opinion groups' view, shared by the page and the API (opinions.c) and computed by
 * opinions_view.c: the conversation's votes grouped once per answer. */
#include <stdbool.h>
#include <stdint.h>

#include "opinion/opinion.h"
#include "web/opinions.h"

/* Grouping reads every grouped vote: done at most once per 5 s per conversation while votes
 * stream in (the page's fragment and the API's body are kept that long: route lag_ms). */
#define OPINIONS_LAG_MS 5000
#define MIN_GROUP STORE_SUPPRESS_BELOW /* a group under 5 is shown merged, never alone */
#define UNITING_MAX 5

/* What the page and the API show, computed once per answer. */
struct web_opview {
    int64_t since;          /* 0: off */
    struct buf comments, votes;
    struct op_export e;
    bool have_export;
    struct op_result *r;    /* NULL: too few to group (why says so) */
    char why[sizeof ((struct purpose_err *)0)->msg];
};
struct web_opranked { double c; uint32_t j; };

/* Builds v for conversation campaign_id of the request's scope (off: v->since 0, nothing else).
 * v is released by web_opview_release whatever this returns. 0, or -1 with err. */
int web_opview_build(struct web_req *r, int64_t campaign_id, struct web_opview *v, struct purpose_err *err);
void web_opview_release(struct web_opview *v);
/* Group g's letter, A to Z. */
char web_opview_letter(size_t g);
/* Statement j's text (moderated-out ones never reach here: they are not counted). */
const char *web_opview_text(const struct web_opview *v, uint32_t j);
/* part of whole as a whole percentage (0 of nothing). */
int web_opview_percent(uint32_t part, uint32_t whole);
/* The statements that unite the groups: the highest group-informed consensus, each agreed by more
 * than half of every group. How many found (at most UNITING_MAX). v->r must be set. */
size_t web_opview_uniting(const struct web_opview *v, struct web_opranked out[UNITING_MAX]);
/* The API's answer for v of conversation id (NULL when out of memory). */
json_t *web_opview_json(const struct web_opview *v, int64_t id);

#endif
