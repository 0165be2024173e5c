#ifndef PURPOSE_WEB_CONFIRM_H
#define PURPOSE_WEB_CONFIRM_H
/* Destructive actions confirm (confirm.c): a page says what will go, with a warning button that
 * posts to the action and a link back. It is a GET page a link leads to, and the dispatcher's answer
 * to any POST of a destructive route without confirm=yes (web_route.confirm). The action then
 * redirects to a page with "?done=KEY" and html_begin shows that key's success banner. Keys come from one fixed table, so no text of the URL
 * reaches the page. The API stays one call. All strings are borrowed for the call. */
#include <stddef.h>

#include "web/web_int.h"

struct web_confirm {
    const char *title;       /* the question, e.g. "Delete the project Sepsis screening?" */
    const char *action;      /* the POST path of the destructive action */
    const char *button;      /* the warning button's words, e.g. "Delete the project" */
    const char *cancel;      /* where "No, go back" leads */
    const char *intro;       /* the words before goes; NULL: "This deletes:" */
    const char *const *goes; /* what will go, one plain-text line each */
    size_t ngoes;
    const char *const *hidden; /* fields the action posts again: name, value, name, value... */
    size_t nhidden;            /* pairs in hidden */
    const char *undo;          /* how it can be undone; NULL: it cannot (a warning callout says so) */
};

/* The confirmation page for c, as w's whole answer; its form posts confirm=yes with the hidden
 * fields, which the dispatcher lets through to the action (web_route.confirm). */
void web_confirm_page(struct web_req *r, struct web_resp *w, const struct web_confirm *c);
/* What names the object of a confirmation: the query argument name (the GET page a link leads to),
 * else the form field (the first POST of a form, web_route.confirm); buf holds the former. */
const char *web_confirm_arg(struct web_req *r, const char *name, char *buf, size_t size);
/* The success banner named by the request's "done" query argument, if it names one. */
void web_done_banner(struct web_req *r, struct web_resp *w);

#endif
