/* The action skeleton (action.h): every field read and checked, then the store call, then the
 * answer, for a form POST and for a JSON body. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/action.h"
#include "web/kit.h"
#include "core/banned.h"

void web_errors_add(struct web_errors *l, const struct purpose_err *err)
{
    if (l->n < WEB_ERRORS_MAX && (!err->field[0] || !web_errors_find(l, err->field)))
        l->e[l->n++] = *err;
}

const struct purpose_err *web_errors_find(const struct web_errors *l, const char *name)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (strcmp(l->e[i].field, name) == 0)
            return &l->e[i];
    return NULL;
}

const struct web_aval *web_in(const struct web_action_in *in, const char *name)
{
    static const struct web_aval none = {.s = ""};
    for (size_t i = 0; i < in->a->nfields; i++)
        if (strcmp(in->a->fields[i].name, name) == 0)
            return &in->v[i];
    return &none;
}

const char *web_in_s(const struct web_action_in *in, const char *name)
{
    return web_in(in, name)->s;
}

long long web_in_i(const struct web_action_in *in, const char *name)
{
    return web_in(in, name)->i;
}

/* The store's rules over a field's value once read (the reading itself may have failed already). */
static void check_value(const struct web_afield *f, const struct web_aval *v, struct web_errors *errs)
{
    struct purpose_err e = {0};
    if (web_errors_find(errs, f->name))
        return;
    bool empty = !v->s || !v->s[0];
    int rc = 0;
    if (f->kind == WEB_F_TEXT) {
        if (f->max > 0)
            rc = store_check_text(f->name, v->s, (size_t)f->max, f->required, &e);
        else if (f->required && empty)
            rc = purpose_errk(&e, PURPOSE_ERR_INPUT, f->name, "%s: is required", f->name);
        if (rc == 0 && !empty && f->check)
            rc = f->check(f->name, v->s, &e);
    } else if (f->kind == WEB_F_DATE) {
        if (f->required && empty && !f->check)
            rc = purpose_errk(&e, PURPOSE_ERR_INPUT, f->name, "%s: is required", f->name);
        else if (!empty || f->required) /* a field's own check words its missing day itself */
            rc = (f->check ? f->check : store_check_date)(f->name, v->s ? v->s : "", &e);
    } else if (f->kind == WEB_F_IDS && f->required && v->n == 0) {
        rc = purpose_errk(&e, PURPOSE_ERR_INPUT, f->name, "%s: choose at least one", f->name);
    }
    if (rc < 0)
        web_errors_add(errs, &e);
}

/* ---- reading a form ----------------------------------------------------------------------------- */

/* True when the action has a text field called name: the repeated field of that name then starts
 * after it (a project's "aim" is its text and also each programme aim it serves). */
static bool text_named(const struct web_action *a, const char *name)
{
    for (size_t i = 0; i < a->nfields; i++)
        if (a->fields[i].kind == WEB_F_TEXT && strcmp(a->fields[i].name, name) == 0)
            return true;
    return false;
}

static void form_ids(struct web_req *r, const struct web_action *a, const struct web_afield *f, struct web_aval *v,
                     struct web_errors *errs)
{
    const char *name = f->form ? f->form : f->name;
    bool skip = text_named(a, name);
    for (size_t k = 0; k < r->form.n; k++) {
        if (strcmp(r->form.f[k].name, name) != 0)
            continue;
        if (skip) {
            skip = false;
            continue;
        }
        struct purpose_err e = {0};
        long id;
        if (v->n >= (size_t)f->max || v->n >= WEB_ACTION_IDS) {
            purpose_errk(&e, PURPOSE_ERR_INPUT, f->name, "%s: choose at most %lld", f->name, f->max);
            web_errors_add(errs, &e);
            return;
        }
        if (web_parse_long(r->form.f[k].value, f->name, 1, INT64_MAX / 2, &id, &e) < 0) {
            web_errors_add(errs, &e);
            continue;
        }
        v->ids[v->n++] = id;
    }
}

static void read_form(struct web_req *r, const struct web_action *a, struct web_action_in *in,
                      struct web_errors *errs)
{
    for (size_t i = 0; i < a->nfields; i++) {
        const struct web_afield *f = &a->fields[i];
        struct web_aval *v = &in->v[i];
        struct purpose_err e = {0};
        long n = 0;
        switch (f->kind) {
        case WEB_F_TEXT: v->s = web_field(r, f->name); break;
        case WEB_F_DATE: {
            char day[WEB_DATE_MAX];
            if (web_date_field(r, f->name, f->label ? f->label : f->name, day, &e) < 0)
                web_errors_add(errs, &e);
            snprintf(v->buf, sizeof v->buf, "%s", day);
            v->s = v->buf;
            break;
        }
        case WEB_F_INT:
            v->s = web_field(r, f->name);
            if (v->s[0] || f->required) {
                if (web_parse_long(v->s, f->name, (long)f->min, (long)f->max, &n, &e) < 0)
                    web_errors_add(errs, &e);
                v->i = n;
            }
            break;
        case WEB_F_IDS: form_ids(r, a, f, v, errs); break;
        case WEB_F_BOOL:
            v->s = web_field(r, f->name);
            v->i = v->s[0] != '\0';
            break;
        }
        check_value(f, v, errs);
    }
}

/* ---- reading JSON ------------------------------------------------------------------------------- */

static int json_text(const struct web_afield *f, json_t *m, struct web_aval *v, struct purpose_err *e)
{
    if (!m || json_is_null(m))
        return 0;
    if (f->number && json_is_number(m)) {
        snprintf(v->buf, sizeof v->buf, "%.15g", json_number_value(m));
        v->s = v->buf;
        return 0;
    }
    if (!json_is_string(m))
        return purpose_errk(e, PURPOSE_ERR_INPUT, f->name, "%s: must be a string", f->name);
    if (strlen(json_string_value(m)) != json_string_length(m))
        return purpose_errk(e, PURPOSE_ERR_INPUT, f->name, "%s: must not contain NUL", f->name);
    v->s = json_string_value(m);
    return 0;
}

static int json_ids(const struct web_afield *f, json_t *m, struct web_aval *v, struct purpose_err *e)
{
    if (!m || json_is_null(m))
        return 0;
    size_t max = f->max < WEB_ACTION_IDS ? (size_t)f->max : WEB_ACTION_IDS;
    if (!json_is_array(m) || json_array_size(m) > max)
        return purpose_errk(e, PURPOSE_ERR_INPUT, f->name, "%s: must be an array of at most %zu ids", f->name, max);
    for (size_t k = 0; k < json_array_size(m); k++) {
        json_t *x = json_array_get(m, k);
        if (!json_is_integer(x) || json_integer_value(x) < 1)
            return purpose_errk(e, PURPOSE_ERR_INPUT, f->name, "%s: must be an array of ids", f->name);
        v->ids[v->n++] = json_integer_value(x);
    }
    return 0;
}

static void read_json(struct web_req *r, const struct web_action *a, struct web_action_in *in,
                      struct web_errors *errs)
{
    for (size_t i = 0; i < a->nfields; i++) {
        const struct web_afield *f = &a->fields[i];
        struct web_aval *v = &in->v[i];
        json_t *m = r->json ? json_object_get(r->json, f->name) : NULL;
        struct purpose_err e = {0};
        int rc = 0;
        switch (f->kind) {
        case WEB_F_TEXT:
        case WEB_F_DATE: rc = json_text(f, m, v, &e); break;
        case WEB_F_INT:
            if ((!m || json_is_null(m)) && f->required)
                rc = purpose_errk(&e, PURPOSE_ERR_INPUT, f->name, "%s: is required", f->name);
            else if (m && !json_is_null(m) &&
                     (!json_is_integer(m) || json_integer_value(m) < f->min || json_integer_value(m) > f->max))
                rc = purpose_errk(&e, PURPOSE_ERR_INPUT, f->name, "%s: must be a whole number from %lld to %lld",
                                  f->name, f->min, f->max);
            else if (m)
                v->i = json_integer_value(m);
            break;
        case WEB_F_IDS: rc = json_ids(f, m, v, &e); break;
        case WEB_F_BOOL:
            v->i = !m || json_is_null(m) ? -1 : json_is_true(m);
            if (m && !json_is_null(m) && !json_is_boolean(m))
                rc = purpose_errk(&e, PURPOSE_ERR_INPUT, f->name, "%s: must be true or false", f->name);
            break;
        }
        if (rc < 0)
            web_errors_add(errs, &e);
        check_value(f, v, errs);
    }
}

/* ---- the adapters ------------------------------------------------------------------------------- */

struct state {
    struct web_action_in in;
    struct web_errors errs;
    struct web_action_out out;
};

/* The status of a list of errors: the kind of the first (fields are checked before the store, so
 * a conflict is only ever the store's one error). */
static int errors_status(const struct web_errors *l)
{
    return web_err_status(l->e[0].kind);
}

/* Whether the action declares a field called name: the store's NOT_FOUND for what a field chose
 * (another organisation's site) is shown on that field, with the status of its kind. */
static bool declared(const struct web_action *a, const char *name)
{
    for (size_t i = 0; name[0] && i < a->nfields; i++)
        if (strcmp(a->fields[i].name, name) == 0)
            return true;
    return false;
}

/* Reads, checks and runs a: 0 with st->errs empty (done) or not (to show), 1 when who answered
 * already (429), or -1 with err (a failure the form cannot show: 403, 404, or the server's own). */
static int perform(struct web_req *r, struct web_resp *w, const struct web_action *a, struct state *st, bool api,
                   struct purpose_err *err)
{
    st->in.a = a;
    if (api)
        read_json(r, a, &st->in, &st->errs);
    else
        read_form(r, a, &st->in, &st->errs);
    if (st->errs.n)
        return 0;
    st->out.id = r->id;
    int rc = a->who != WEB_WHO_USER ? web_contributor_act(r, w, a, &st->out.me, err) : 0;
    if (rc > 0)
        return 1;
    struct store_actor by = web_actor(r);
    if (rc == 0)
        rc = a->run ? a->run(r, &st->in, &st->out, err) : a->on_scoped(r->ctx->store, &by, &r->scope, r->id, err);
    if (rc == 0)
        return 0;
    if (!web_err_in_form(err) && !declared(a, err->field))
        return -1;
    web_errors_add(&st->errs, err);
    return 0;
}

/* The page a success goes to: the run's own, else next with {id} filled, then ?done=. */
static void next_page(const struct web_action *a, const struct web_action_out *out, char *href, size_t n)
{
    if (out->next[0]) {
        snprintf(href, n, "%s", out->next);
    } else if (!a->next) {
        snprintf(href, n, "/");
    } else {
        const char *at = strstr(a->next, "{id}");
        if (at)
            snprintf(href, n, "%.*s%lld%s", (int)(at - a->next), a->next, (long long)out->id, at + 4);
        else
            snprintf(href, n, "%s", a->next);
    }
    if (a->done) {
        size_t len = strcspn(href, "#");
        char frag[64];
        snprintf(frag, sizeof frag, "%s", href + len);
        href[len] = '\0';
        size_t used = strlen(href);
        snprintf(href + used, n - used, "%sdone=%s%s", strchr(href, '?') ? "&" : "?", a->done, frag);
    }
}

int web_action_page(struct web_req *r, struct web_resp *w, const struct web_action *a, struct purpose_err *err)
{
    struct state *st = calloc(1, sizeof *st);
    if (!st)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "action: out of memory");
    int rc = perform(r, w, a, st, false, err);
    if (rc > 0) {
        rc = 0;
    } else if (rc < 0) {
        rc = web_page_fail(r, w, err);
    } else if (st->errs.n && !a->form) {
        rc = web_page_fail(r, w, &st->errs.e[0]);
    } else if (st->errs.n) {
        w->errs = &st->errs;
        rc = a->form(r, w, &st->in, &st->errs.e[0], err);
        w->errs = NULL;
        if (rc == 0 && w->status == 200) /* not when the form itself answered an error page */
            w->status = errors_status(&st->errs);
    } else if (a->made) {
        rc = a->made(r, w, &st->out, err);
    } else {
        char href[700];
        next_page(a, &st->out, href, sizeof href);
        web_redirect(w, href);
    }
    free(st);
    return rc;
}

void web_errors_json(struct web_resp *w, const struct web_errors *l)
{
    json_t *list = json_array();
    for (size_t i = 0; i < l->n; i++)
        web_jpush(&list, json_pack("{s:s, s:s}", "field", l->e[i].field, "error", l->e[i].msg));
    if (!list) {
        web_json_error(w, errors_status(l), l->e[0].msg);
        return;
    }
    web_json(w, errors_status(l), json_pack("{s:s, s:o}", "error", l->e[0].msg, "errors", list));
}

int web_action_api(struct web_req *r, struct web_resp *w, const struct web_action *a, struct purpose_err *err)
{
    struct state *st = calloc(1, sizeof *st);
    if (!st)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "action: out of memory");
    int rc = perform(r, w, a, st, true, err);
    if (rc > 0)
        rc = 0;
    else if (rc < 0)
        rc = web_api_fail(w, err);
    else if (st->errs.n)
        web_errors_json(w, &st->errs);
    else if (a->answer_made)
        rc = a->answer_made(r, w, &st->out, st->out.status ? st->out.status : a->api_status ? a->api_status : 200, err);
    else if (a->answer)
        rc = a->answer(r, w, st->out.id, st->out.status ? st->out.status : a->api_status ? a->api_status : 200, err);
    else
        web_no_content(w);
    free(st);
    return rc;
}
