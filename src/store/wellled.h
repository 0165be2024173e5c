#ifndef PURPOSE_STORE_WELLLED_H
#define PURPOSE_STORE_WELLLED_H
/* A CQC well-led self-assessment from the platform's own evidence (issue 20; docs/wellled.md).
 * wellled.c: CQC's eight well-led quality statements, and the ratings a lead gives each (with a
 * narrative and actions linked to projects), kept as a history. wellled_evidence.c,
 * wellled_work.c and wellled_pulses.c: the live evidence of one organisation, each kind computed here and mapped to the
 * statements it speaks to. Included by store/store.h; the same ownership and error rules apply:
 * records own their strings, lists are released by the caller, functions return 0 or -1 with
 * err's kind set, and every write is audited. */

#define STORE_WL_STATEMENTS 8
#define STORE_WL_PROJECTS_MAX 16 /* projects one rating's actions may name */

/* A quality statement, numbered 1..8 in CQC's order. Static strings. */
struct store_wl_statement {
    int number;
    const char *slug;  /* "shared-direction" ... */
    const char *title; /* "Shared direction and culture" ... */
    const char *we;    /* CQC's "we statement", shortened */
};
extern const struct store_wl_statement store_wl_statements[STORE_WL_STATEMENTS];
/* Statement number (1..8), or NULL. */
const struct store_wl_statement *store_wl_statement(int64_t number);

/* The four CQC ratings, best first, as stored ("outstanding", "good", "requires_improvement",
 * "inadequate"), each with its words ("Requires improvement"). */
#define STORE_WL_RATINGS 4
extern const char *const store_wl_rating_names[STORE_WL_RATINGS];
/* The rating's words, or NULL for a string that is not one. */
const char *store_wl_rating_label(const char *rating);
/* 0 when rating is one of store_wl_rating_names, else an input error naming field `name`. */
int store_wl_check_rating(const char *name, const char *rating, struct purpose_err *err);

/* One rating of a statement by a lead; the newest of a statement is its current rating. */
struct store_wl_rating {
    int64_t id;
    int64_t org_id;
    int statement; /* 1..8 */
    char *rating;  /* one of store_wl_rating_names */
    char *narrative;
    char *actions;
    char *actor; /* username, or "cli" */
    int64_t at;  /* unix seconds */
    int64_t *project_ids; /* the projects the actions are linked to, of org_id */
    char **project_titles;
    size_t n_projects;
};
STORE_LIST(store_wl_rating_list, struct store_wl_rating);
void store_wl_rating_release(struct store_wl_rating *r);
void store_wl_rating_list_release(struct store_wl_rating_list *l);

/* What a form or the API sends: borrowed for the call. */
struct store_wl_rating_input {
    const char *rating, *narrative, *actions;
    const int64_t *project_ids;
    size_t n_projects;
};

/* Well-led is an organisation's: a programme's scope rates nothing and reads none (NOT_FOUND,
 * "organisation"), and an organisation's scope reaches only its own ratings and projects.
 * Rates statement (1..8; another is NOT_FOUND) of the scope's organisation: a new entry of its
 * history, audited ("rate", "wellled_rating"). Input errors name the field: "rating" (not one of the
 * four), "narrative" (required, up to STORE_TEXT_MAX), "actions" (up to STORE_TEXT_MAX), "projects"
 * (more than STORE_WL_PROJECTS_MAX, twice the same, or one that is not a project of the scope's). */
int store_wl_rate(struct store *s, const struct store_actor *by, const struct store_scope *scope, int statement,
                  const struct store_wl_rating_input *in, int64_t *id, struct purpose_err *err);
/* The ratings of the scope's organisation, newest first: of one statement (1..8), or of every one
 * (0); none for a programme's scope. */
int store_wl_ratings(struct store *s, const struct store_scope *scope, int statement, struct store_wl_rating_list *out,
                     struct purpose_err *err);

/* ---- evidence -------------------------------------------------------------------------------- */

/* The kinds of evidence the platform holds, each computed by its own function. */
enum store_wl_kind {
    STORE_WL_KIND_STATEMENTS,   /* versions of the vision and purpose, and their provenance */
    STORE_WL_KIND_HEARD,        /* who has been heard in the organisation's conversations */
    STORE_WL_KIND_RESPONSES,    /* "you said, we did": ideas that have had a response */
    STORE_WL_KIND_ALIGNMENT,    /* the share of projects aligned; unaligned work and its reasons */
    STORE_WL_KIND_IMPROVEMENT,  /* improvement signals on the measures, and PDSA activity */
    STORE_WL_KIND_CASES,        /* case studies published */
    STORE_WL_KIND_PARTNERSHIPS, /* partnership programmes and their shared measures */
    STORE_WL_KIND_AUDIT,        /* changes recorded in the audit log */
    STORE_WL_KIND_NETZERO,      /* measures of work on a net-zero ambition */
    STORE_WL_KIND_PULSES,       /* purpose pulse results: the share agreeing, and their P charts' signals */
    STORE_WL_KINDS,
};

/* Where an evidence item links to: a page of the organisation, named by what it is (the web maps
 * each to its route), with the id or word it needs. */
enum store_wl_target {
    STORE_WL_TO_HISTORY,      /* a statement's versions: word "vision" or "purpose" */
    STORE_WL_TO_SHAPED,       /* what shaped it: word "vision" or "purpose" */
    STORE_WL_TO_ALIGNMENT,
    STORE_WL_TO_LINE_OF_SIGHT,
    STORE_WL_TO_CONVERSATION, /* a conversation's summary: id */
    STORE_WL_TO_SUMMARY,      /* the measures' summary */
    STORE_WL_TO_CASE,         /* a case study: id */
    STORE_WL_TO_CASES,
    STORE_WL_TO_PROGRAMME,    /* word: the programme's slug */
    STORE_WL_TO_AUDIT,
    STORE_WL_TO_PROJECT,      /* id */
    STORE_WL_TO_MEASURE,      /* id */
    STORE_WL_TO_PULSE,        /* a pulse's results: id */
};

struct store_wl_link {
    enum store_wl_target to;
    int64_t id;
    char word[64];
    char *label;
};

struct store_wl_evidence {
    enum store_wl_kind kind;
    const char *key;      /* static: "statements", "heard", ... (the API's "kind") */
    const char *title;    /* static: "Statement versions and provenance" ... */
    const char *category; /* static: the CQC evidence category it is gathered under */
    unsigned statements;  /* bit n - 1 set: evidence for quality statement n */
    int64_t count;        /* its headline figure; 0: there is none of it yet */
    char *text;           /* what it shows, in sentences with its figures (counts of people disclosed
                             by disclose.h's rule) */
    struct store_wl_link *links;
    size_t n_links;
};
STORE_LIST(store_wl_evidence_list, struct store_wl_evidence);
void store_wl_evidence_list_release(struct store_wl_evidence_list *l);

/* Every kind of evidence of the scope's organisation, in enum order, one item each (count 0 and a
 * sentence saying so when there is none); now (unix seconds) bounds "the last 12 months". A
 * programme's scope: NOT_FOUND ("organisation"). */
int store_wl_evidence(struct store *s, const struct store_scope *scope, int64_t now, struct store_wl_evidence_list *out,
                      struct purpose_err *err);
/* Whether statement (1..8) has evidence: an item for it with a count above 0. */
bool store_wl_has_evidence(const struct store_wl_evidence_list *l, int statement);

/* The demo's self-assessment (demo_wellled.c): ratings of six statements for the trust, two left
 * without (leaders, and workforce equality, which has no evidence either). */
int store_demo_wellled(struct store *s, int64_t trust, struct purpose_err *err);

#endif
