#ifndef PURPOSE_WEB_WELLLED_H
#define PURPOSE_WEB_WELLLED_H
/* Private to the well-led self-assessment's pages (wellled.c), API (wellled_api.c) and PDF
 * (wellled_pdf.c): what they all read, and where an evidence link leads. */
#include "web/web_int.h"

/* An organisation's self-assessment as the store gives it: every kind of evidence, and the ratings
 * (of one statement, or of all), newest first. Released with web_wl_release. */
struct web_wl {
    struct store_wl_evidence_list ev;
    struct store_wl_rating_list ratings;
};
int web_wl_load(struct web_req *r, int statement, struct web_wl *out, struct purpose_err *err);
void web_wl_release(struct web_wl *a);
/* The current rating of statement n (the newest), or NULL. */
const struct store_wl_rating *web_wl_current(const struct web_wl *a, int n);
/* The page an evidence link leads to, in the request's scope, into out ("" when no route). */
const char *web_wl_href(const struct web_req *r, const struct store_wl_link *l, char *out, size_t n);
/* The statement {id} names (1..8), or NULL having answered 404 (*rc its handler's return). */
const struct store_wl_statement *web_wl_statement(struct web_req *r, struct web_resp *w, int *rc);

/* Handlers the route table in wellled.c declares: the PDF (wellled_pdf.c) and the API
 * (wellled_api.c). */
int web_wl_pdf(struct web_req *r, struct web_resp *w, struct purpose_err *err);
int web_wl_api(struct web_req *r, struct web_resp *w, struct purpose_err *err);
int web_wl_ratings_api(struct web_req *r, struct web_resp *w, struct purpose_err *err);
int web_wl_rate_api(struct web_req *r, struct web_resp *w, struct purpose_err *err);

/* A new rating of statement {id}: the form's and the API's one declaration (wellled.c, action.h),
 * answered as the rating's JSON (web_wl_rating_answer, wellled_api.c). */
struct web_action;
extern const struct web_action web_wl_rate;
int web_wl_rating_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);

#endif
