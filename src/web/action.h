#ifndef PURPOSE_WEB_ACTION_H
#define PURPOSE_WEB_ACTION_H
/* One skeleton for every action (action.c). An action is declared once: its fields with their
 * checks (the store's own: store_check_text, store_check_date, or a rule the field names), the store
 * call, the page it leads to with its success banner, and the JSON it answers. Two adapters drive
 * it: web_action_page for a form POST and web_action_api for a JSON body. Both check every field
 * before the store is called, so a form reports all its errors at once (the NHS error summary, each
 * field's own message, what was entered kept) and the API names each field ({"error": the first,
 * "errors": [{"field", "error"}, ...]}). The status comes from the error kind only
 * (web_err_status): 400 a bad field, 403, 404, 409 a conflict; a server-side failure is -1, for the
 * dispatcher to log and answer. The dispatcher has already checked the role and the CSRF token.
 *
 * How to add an action: docs/architecture.md, "How to add an action". */
#include <stdbool.h>
#include <stdint.h>

#include "web/web_int.h"

enum web_fkind {
    WEB_F_TEXT = 0, /* a string: a form field, a JSON string (or number, with .number) */
    WEB_F_DATE,     /* a day: the NHS date input (or one ISO field) on a page, "YYYY-MM-DD" in JSON */
    WEB_F_INT,      /* a whole number in [min, max]: a form's digits, a JSON integer; absent, empty or
                       JSON null is 0 unless required */
    WEB_F_IDS,      /* ids (whole numbers from 1): a form field repeated, a JSON array; at most max */
    WEB_F_BOOL,     /* yes or no: a ticked box on a page (any value, "yes"), a JSON true or false; i is 1 or
                       0, or -1 when absent from JSON (a PATCH leaves it as it is) */
};

/* One field of an action, declared with designated initialisers. */
struct web_afield {
    const char *name;    /* the JSON member and the form field (and the error's field) */
    enum web_fkind kind;
    bool required;
    long long min, max;  /* TEXT: max characters (0: no length check); INT: the range; IDS: max count */
    const char *label;   /* DATE: the date input's legend ("Start date"), for its messages */
    const char *form;    /* IDS: the repeated form field's name when it is not name ("ambition") */
    bool number;         /* TEXT: a JSON number is taken as its text (a score, 2.5) */
    /* A further rule of the store's over a text or date that is not empty (NULL: none). */
    int (*check)(const char *name, const char *s, struct purpose_err *err);
};

#define WEB_ACTION_FIELDS 16 /* fields of one action */
#define WEB_ACTION_IDS 100   /* ids of one WEB_F_IDS field: the most any takes (STORE_PARTNERS_MAX) */

/* A field's value as the adapters read it; text is borrowed from the request or held in buf. */
struct web_aval {
    const char *s; /* TEXT, DATE: the text; "" when absent from a form, NULL when absent from JSON */
    long long i;   /* INT */
    int64_t ids[WEB_ACTION_IDS];
    size_t n;      /* IDS: how many */
    char buf[48];  /* a date as entered, or a JSON number as text */
};

struct web_action;
/* What an action's store call reads: each declared field's value, in declaration order. */
struct web_action_in {
    const struct web_action *a;
    struct web_aval v[WEB_ACTION_FIELDS];
};
/* The value of the field called name (declared: asking for another is a programming error and
 * answers an empty value). */
const struct web_aval *web_in(const struct web_action_in *in, const char *name);
const char *web_in_s(const struct web_action_in *in, const char *name);
long long web_in_i(const struct web_action_in *in, const char *name);

/* What the store call did: the object it made or changed (r->id before the call), and, when the page
 * should go somewhere other than the action's next, that page. */
struct web_action_out {
    int64_t id;
    char next[600]; /* as long as a vote's way back (web_vote_back) */
    int status; /* the API's success status when not the action's api_status (0: that one) */
    char secret[SECRET_TOKEN_LEN + 8]; /* what is shown once and stored only hashed (a new token, a
                                          generated password): made drawn by the page, answer_made's JSON */
    struct web_contributor me; /* who a contributor write acted as (.who): its secret for the store,
                                  its token for the API's answer */
};

/* A rate limit on a contributor write: at most per_session by one contributor session and
 * per_address from one address in 10 minutes, kept in memory only (web/rlimit.h). */
struct web_rate {
    const char *what; /* its name, one count per name ("contribute", "vote") */
    int per_session, per_address;
};

/* Who acts. The signed-in person (or nobody) is known before any action; a contributor write acts
 * through a contributor session instead (docs/privacy.md), found once, before run. */
enum web_who {
    WEB_WHO_USER = 0,        /* the request's user, as the dispatcher checked */
    WEB_WHO_CONTRIBUTOR,     /* the browser's contributor session, issued when none was sent, and the
                                rate limit named .limit counted (429 when over it) */
    WEB_WHO_OWN_CONTRIBUTOR, /* acting on one's own contributions: the session sent, none issued (without
                                one, out->me.secret is "" and run finds nothing) */
};

struct web_action {
    const struct web_afield *fields;
    size_t nfields;
    /* The store call, after every field passed: 0, or -1 with err (its kind picks the answer). */
    int (*run)(struct web_req *r, const struct web_action_in *in, struct web_action_out *out, struct purpose_err *err);
    /* Or, for an action on the object {id} names in the request's scope with no fields (approve,
     * delete), the store function itself, called as f(store, actor, &r->scope, id, err). */
    int (*on_scoped)(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                     struct purpose_err *err);
    /* Pages: the form again, with what was entered (in) and the errors (w->errs; fe is the first). */
    int (*form)(struct web_req *r, struct web_resp *w, const struct web_action_in *in, const struct purpose_err *fe,
                struct purpose_err *err);
    const char *next; /* pages: where a success goes, "{id}" the object's id (e.g. "/projects/{id}") */
    const char *done; /* pages: the success banner's key (confirm.c's table), or NULL */
    /* API: the answer with the object (NULL: 204 No Content); status is api_status (0: 200). */
    int (*answer)(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);
    int api_status;
    /* Instead of next and answer, when a success shows what the run made beyond its id (out->secret):
     * the page (made, answered 200 rather than a redirect: a secret is never put in a URL) and the
     * API's answer. NULL: next and answer. */
    int (*made)(struct web_req *r, struct web_resp *w, const struct web_action_out *out, struct purpose_err *err);
    int (*answer_made)(struct web_req *r, struct web_resp *w, const struct web_action_out *out, int status,
                       struct purpose_err *err);
    const void *ctx; /* the declaration's own data for run and form (a struct web_named, say) */
    enum web_who who;
    const struct web_rate *limit; /* WEB_WHO_CONTRIBUTOR: the rate limit counted (NULL: none) */
};

/* The .who hook (contribute.c): fills *me as a declares, after every field passed and before run:
 * 0 to go on; 1 when it answered (429: too many in a short time); -1 with err (a session this
 * server did not give the caller, or expired: its cookie is cleared). Nothing is stored. */
int web_contributor_act(struct web_req *r, struct web_resp *w, const struct web_action *a,
                        struct web_contributor *me, struct purpose_err *err);

/* The page adapter: reads the form, checks every field, calls the store, and answers 303 to next
 * (with done), or the form again with every error (400 or 409), or the error page (403, 404). */
int web_action_page(struct web_req *r, struct web_resp *w, const struct web_action *a, struct purpose_err *err);
/* The API adapter: the same from the JSON body, answering the object, or the errors as JSON. */
int web_action_api(struct web_req *r, struct web_resp *w, const struct web_action *a, struct purpose_err *err);
/* The answer an action's API gives for every error of l (l->n > 0). */
void web_errors_json(struct web_resp *w, const struct web_errors *l);

#endif
