#ifndef PURPOSE_WEB_OPINIONS_H
#define PURPOSE_WEB_OPINIONS_H
/* Opinion groups on a conversation's pages (opinions.c; store/opinions.h, docs/opinions.md). */
#include "web/campaigns.h"

/* The paragraph the privacy notice gains while the conversation's opinion groups are on (nothing
 * when off). 0, or -1 with err. */
int web_opinions_notice(struct web_req *r, struct web_resp *w, int64_t campaign_id, struct purpose_err *err);

/* On the results page, while they are on: a link to the opinion map. 0, or -1 with err. */
int web_opinions_results_link(struct web_req *r, struct web_resp *w, int64_t campaign_id, struct purpose_err *err);

extern const struct web_feature web_opinions;

#endif
