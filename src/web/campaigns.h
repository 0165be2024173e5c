#ifndef PURPOSE_WEB_CAMPAIGNS_H
#define PURPOSE_WEB_CAMPAIGNS_H
/* Shared by the co-design features: campaigns.c (leads' pages, results, the who-has-been-heard
 * report, CSV export, API), contribute.c (the public page, contributing, voting, "my
 * contributions") and moderate.c (the moderation queue). Each page route exists twice: for the
 * organisation (/conversations/...) and for a programme (/programmes/{programme}/conversations/...). */
#include "web/kit.h"

#define WEB_CONTRIBUTOR_SECONDS (365 * 86400) /* a contributor session's life */
#define WEB_CONTRIBUTOR_ISSUE 60                /* new contributor sessions per address in 10 minutes */

/* The campaign r->id of the request's scope; on failure the error page is written and -1 returned
 * with *answered set (an internal error leaves *answered false). */
int web_campaign_load(struct web_req *r, struct web_resp *w, struct store_campaign *c, bool *answered,
                      struct purpose_err *err);
/* The page address of campaign id followed by rest ("" for the campaign page). */
void web_campaign_href(const struct web_req *r, int64_t id, const char *rest, char *out, size_t n);
/* The address of the scope's conversations followed by rest ("/ideas/7"). */
void web_conversations_href(const struct web_req *r, const char *rest, char *out, size_t n);
/* A count as the API and exports give it: the number, or "fewer than 5". */
json_t *web_count_json(int64_t n);
/* A total decided by the disclosure rule (store/disclose.h): the number when exact, else its words
 * ("fewer than 5", "about 10"). */
json_t *web_shown_json(const struct store_shown *s);
/* Fills out. Returns 0; 1 when a new session was needed but this address has been given
 * WEB_CONTRIBUTOR_ISSUE in the last 10 minutes (answer 429); -1 with err (INPUT, field
 * "contributor" or "X-Contributor") when the one sent was not issued by this server to this
 * person, or has expired: then its cookie is cleared and nothing may be stored. */
int web_contributor(struct web_req *r, struct web_resp *w, enum web_contributor_use use, struct web_contributor *out,
                    struct purpose_err *err);
/* The day of unix time t as YYYY-MM-DD (UTC), into out. */
void web_iso_day(char *out, size_t n, int64_t t);
/* The campaign's heading block: caption, question, phase and open/closed state. */
void web_campaign_heading(struct web_req *r, struct web_resp *w, const struct store_campaign *c);

json_t *web_contribution_json(const struct store_contribution *x);
/* Each of the list, as web_contribution_json gives it, in a JSON array. */
json_t *web_contributions_json(const struct store_contribution_list *l);

/* A route under /conversations/{id} loads its conversation (web_route.load) before the handler,
 * except one that answers from lagging data (the results, which skip the read when their shared
 * fragment is current); one under /conversations/events/{id} its event. */
#define WEB_CONVERSATION_LOAD(p, lag)                                                                  \
    (("" p "  ")[0] == '/' && ("" p "  ")[1] == '{' && (lag) == 0 ? WEB_LOAD_CONVERSATION                 \
     : WEB_IS_EVENT_PATH_("" p "          ") ? WEB_LOAD_EVENT : WEB_LOAD_NONE)
#define WEB_IS_EVENT_PATH_(s)                                                                          \
    ((s)[0] == '/' && (s)[1] == 'e' && (s)[2] == 'v' && (s)[3] == 'e' && (s)[4] == 'n' && (s)[5] == 't' && \
     (s)[6] == 's' && (s)[7] == '/' && (s)[8] == '{')

/* A conversation page for the organisation (/conversations...) and for a programme
 * (/programmes/{programme}/conversations...), with the role checked in that scope; the _LAG form
 * lets the answer trail the store by up to lag milliseconds (web_route.lag_ms): such a page is the
 * one everyone shares (its fragment) and depends on its conversation alone (web_route.deps), so a
 * vote elsewhere leaves it as it is. */
#define WEB_CONVERSATION_PAGE_LAG(m, p, rl, h, lag)                                                     \
    {.method = m, .path = "/conversations" p, .role = rl, .scope = WEB_ORG, .handler = h, .lag_ms = lag,  \
     .load = WEB_CONVERSATION_LOAD(p, lag), .deps = (lag) ? WEB_DEP_CONVERSATION_ID : 0},                 \
    {.method = m, .path = "/programmes/{programme}/conversations" p, .role = rl, .scope = WEB_PROGRAMME,   \
     .handler = h, .lag_ms = lag, .load = WEB_CONVERSATION_LOAD(p, lag), .deps = (lag) ? WEB_DEP_CONVERSATION_ID : 0}
#define WEB_CONVERSATION_PAGE(m, p, rl, h) WEB_CONVERSATION_PAGE_LAG(m, p, rl, h, 0)
/* A destructive conversation form (a POST page) with its confirmation c (web_route.confirm). */
#define WEB_CONVERSATION_CONFIRMED(p, rl, h, c)                                                            \
    {.method = "POST", .path = "/conversations" p, .role = rl, .scope = WEB_ORG, .handler = h,              \
     .load = WEB_CONVERSATION_LOAD(p, 0), .confirm = c},                                                    \
    {.method = "POST", .path = "/programmes/{programme}/conversations" p, .role = rl, .scope = WEB_PROGRAMME, \
     .handler = h, .load = WEB_CONVERSATION_LOAD(p, 0), .confirm = c}

/* A conversation API route for the organisation (/api/v1/conversations...) and for a programme
 * (/api/v1/programmes/{programme}/conversations...), with the role checked in that scope. */
#define WEB_CONVERSATION_API(m, p, rl, h)                                                                        \
    {.method = m, .path = "/api/v1/conversations" p, .role = rl, .scope = WEB_ORG, .kind = WEB_API, .handler = h,  \
     .load = WEB_CONVERSATION_LOAD(p, 0)},                                                                         \
    {.method = m, .path = "/api/v1/programmes/{programme}/conversations" p, .role = rl, .scope = WEB_PROGRAMME,    \
     .kind = WEB_API, .handler = h, .load = WEB_CONVERSATION_LOAD(p, 0)}

/* A route of one idea (".../conversations/ideas/{id}" p), page or API, in both scopes: its {id} is
 * an anonymous contribution's, a secret id (web_route.id_type) that no log line may show. */
#define WEB_IDEA_PAGE(m, p, rl, h)                                                                      \
    {.method = m, .path = "/conversations/ideas/{id}" p, .role = rl, .scope = WEB_ORG, .handler = h,     \
     .id_type = WEB_PARAM_SECRET_ID},                                                                    \
    {.method = m, .path = "/programmes/{programme}/conversations/ideas/{id}" p, .role = rl,              \
     .scope = WEB_PROGRAMME, .handler = h, .id_type = WEB_PARAM_SECRET_ID}
#define WEB_IDEA_API(m, p, rl, h)                                                                       \
    {.method = m, .path = "/api/v1/conversations/ideas/{id}" p, .role = rl, .scope = WEB_ORG,            \
     .kind = WEB_API, .handler = h, .id_type = WEB_PARAM_SECRET_ID},                                     \
    {.method = m, .path = "/api/v1/programmes/{programme}/conversations/ideas/{id}" p, .role = rl,       \
     .scope = WEB_PROGRAMME, .kind = WEB_API, .handler = h, .id_type = WEB_PARAM_SECRET_ID}

/* ---- ideas.c and responses.c: a conversation's ideas at any size, and "You said, we did" ---- */

/* The list's GET parameters (q, theme, state, group, sort, page, per_page), read and checked by
 * the store's rule: -1 when one was bad (err names the first; each bad one is set aside, the rest
 * kept), else 0. */
struct web_idea_params {
    char q[STORE_SEARCH_MAX + 1];
    char theme[STORE_TITLE_MAX + 1];
    char state[24], group[16], sort[16];
    int64_t page, per_page;
};
int web_idea_params(struct web_req *r, struct web_idea_params *p, struct purpose_err *err);
struct store_idea_query web_idea_query(const struct web_idea_params *p);
/* ideas_cache.c: the page of ideas p asks for, its ideas read fresh; which ideas they are is found
 * again only when the store has changed since it was last found. */
int web_ideas_find(struct web_req *r, int64_t campaign_id, const struct web_idea_params *p, struct store_idea_page *out,
                   struct purpose_err *err);
/* The conversation's themes and "responded of all" ideas, kept likewise (release themes). */
int web_ideas_overview(struct web_req *r, int64_t campaign_id, struct store_idea_themes *themes, int64_t *responded,
                       int64_t *all, struct purpose_err *err);
/* The "Ideas" section of a conversation's page: filters, one page of idea cards, pagination. */
int web_ideas_section(struct web_req *r, struct web_resp *w, const struct store_campaign *c, bool open,
                      const char *secret, struct purpose_err *err);
/* The idea r->id (a published idea of a conversation of the request's scope) and its conversation;
 * -1 with *answered when the error page or answer is written. */
int web_idea_load(struct web_req *r, struct web_resp *w, struct store_campaign *c, struct store_contribution *x,
                  bool *answered, struct purpose_err *err);
void web_idea_byline(struct web_resp *w, const struct store_contribution *x);
/* The lead's response under an idea ("You said, we did"), nothing when it has none. */
void web_idea_response(struct web_req *r, struct web_resp *w, const struct store_contribution *x);
/* Agree / disagree / unsure as a plain form post; back is the page to come back to (or NULL). */
void web_idea_vote_form(struct web_req *r, struct web_resp *w, int64_t campaign, const struct store_contribution *x,
                        const char *mine, const char *back);
/* Where a vote on item sends the voter back to (the page it was cast on, checked): out. */
void web_vote_back(struct web_req *r, int64_t campaign, int64_t item, char *out, size_t n);
/* contribute.c: the idea form (parent 0) or the comment form under idea `parent`. */
void web_contribute_form(struct web_req *r, struct web_resp *w, const struct store_campaign *c, int64_t parent,
                         const struct purpose_err *fe);
/* The response's JSON ({"state", "reason", "project_id", "statement_id", "at"}), or JSON null. */
json_t *web_response_json(const struct store_idea_response *p);

extern const struct web_feature web_ideas, web_responses;
extern const struct web_feature web_campaigns, web_campaign_results, web_contribute, web_contribute_withdraw, web_moderate, web_provenance;

#endif
