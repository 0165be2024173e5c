#ifndef PURPOSE_STORE_IDEAS_H
#define PURPOSE_STORE_IDEAS_H
/* A conversation's ideas at the size of a Big Conversation (issue 17: 2,100 people, 35,800 ideas,
 * comments and votes): the published ideas a page or the API lists, searched, filtered, sorted
 * and paged in SQL (ideas.c); and "You said, we did", a lead's response to an idea (responses.c).
 * Included by store/campaigns.h; the store's ownership and error rules apply.
 *
 * Filters are what the page already shows about an idea, never more: its theme, the response it
 * has had, and whether it came from staff, the public or an engagement event. The groups its
 * author described themselves by are not a filter: they are kept masked per contribution
 * precisely so that no one can tell an idea's author's groups (docs/privacy.md), which a filter
 * would announce. */

#define STORE_IDEAS_PER_PAGE 20      /* the page's default */
#define STORE_IDEAS_PER_PAGE_MAX 50
#define STORE_IDEAS_PAGE_MAX 10000   /* deeper pages are refused rather than scanned */
#define STORE_SEARCH_MAX 100         /* bytes of the words searched for */
#define STORE_SEARCH_WORDS 4         /* each must appear; more are left out */
#define STORE_IDEA_COMMENTS 3        /* newest comments shown under an idea in a list */
#define STORE_IDEAS_COUNT_MAX 1000   /* matches counted exactly; past it, "more than" (a search of a
                                        50,000-idea conversation stops counting there) */

/* What to list. NULL or "" strings mean "any"; page 0 is the first, per_page 0 the default. */
struct store_idea_query {
    const char *q;     /* words, each of which must appear in the idea, in any case */
    const char *theme; /* a lead's theme tag, exactly */
    const char *state; /* "open" (no response yet), "responded" (any), "adopted", "in_progress",
                          "not_taken_forward" */
    const char *group; /* "staff", "public" (neither staff nor from an event), "event" */
    const char *sort;  /* "newest" (the default: by day, then in no order of arrival), "agreed",
                          "divided" (the rankings of store_agreement and store_division; ideas with
                          fewer than STORE_SUPPRESS_BELOW votes come after those with more) */
    int64_t page;      /* from 1 */
    int64_t per_page;  /* 1 to STORE_IDEAS_PER_PAGE_MAX */
};
/* Checks every member: 0, or -1 with an input error naming it (q, theme, state, group, sort, page,
 * per_page). */
int store_idea_query_check(const struct store_idea_query *q, struct purpose_err *err);

/* One page of a conversation's published ideas (with their votes, comment counts and responses),
 * the newest comments of each (in one read, not one per idea), the number of ideas that match
 * (exact up to STORE_IDEAS_COUNT_MAX; past it, that number with many set) and whether a next page
 * exists. Checks q first. */
struct store_idea_page {
    struct store_contribution_list ideas;
    struct store_contribution_list comments; /* the newest STORE_IDEA_COMMENTS of each idea, by idea */
    int64_t total;
    bool many, more;
};
int store_ideas_page(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                     const struct store_idea_query *q, struct store_idea_page *out, struct purpose_err *err);
void store_idea_page_release(struct store_idea_page *p);

/* The published ideas ids (at most STORE_IDEAS_PER_PAGE_MAX, of campaign) in that order, with the
 * newest comments of each, as store_ideas_page gives them (total, many and more left 0): a page
 * whose ids were found before (web/ideas_cache.c). One that is no longer published is left out. */
int store_ideas_get(struct store *s, const struct store_scope *scope, int64_t campaign_id, const int64_t *ids, size_t n,
                    struct store_idea_page *out, struct purpose_err *err);

/* The visitor's vote on each of items (out[i]: "agree", "disagree", "unsure" or ""), by account when
 * not 0, else by the contributor secret (none: every one ""), in one read; at most
 * STORE_IDEAS_PER_PAGE_MAX items. */
int store_votes_of(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                   const struct store_contribution_list *items, const char *secret, int64_t account, char (*out)[16],
                   struct purpose_err *err);

/* The newest max published comments on idea (of campaign), newest first. */
int store_idea_comments(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t idea,
                        size_t max, struct store_contribution_list *out, struct purpose_err *err);
/* The distinct themes of the conversation's published ideas, sorted, as a list of strings (the
 * filter's choices); release with store_idea_themes_release. */
struct store_idea_themes {
    char **items;
    size_t n;
};
int store_idea_themes(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                      struct store_idea_themes *out, struct purpose_err *err);
void store_idea_themes_release(struct store_idea_themes *t);

/* The first max published contributions (ideas and comments) of a conversation, oldest day first,
 * and whether there are more: the conversation's API answer, bounded whatever its size. */
#define STORE_CONTRIBUTIONS_ANSWER 2000
int store_contributions_first(struct store *s, const struct store_scope *scope, int64_t campaign_id, size_t max,
                              struct store_contribution_list *out, bool *more, struct purpose_err *err);

/* The published idea `idea` of a conversation in scope: its campaign's id (NOT_FOUND when it is
 * not an idea, not published, or another scope's). */
int store_idea_campaign(struct store *s, const struct store_scope *scope, int64_t idea, int64_t *campaign_id,
                        struct purpose_err *err);

/* Loading many known-good published contributions at once (ideas_load.c): the benchmark's Big
 * Conversation. Each is anonymous (no user, no name, its day only, an owner hash under a secret
 * nobody keeps, so nobody can withdraw it, and no groups); parent, when not 0, is the 1-based place
 * in the list of the idea a comment is on (which must come before it). One bulk load (PostgreSQL:
 * COPY), audited once. All or nothing. */
struct store_idea_in {
    const char *body, *theme;
    bool staff;
    int64_t day;    /* unix seconds; kept to the day */
    size_t parent;
};
int store_ideas_load(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t campaign_id,
                     const struct store_idea_in *ideas, size_t n, struct purpose_err *err);

/* ---- "You said, we did" (responses.c) ----------------------------------------------------------
 * A lead of the conversation's scope answers a published idea: adopted (linked to a project or to
 * a version of the scope's vision or purpose, or both), in progress (optionally with its project),
 * or not taken forward (with a reason, required). A second answer replaces the first. The row
 * (idea_responses) holds the idea's id, its conversation, the answer and its links, and nothing
 * about the idea's author: linking an anonymous idea to a project copies no author, user or
 * participant value. Audited as the lead's decision. A project must be the conversation's
 * organisation's (for a programme's conversation: one of its partners' projects that names the
 * programme); a statement version must be of the conversation's scope. Bad input names the field
 * (state, reason, project_id, statement_id; idea when it is not a published idea of the
 * conversation) and stores nothing. */
struct store_response_input {
    const char *state;  /* "adopted", "in_progress" or "not_taken_forward" */
    const char *reason; /* may be NULL when not required */
    int64_t project_id; /* 0: none */
    int64_t statement_id;
};
int store_response_set(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t campaign_id,
                       int64_t idea, const struct store_response_input *in, int64_t now, struct purpose_err *err);
/* "Adopted", "In progress", "Not taken forward" for a state, "" for "". */
const char *store_response_label(const char *state);

/* Of the conversation's published ideas, how many there are and how many have had a response. */
int store_response_counts(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t *responded,
                          int64_t *ideas, struct purpose_err *err);
/* The published ideas a project started from (adopted or in progress, linked to it), oldest
 * answer first, with where each one's conversation is: *programmes (malloc'd, one per idea, the
 * caller frees it) holds its programme's slug, or "" for an organisation's conversation. And just
 * their number. */
int store_project_ideas(struct store *s, int64_t project_id, struct store_contribution_list *out,
                        char (**programmes)[64], struct purpose_err *err);
int store_project_ideas_count(struct store *s, int64_t project_id, int64_t *n, struct purpose_err *err);

#endif
