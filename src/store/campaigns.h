#ifndef PURPOSE_STORE_CAMPAIGNS_H
#define PURPOSE_STORE_CAMPAIGNS_H
/* Co-design (issue 9): campaigns ("conversations") owned by an organisation or a programme, the
 * contributions people make to them (ideas, and comments on ideas), votes, moderation and the
 * "who has been heard" report (campaigns.c, contributions.c, votes.c). Included by store/store.h; the same
 * ownership and error rules apply.
 *
 * Contributors. A person contributes through a contributor secret: a random token kept in a cookie
 * (no account needed), or, for someone signed in, one the web layer derives from their user id. The
 * store never keeps the secret. What it keeps instead:
 *   - per contribution, owner = BLAKE2b(store key, "own:" secret ":" contribution id): different for
 *     every contribution, so two rows never share a value; only someone holding the secret can
 *     recompute it (to list or withdraw their own);
 *   - per vote, voter = BLAKE2b(store key, "vote:" secret ":" item id): one vote per person per item,
 *     unlinkable across items;
 *   - per campaign participant, token = BLAKE2b(store key, "part:" campaign ":" secret) with the
 *     groups they chose to describe themselves by; nothing joins it to a contribution or a vote.
 * An anonymous contribution stores no user id and no name, and its time only to the day. Counts per
 * group are kept as running totals; a contribution keeps the groups it counts under (its author's
 * when they made it) only masked by a pad from the store key and its id (heard.c), so that hiding
 * or withdrawing it takes it out of them. Nothing else about the person is stored. */

#include "store/disclose.h"

#define STORE_QUESTION_MAX 300
#define STORE_CONTRIBUTION_MAX 2000
#define STORE_REASON_MAX 300
#define STORE_GROUPS_MAX 8     /* groups one participant may describe themselves by */
/* "Staff" in co-design, the one meaning in code, forms and docs: someone signed in with the member
 * role or above in the conversation's organisation or programme. Their contributions publish at
 * once and carry "(staff)"; everyone else's (the public, and people whose role there is only
 * contributor) wait for a moderator when the conversation holds public contributions. */
#define STORE_STAFF_ROLE ROLE_MEMBER

struct store_campaign {
    int64_t id;
    struct store_scope scope;
    char *question;
    char *description;
    char *audience; /* staff, public, partners or all */
    int64_t opens_at, closes_at; /* unix seconds; open while opens_at <= now < closes_at */
    char *phases;   /* one phase a line, e.g. "Understand the problem" */
    char *phase;    /* the current one */
    char *links;    /* the themes or aims it informs, free text */
    char *privacy;  /* the privacy notice shown before anyone contributes */
    bool queue_public; /* contributions from anyone but staff (STORE_STAFF_ROLE) wait for a moderator */
    int64_t created_at;
};

enum store_contribution_state { CONTRIB_QUEUED = 0, CONTRIB_PUBLISHED, CONTRIB_HIDDEN, CONTRIB_WITHDRAWN };
const char *store_contribution_state_name(enum store_contribution_state s);

/* A lead's answer to an idea, "You said, we did" (ideas.h); state "" when there is none yet. */
struct store_idea_response {
    char state[20];      /* "adopted", "in_progress", "not_taken_forward" or "" */
    char *reason;        /* required when not taken forward; else a note, may be "" */
    int64_t project_id;  /* the project it became or feeds (adopted, in progress), or 0 */
    int64_t statement_id; /* the statement version it shaped (adopted), or 0 */
    int64_t at;          /* when the lead answered (their decision, not the author's time) */
};

struct store_contribution {
    int64_t id;
    int64_t campaign_id;
    int64_t parent_id; /* the idea a comment is on; 0 for an idea */
    char *kind;        /* "idea" or "comment" */
    char *body;
    char *author;      /* display name, or "" when anonymous */
    bool anonymous;
    bool staff;
    enum store_contribution_state state;
    char *reason;      /* why it was hidden */
    char *theme;       /* a lead's tag, or "" */
    char *event;       /* the engagement event it came from, or "" */
    int64_t created_at; /* to the day when anonymous */
    int64_t agree, disagree, unsure; /* votes (visible contributions only) */
    int64_t comments;
    int64_t no_account; /* of its votes, those from people without an account */
    struct store_idea_response response; /* ideas only */
};

STORE_LIST(store_campaign_list, struct store_campaign);
STORE_LIST(store_contribution_list, struct store_contribution);

void store_campaign_release(struct store_campaign *c);
void store_campaign_list_release(struct store_campaign_list *l);
void store_contribution_release(struct store_contribution *c);
void store_contribution_list_release(struct store_contribution_list *l);


/* The self-described groups, as {code, label, category}, ending with {NULL}. Categories: "who",
 * "staff_group", "age", "ethnicity" (NHS Data Dictionary ethnic categories A to S, Z). */
extern const char *const store_groups[][3];
const char *store_group_label(const char *code);
/* The house rules, published on every contribution page. */
extern const char *const store_house_rules;
/* The privacy notice a new conversation starts with (docs/privacy.md). */
extern const char *const store_privacy_notice;

/* Campaigns. opens_at/closes_at: closes_at must be after opens_at. */
struct store_campaign_input {
    const char *question, *description, *audience, *phases, *phase, *links, *privacy;
    int64_t opens_at, closes_at;
    bool queue_public;
};
int store_campaign_add(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                       const struct store_campaign_input *in, int64_t *id, struct purpose_err *err);
int store_campaign_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                          const struct store_campaign_input *in, struct purpose_err *err);
/* A campaign of scope (another scope's is NOT_FOUND). */
int store_campaign_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_campaign *out,
                       struct purpose_err *err);
int store_campaign_list(struct store *s, const struct store_scope *scope, struct store_campaign_list *out,
                        struct purpose_err *err);
bool store_campaign_open(const struct store_campaign *c, int64_t now);

/* A contributor secret: 20 to 100 url-safe characters. */
int store_check_contributor(const char *secret, struct purpose_err *err);

/* Every function below that names a conversation (campaign_id) takes the scope it is read or changed
 * in, and enforces it in its SQL: a conversation of another organisation or programme is NOT_FOUND
 * (field "campaign", or "contribution" for an item), and a list of one is empty, with nothing
 * changed, whatever the caller checked first.
 *
 * Contributions. parent_id 0 makes an idea, else a comment on that idea. user NULL (or anonymous)
 * stores no identity; staff publishes at once; else the campaign's queue_public decides. Refused
 * when the campaign is closed (INPUT, field "campaign"). */
struct store_contribution_input {
    int64_t parent_id;
    const char *body;
    const char *secret;   /* the contributor secret */
    const struct store_user *user; /* the signed-in person, or NULL */
    bool anonymous;
    bool staff;
    const char *event;    /* "" or the event it came from */
};
int store_contribution_add(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                           const struct store_contribution_input *in, int64_t now, int64_t *id,
                           enum store_contribution_state *state, struct purpose_err *err);
/* published_only: what the public sees (ideas and comments, with their tallies), else every one
 * (moderators). parent_id -1: all; 0: ideas only; n: the comments on idea n. */
int store_contribution_list(struct store *s, const struct store_scope *scope, int64_t campaign_id, bool published_only,
                            int64_t parent_id, struct store_contribution_list *out, struct purpose_err *err);
/* The queue: contributions waiting for a moderator, oldest first. */
int store_contribution_queue(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                             struct store_contribution_list *out, struct purpose_err *err);
int store_contribution_get(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id,
                           struct store_contribution *out, struct purpose_err *err);
/* The contributions this secret made to the campaign, in any state. */
int store_contribution_mine(struct store *s, const struct store_scope *scope, int64_t campaign_id, const char *secret,
                            struct store_contribution_list *out, struct purpose_err *err);
/* Publishes (approve) or hides it; hiding needs a reason. Audited with the moderator. */
int store_contribution_moderate(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                                int64_t campaign_id, int64_t id, bool approve, const char *reason,
                                struct purpose_err *err);
/* The contributor withdraws their own: NOT_FOUND unless secret made it. */
int store_contribution_withdraw(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id,
                                const char *secret, struct purpose_err *err);
/* A lead tags it with a theme ("" clears). */
int store_contribution_tag(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                           int64_t campaign_id, int64_t id, const char *theme, struct purpose_err *err);

/* Votes: "agree", "disagree" or "unsure" on a published contribution of an open campaign; a second
 * vote by the same secret replaces the first. */
int store_vote(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id, const char *secret,
               const char *vote, int64_t now, struct purpose_err *err);
/* The vote this secret holds on the item, "" if none (or when the item is not of the conversation). */
int store_vote_get(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id,
                   const char *secret, char out[16], struct purpose_err *err);
/* As store_vote, for a person signed in as account (0: nobody): their vote is keyed by the account
 * (BLAKE2b(key, "vote-account:" item ":" account)), so they have one vote per item whatever their
 * contributor sessions; the secret still makes them a participant. Votes without an account are
 * counted apart (store_contribution.no_account). An item that is not a published contribution of
 * this campaign is INPUT, field "item". */
int store_vote_by(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id, const char *secret,
                  int64_t account, const char *vote, int64_t now, struct purpose_err *err);
/* The vote of account (when not 0) or else of secret on the item, "" if none. */
int store_vote_get_by(struct store *s, const struct store_scope *scope, int64_t campaign_id, int64_t id,
                      const char *secret, int64_t account, char out[16], struct purpose_err *err);

/* Participant groups: sets this secret's self-described groups in the campaign (codes from
 * store_groups; none is allowed). Participant counts follow. */
int store_participant_set(struct store *s, const struct store_scope *scope, int64_t campaign_id, const char *secret,
                          const char *const *groups, size_t ngroups, struct purpose_err *err);
/* The secret's groups as a comma-separated list ("" if none or not yet a participant). */
int store_participant_groups(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                             const char *secret, char *out, size_t cap, struct purpose_err *err);

/* Who has been heard: one row per group that is in the audience or has anyone in it. Contributions
 * are the published ones (as the total is): hiding or withdrawing one takes it out of its groups. */
struct store_heard {
    const char *code, *label, *category; /* static strings from store_groups */
    int64_t participants, contributions;
    bool in_audience;
};
STORE_LIST(store_heard_list, struct store_heard);
void store_heard_list_release(struct store_heard_list *l);
int store_campaign_heard(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                         struct store_heard_list *out, int64_t *participants, int64_t *contributions,
                         struct purpose_err *err);

/* Ranking: agreement = agree / votes; division = 4 * agree * disagree / (agree + disagree)^2, 1 when
 * opinion splits evenly, 0 when it is one-sided. */
double store_agreement(const struct store_contribution *c);
double store_division(const struct store_contribution *c);

/* Vision provenance: links published contributions to the current version of the scope's vision or
 * purpose (kind), audited; a hidden or withdrawn one later drops out of every count. */
int store_provenance_link(struct store *s, const struct store_actor *by, struct store_scope scope, const char *kind,
                          const int64_t *ids, size_t n, struct purpose_err *err);
/* For the current version: the contributions that shaped it (published ones, into out), and the
 * numbers counted when they were linked to it (at publishing) and kept with it: contributions, their
 * distinct authors (anonymous ones counted without being linked to each other: provenance.c) and
 * the self-described groups among them, with the time they were counted. They hold still: a
 * contribution withdrawn later leaves the list but not the numbers. A version linked before the
 * numbers were kept (counted_at 0) has them counted now, people being its conversations'
 * participants. */
struct store_provenance {
    int64_t statement_id;
    int64_t contributions, people, groups;
    int64_t counted_at; /* unix seconds; 0: counted now, not kept */
};
int store_provenance_get(struct store *s, struct store_scope scope, const char *kind, struct store_provenance *p,
                         struct store_contribution_list *out, struct purpose_err *err);

/* Up to max suggested themes (distinctive terms of the published ideas, TF-IDF, English stop words
 * left out), best first. */
int store_theme_suggest(struct store *s, const struct store_scope *scope, int64_t campaign_id, char (*out)[32],
                        size_t max, size_t *n, struct purpose_err *err);

/* The co-design demo (demo_campaigns.c), called from store_demo. */
int store_demo_campaigns(struct store *s, int64_t trust, int64_t programme, struct purpose_err *err);

#include "store/provenance.h"
#include "store/ideas.h"

#endif
