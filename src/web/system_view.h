#ifndef PURPOSE_WEB_SYSTEM_VIEW_H
#define PURPOSE_WEB_SYSTEM_VIEW_H
/* Private to the system view (system_view.c, system_view_page.c): a set of organisations' own
 * measures side by side, matched by name, and the funnel of one proportion measure across them.
 * The set is a programme's partners on a programme's routes (r->programme.id), else every
 * organisation of the installation: one code path for both. A sys_view owns everything it holds;
 * sys_release frees it. A sys_funnel borrows the view it was built from. */

#include "purpose/funnel.h"
#include "web/improve.h"

/* At most this many distinct measure names are shown. */
#define SYS_NAMES_MAX 200

struct sys_view {
    struct store_org_list orgs;
    struct web_org_measures *measures; /* one per organisation */
    const char **names;                /* distinct measure names, in first-seen order */
    size_t n_names;
    int64_t def_id;                    /* the installation's first organisation (its pages are unprefixed) */
    bool programme;                    /* a programme's partners, not the installation */
};

int sys_load(struct web_req *r, struct sys_view *v, struct purpose_err *err);
void sys_release(struct sys_view *v);
/* Organisation i's measure of this name (the first, by the store's order), or NULL. */
const struct web_mseries *sys_find(const struct sys_view *v, size_t i, const char *name);
/* True when some organisation has a measure of this name as a P or P' chart. */
bool sys_is_proportion(const struct sys_view *v, const char *name);
/* The link to organisation i's measure id. */
void sys_measure_href(const struct sys_view *v, size_t i, int64_t id, char *out, size_t n);
/* "partner of this programme" or "organisation": who the view's messages speak of. */
const char *sys_who(const struct sys_view *v);

struct sys_funnel {
    size_t n;         /* organisations with the measure as a P or P' chart and a point */
    size_t *org;      /* their index in the view */
    const char **day; /* the point's day (borrowed from the view) */
    uint64_t *num, *den;
    struct spc_funnel_point *pt;
    double theta;
};

/* The funnel of the measure named name: each organisation's latest point, or with ?period=DATE
 * its point of that day (a bad date is an input error naming "period"). A not-found error when
 * no organisation has it as a proportion measure with a point. */
int sys_funnel_build(struct web_req *r, const struct sys_view *v, const char *name, struct sys_funnel *f,
                     struct purpose_err *err);
void sys_funnel_release(struct sys_funnel *f);

/* The page (system_view_page.c). */
int sys_page(struct web_req *r, struct web_resp *w, struct purpose_err *err);

/* The view's path in the request's scope ("/system" + tail, tail "" or "/funnel.svg"...) with
 * ?measure= (percent-encoded) appended, into b. */
void sys_href(struct web_req *r, struct buf *b, const char *tail, const char *measure);

#endif
