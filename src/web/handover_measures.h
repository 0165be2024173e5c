#ifndef PURPOSE_WEB_HANDOVER_MEASURES_H
#define PURPOSE_WEB_HANDOVER_MEASURES_H
/* Private to src/web: a handover metric followed as an improvement measure (handover_measures.c;
 * the rule is the store's, store/handover_measures.h). */
#include "web/web_int.h"

/* The dashboard's "Track as a measure" form (an organisation's leads), with fe's error shown. */
int web_ho_measure_form(struct web_req *r, struct web_resp *w, const struct purpose_err *fe,
                        struct purpose_err *err);
/* POST /handovers/measures: makes the measure and goes to its page; a refusal shows the form again. */
int web_ho_measure_create(struct web_req *r, struct web_resp *w, struct purpose_err *err);
/* POST /api/v1/handovers/measures: the same, from JSON; answers 201 with the measure and its points. */
int web_ho_measure_create_api(struct web_req *r, struct web_resp *w, struct purpose_err *err);
/* On a measure's page: when the measure follows the handover data, says where its points come
 * from and returns 1 (the page then offers no manual points); 0 when it does not; -1 on error. */
int web_ho_measure_source(struct web_req *r, struct web_resp *w, int64_t measure_id, struct purpose_err *err);

/* handover_sites.c: the dashboard's list of the organisation's sites and their codes, with a
 * lead's form for each. */
int web_ho_sites_section(struct web_req *r, struct web_resp *w, struct purpose_err *err);

#endif
