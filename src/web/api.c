/* The JSON API under /api/v1 (docs/api.md, docs/openapi.json). Errors are {"error": "field: what"}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_int.h"
#include "core/banned.h"

/* ---- body fields -------------------------------------------------------------------------- */

/* Reads a string member. Returns 0 (value or NULL when absent and optional) or -1 after
 * answering 400 naming the field. */
static int jstr(struct web_req *r, struct web_resp *w, const char *name, bool required,
                const char **out)
{
    json_t *v = r->json ? json_object_get(r->json, name) : NULL;
    *out = NULL;
    char msg[128];
    if (!v || json_is_null(v)) {
        if (!required)
            return 0;
        snprintf(msg, sizeof msg, "%s: is required", name);
        web_json_error(w, 400, msg);
        return -1;
    }
    if (!json_is_string(v)) {
        snprintf(msg, sizeof msg, "%s: must be a string", name);
        web_json_error(w, 400, msg);
        return -1;
    }
    *out = json_string_value(v);
    if (strlen(*out) != json_string_length(v)) {
        snprintf(msg, sizeof msg, "%s: must not contain NUL", name);
        web_json_error(w, 400, msg);
        return -1;
    }
    return 0;
}

static int jint(struct web_req *r, struct web_resp *w, const char *name, bool required,
                json_int_t min, json_int_t max, json_int_t *out, bool *present)
{
    json_t *v = r->json ? json_object_get(r->json, name) : NULL;
    char msg[128];
    if (present)
        *present = v != NULL;
    if (!v) {
        if (!required)
            return 0;
        snprintf(msg, sizeof msg, "%s: is required", name);
        web_json_error(w, 400, msg);
        return -1;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        snprintf(msg, sizeof msg, "%s: must be a whole number from %lld to %lld", name,
                 (long long)min, (long long)max);
        web_json_error(w, 400, msg);
        return -1;
    }
    *out = json_integer_value(v);
    return 0;
}

/* Maps a store result: 0 stays 0; not-found answers 404; a validation error answers 400 with the
 * store's message. Returns 1 when answered, -1 for an internal error. */
static int store_result(struct web_resp *w, int rc, struct purpose_err *err, const char *what)
{
    if (rc == 0)
        return 0;
    if ((rc < 0 && err->kind == PURPOSE_ERR_NOT_FOUND)) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s: not found", what);
        web_json_error(w, 404, msg);
        return 1;
    }
    if (web_input_error(err->msg)) {
        web_json_error(w, strstr(err->msg, "already") ? 409 : 400, err->msg);
        return 1;
    }
    return -1;
}

/* ---- serialisers -------------------------------------------------------------------------- */

static json_t *value_json(const struct store_value *v)
{
    return json_pack("{s:I, s:i, s:s, s:s}", "id", (json_int_t)v->id, "position", v->position, "name",
                     v->name, "description", v->description);
}

static json_t *ambition_json(const struct store_ambition *a)
{
    return json_pack("{s:I, s:I, s:i, s:s, s:s, s:i}", "id", (json_int_t)a->id, "theme_id",
                     (json_int_t)a->theme_id, "position", a->position, "title", a->title,
                     "description", a->description, "target_year", a->target_year);
}

static json_t *theme_json(const struct store_theme *t, const struct store_ambition_list *al)
{
    json_t *amb = json_array();
    for (size_t i = 0; al && i < al->n; i++)
        if (al->items[i].theme_id == t->id)
            json_array_append_new(amb, ambition_json(&al->items[i]));
    return json_pack("{s:I, s:i, s:s, s:s, s:o}", "id", (json_int_t)t->id, "position", t->position,
                     "title", t->title, "description", t->description, "ambitions", amb);
}

static json_t *user_json(const struct store_user *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:b, s:I}", "id", (json_int_t)u->id, "username",
                     u->username, "display_name", u->display_name, "role", store_role_name(u->role),
                     "disabled", u->disabled, "created_at", (json_int_t)u->created_at);
}

static json_t *statement_json(const struct store_statement *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)s->id, "kind", s->kind, "text",
                     s->text, "author", s->author, "created_at", (json_int_t)s->created_at);
}

static json_t *token_json(const struct store_token *t)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:b}", "id", (json_int_t)t->id, "user_id",
                     (json_int_t)t->user_id, "username", t->username, "name", t->name, "prefix",
                     t->prefix, "created_at", (json_int_t)t->created_at, "revoked", t->revoked_at != 0);
}

static json_t *maybe_json(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_loads(s, 0, NULL);
    return j ? j : json_string(s);
}

static json_t *audit_json(const struct store_audit *a)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:o, s:o}", "id", (json_int_t)a->id, "at",
                     (json_int_t)a->at, "actor", a->actor, "action", a->action, "entity", a->entity,
                     "entity_id", (json_int_t)a->entity_id, "before", maybe_json(a->before), "after",
                     maybe_json(a->after));
}

/* ---- the organisation's strategy ---------------------------------------------------------- */

static int current_text(struct web_req *r, const char *kind, json_t **out, struct purpose_err *err)
{
    struct store_statement s;
    int rc = store_statement_current(r->ctx->store, kind, &s, err);
    if (rc < 0)
        return -1;
    *out = rc == 0 ? json_string(s.text) : json_null();
    if (rc == 0)
        store_statement_release(&s);
    return 0;
}

static int themes_array(struct web_req *r, json_t **out, struct purpose_err *err)
{
    struct store_theme_list tl;
    struct store_ambition_list al;
    if (store_load_themes(r->ctx->store, &tl, &al, err) < 0)
        return -1;
    *out = json_array();
    for (size_t i = 0; i < tl.n; i++)
        json_array_append_new(*out, theme_json(&tl.items[i], &al));
    store_theme_list_release(&tl);
    store_ambition_list_release(&al);
    return 0;
}

static int values_array(struct web_req *r, json_t **out, struct purpose_err *err)
{
    struct store_value_list vl;
    if (store_value_list(r->ctx->store, &vl, err) < 0)
        return -1;
    *out = json_array();
    for (size_t i = 0; i < vl.n; i++)
        json_array_append_new(*out, value_json(&vl.items[i]));
    store_value_list_release(&vl);
    return 0;
}

int api_purpose(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    json_t *vision = NULL, *purpose = NULL, *values = NULL, *themes = NULL;
    if (current_text(r, "vision", &vision, err) < 0 || current_text(r, "purpose", &purpose, err) < 0 ||
        values_array(r, &values, err) < 0 || themes_array(r, &themes, err) < 0) {
        json_decref(vision);
        json_decref(purpose);
        json_decref(values);
        return -1;
    }
    web_json(w, 200, json_pack("{s:o, s:o, s:o, s:o}", "vision", vision, "purpose", purpose,
                               "values", values, "themes", themes));
    w->cacheable = true;
    return 0;
}

int api_me(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    json_t *j = user_json(&r->user);
    if (!r->via_token && j)
        json_object_set_new(j, "csrf_token", json_string(r->csrf));
    web_json(w, 200, j);
    return 0;
}

int api_statement_get(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_statement_list h;
    if (store_statement_history(r->ctx->store, r->kind, &h, err) < 0)
        return -1;
    json_t *hist = json_array();
    for (size_t i = 0; i < h.n; i++)
        json_array_append_new(hist, statement_json(&h.items[i]));
    json_t *cur = h.n ? json_string(h.items[0].text) : json_null();
    store_statement_list_release(&h);
    web_json(w, 200, json_pack("{s:s, s:o, s:o}", "kind", r->kind, "text", cur, "history", hist));
    return 0;
}

int api_statement_put(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *text;
    if (jstr(r, w, "text", true, &text) < 0)
        return 0;
    struct store_actor by = web_actor(r);
    int rc = store_result(w, store_statement_set(r->ctx->store, &by, r->kind, text, err), err, r->kind);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    return api_statement_get(r, w, err);
}

int api_values(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    json_t *values;
    if (values_array(r, &values, err) < 0)
        return -1;
    web_json(w, 200, json_pack("{s:o}", "values", values));
    return 0;
}

static int value_answer(struct web_req *r, struct web_resp *w, int64_t id, int status,
                        struct purpose_err *err)
{
    struct store_value v;
    int rc = store_result(w, store_value_get(r->ctx->store, id, &v, err), err, "value");
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    web_json(w, status, value_json(&v));
    store_value_release(&v);
    return 0;
}

int api_value_get(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return value_answer(r, w, r->id, 200, err);
}

static void no_content(struct web_resp *w)
{
    w->status = 204;
    w->content_type = "application/json";
    buf_reset(&w->body);
}

int api_themes(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    json_t *themes;
    if (themes_array(r, &themes, err) < 0)
        return -1;
    web_json(w, 200, json_pack("{s:o}", "themes", themes));
    return 0;
}

static int theme_answer(struct web_req *r, struct web_resp *w, int64_t id, int status,
                        struct purpose_err *err)
{
    struct store *s = r->ctx->store;
    struct store_theme t;
    int rc = store_result(w, store_theme_get(s, id, &t, err), err, "theme");
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    struct store_ambition_list al;
    if (store_ambition_list(s, id, &al, err) < 0) {
        store_theme_release(&t);
        return -1;
    }
    web_json(w, status, theme_json(&t, &al));
    store_theme_release(&t);
    store_ambition_list_release(&al);
    return 0;
}

int api_theme_get(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return theme_answer(r, w, r->id, 200, err);
}

/* Values and themes share one shape: a first text field ("name" or "title") and a description. */
struct named_api {
    const char *entity; /* in messages */
    const char *field;
    bool theme;         /* which store operations */
    int (*answer)(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);
};
static const struct named_api value_api = {"value", "name", false, value_answer};
static const struct named_api theme_api = {"theme", "title", true, theme_answer};

static int named_write(struct web_req *r, struct web_resp *w, const struct named_api *k, bool create,
                       struct purpose_err *err)
{
    const char *text, *desc;
    if (jstr(r, w, k->field, true, &text) < 0 || jstr(r, w, "description", false, &desc) < 0)
        return 0;
    struct store *s = r->ctx->store;
    struct store_actor by = web_actor(r);
    int64_t id = r->id;
    int rc;
    if (create)
        rc = k->theme ? store_theme_add(s, &by, text, desc, &id, err) : store_value_add(s, &by, text, desc, &id, err);
    else
        rc = k->theme ? store_theme_update(s, &by, id, text, desc, err)
                      : store_value_update(s, &by, id, text, desc, err);
    rc = store_result(w, rc, err, k->entity);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    return k->answer(r, w, id, create ? 201 : 200, err);
}

static int named_remove(struct web_req *r, struct web_resp *w, const struct named_api *k, struct purpose_err *err)
{
    struct store *s = r->ctx->store;
    struct store_actor by = web_actor(r);
    int rc = k->theme ? store_theme_delete(s, &by, r->id, err) : store_value_delete(s, &by, r->id, err);
    rc = store_result(w, rc, err, k->entity);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    no_content(w);
    return 0;
}

int api_value_create(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_write(r, w, &value_api, true, err);
}
int api_value_put(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_write(r, w, &value_api, false, err);
}
int api_value_delete(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_remove(r, w, &value_api, err);
}
int api_theme_create(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_write(r, w, &theme_api, true, err);
}
int api_theme_put(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_write(r, w, &theme_api, false, err);
}
int api_theme_delete(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return named_remove(r, w, &theme_api, err);
}

static int ambition_answer(struct web_req *r, struct web_resp *w, int64_t id, int status,
                           struct purpose_err *err)
{
    struct store_ambition a;
    int rc = store_result(w, store_ambition_get(r->ctx->store, id, &a, err), err, "ambition");
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    web_json(w, status, ambition_json(&a));
    store_ambition_release(&a);
    return 0;
}

int api_ambition_get(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return ambition_answer(r, w, r->id, 200, err);
}

int api_ambition_create(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *title, *desc;
    json_int_t year;
    if (jstr(r, w, "title", true, &title) < 0 || jstr(r, w, "description", false, &desc) < 0 ||
        jint(r, w, "target_year", true, STORE_YEAR_MIN, STORE_YEAR_MAX, &year, NULL) < 0)
        return 0;
    struct store_actor by = web_actor(r);
    int64_t id;
    int rc = store_ambition_add(r->ctx->store, &by, r->id, title, desc, (int)year, &id, err);
    if (rc < 0 && strncmp(err->msg, "theme_id:", 9) == 0) {
        web_json_error(w, 404, "theme: not found");
        return 0;
    }
    rc = store_result(w, rc, err, "ambition");
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    return ambition_answer(r, w, id, 201, err);
}

int api_ambition_put(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *title, *desc;
    json_int_t year;
    if (jstr(r, w, "title", true, &title) < 0 || jstr(r, w, "description", false, &desc) < 0 ||
        jint(r, w, "target_year", true, STORE_YEAR_MIN, STORE_YEAR_MAX, &year, NULL) < 0)
        return 0;
    struct store_actor by = web_actor(r);
    int rc = store_result(w, store_ambition_update(r->ctx->store, &by, r->id, title, desc, (int)year, err), err, "ambition");
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    return ambition_answer(r, w, r->id, 200, err);
}

int api_ambition_delete(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    int rc = store_result(w, store_ambition_delete(r->ctx->store, &by, r->id, err), err, "ambition");
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    no_content(w);
    return 0;
}

/* ---- administration ----------------------------------------------------------------------- */

int api_users(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_user_list ul;
    if (store_user_list(r->ctx->store, &ul, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < ul.n; i++)
        json_array_append_new(a, user_json(&ul.items[i]));
    store_user_list_release(&ul);
    web_json(w, 200, json_pack("{s:o}", "users", a));
    return 0;
}

int api_user_create(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *username, *name, *role_s, *password;
    if (jstr(r, w, "username", true, &username) < 0 || jstr(r, w, "display_name", true, &name) < 0 ||
        jstr(r, w, "role", true, &role_s) < 0 || jstr(r, w, "password", false, &password) < 0)
        return 0;
    int role = store_role_parse(role_s);
    if (role < 0) {
        web_json_error(w, 400, "role: must be contributor, member, lead or admin");
        return 0;
    }
    struct purpose_err e2 = {0};
    if (store_check_username(username, &e2) < 0 || (password && secret_check_password(password, &e2) < 0)) {
        web_json_error(w, 400, e2.msg);
        return 0;
    }
    char generated[20], hash[SECRET_HASH_MAX];
    if (!password) {
        secret_random_password(generated, 16);
        password = generated;
    }
    if (secret_hash_password(password, hash, err) < 0)
        return -1;
    struct store_actor by = web_actor(r);
    int64_t id;
    int rc = store_result(w, store_user_add(r->ctx->store, &by, username, name, (enum store_role)role, hash, &id, err), err, "user");
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    struct store_user u;
    if (store_user_get(r->ctx->store, id, &u, err) != 0)
        return -1;
    json_t *j = user_json(&u);
    store_user_release(&u);
    if (j && password == generated)
        json_object_set_new(j, "password", json_string(generated));
    web_json(w, 201, j);
    return 0;
}

int api_user_patch(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store *s = r->ctx->store;
    const char *role_s;
    if (jstr(r, w, "role", false, &role_s) < 0)
        return 0;
    json_t *dis = r->json ? json_object_get(r->json, "disabled") : NULL;
    if (dis && !json_is_boolean(dis)) {
        web_json_error(w, 400, "disabled: must be true or false");
        return 0;
    }
    int role = role_s ? store_role_parse(role_s) : 0;
    if (role < 0) {
        web_json_error(w, 400, "role: must be contributor, member, lead or admin");
        return 0;
    }
    struct store_user u;
    int rc = store_result(w, store_user_get(s, r->id, &u, err), err, "user");
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    enum store_role new_role = role_s ? (enum store_role)role : u.role;
    bool disabled = dis ? json_is_true(dis) : u.disabled;
    if (u.id == r->user.id && (new_role != ROLE_ADMIN || disabled)) {
        store_user_release(&u);
        web_json_error(w, 400, "role: you cannot remove your own admin role or disable yourself");
        return 0;
    }
    struct store_actor by = web_actor(r);
    rc = store_user_update(s, &by, u.id, new_role, disabled, err);
    store_user_release(&u);
    if (rc != 0)
        return -1;
    if (store_user_get(s, r->id, &u, err) != 0)
        return -1;
    web_json(w, 200, user_json(&u));
    store_user_release(&u);
    return 0;
}

int api_tokens(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_token_list tl;
    if (store_token_list(r->ctx->store, &tl, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < tl.n; i++)
        json_array_append_new(a, token_json(&tl.items[i]));
    store_token_list_release(&tl);
    web_json(w, 200, json_pack("{s:o}", "tokens", a));
    return 0;
}

int api_token_create(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    const char *name;
    json_int_t uid = r->user.id;
    if (jstr(r, w, "name", true, &name) < 0 ||
        jint(r, w, "user_id", false, 1, (json_int_t)1 << 62, &uid, NULL) < 0)
        return 0;
    char token[SECRET_TOKEN_LEN + 8];
    int64_t id;
    int rc = store_result(w, web_auth_token_create(r, uid, name, token, &id, err), err, "user");
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    web_json(w, 201, json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)id, "user_id", uid, "name",
                               name, "token", token));
    return 0;
}

int api_token_delete(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    int rc = store_result(w, store_token_revoke(r->ctx->store, &by, r->id, err), err, "token");
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    no_content(w);
    return 0;
}

int api_audit(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char s[24];
    long long before = 0, limit = 100;
    char *end;
    if (web_query_get(r, "before", s, sizeof s) == 0) {
        before = strtoll(s, &end, 10);
        if (*end || before < 1) {
            web_json_error(w, 400, "before: must be a positive whole number");
            return 0;
        }
    }
    if (web_query_get(r, "limit", s, sizeof s) == 0) {
        limit = strtoll(s, &end, 10);
        if (*end || limit < 1 || limit > 1000) {
            web_json_error(w, 400, "limit: must be a whole number from 1 to 1000");
            return 0;
        }
    }
    struct store_audit_list al;
    if (store_audit_list(r->ctx->store, before, (size_t)limit, &al, err) < 0)
        return -1;
    json_t *a = json_array();
    for (size_t i = 0; i < al.n; i++)
        json_array_append_new(a, audit_json(&al.items[i]));
    json_t *next = al.n == (size_t)limit ? json_integer(al.items[al.n - 1].id) : json_null();
    store_audit_list_release(&al);
    web_json(w, 200, json_pack("{s:o, s:o}", "entries", a, "next_before", next));
    return 0;
}
