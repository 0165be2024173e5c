/* Answers shared by every feature: redirects, JSON, JSON body members, and errors by kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "web/web_int.h"
#include "core/banned.h"

int web_err_status(enum purpose_err_kind kind)
{
    switch (kind) {
    case PURPOSE_ERR_INPUT: return 400;
    case PURPOSE_ERR_NOT_FOUND: return 404;
    case PURPOSE_ERR_CONFLICT: return 409;
    case PURPOSE_ERR_FORBIDDEN: return 403;
    case PURPOSE_ERR_UNAVAILABLE: return 503;
    case PURPOSE_ERR_INTERNAL: break;
    }
    return 500;
}

int web_api_fail(struct web_resp *w, const struct purpose_err *err)
{
    int status = web_err_status(err->kind);
    if (status >= 500)
        return -1;
    web_json_error(w, status, err->msg);
    return 0;
}

int web_page_fail(struct web_req *r, struct web_resp *w, const struct purpose_err *err)
{
    int status = web_err_status(err->kind);
    if (status >= 500)
        return -1;
    /* A missing or forbidden page says so in the standard words; bad input says what was wrong. */
    bool detail = status == 400 || status == 409;
    html_error_page(r, w, status, detail ? err->msg : NULL);
    return 0;
}

int web_fail(struct web_req *r, struct web_resp *w, const struct purpose_err *err)
{
    return r->is_api ? web_api_fail(w, err) : web_page_fail(r, w, err);
}

void web_fail_server(struct web_req *r, struct web_resp *w, const struct purpose_err *err)
{
    /* The detail goes to the log only: it may name tables, paths or the database's own words. */
    int status = err->kind == PURPOSE_ERR_UNAVAILABLE ? 503 : 500;
    if (r->is_api)
        web_json_error(w, status, status == 503 ? "the service is unavailable for now: try again shortly"
                                                : "the service had a problem: nothing was changed");
    else
        html_error_page(r, w, status, NULL);
}

void web_fail_saved(struct web_req *r, struct web_resp *w)
{
    /* Never 503: Retry-After would invite the client to store the change a second time. */
    if (r->is_api)
        web_json_error(w, 500, "the change was saved, but the answer could not be read back: read it again "
                               "instead of sending the change again");
    else
        html_saved_error_page(r, w);
}

bool web_err_in_form(const struct purpose_err *err)
{
    return err->kind == PURPOSE_ERR_INPUT || err->kind == PURPOSE_ERR_CONFLICT;
}

void web_redirect(struct web_resp *w, const char *location)
{
    w->status = 303;
    web_location(w, location);
    buf_reset(&w->body);
}

void web_json(struct web_resp *w, int status, json_t *j)
{
    w->status = status;
    w->content_type = "application/json";
    buf_reset(&w->body);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!s) {
        /* A part of the answer could not be built: an error, never an answer missing a row. */
        w->status = 500;
        buf_puts(&w->body, "{\"error\":\"the answer could not be built\"}");
        return;
    }
    buf_puts(&w->body, s);
    buf_putc(&w->body, '\n');
    free(s);
}

void web_jpush(json_t **list, json_t *item)
{
    if (*list && item && json_array_append_new(*list, item) == 0)
        return;
    if (*list && item)
        item = NULL; /* json_array_append_new took it even when it failed */
    json_decref(item);
    json_decref(*list);
    *list = NULL;
}

void web_jset(json_t **obj, const char *key, json_t *item)
{
    if (*obj && item && json_object_set_new(*obj, key, item) == 0)
        return;
    if (*obj && item)
        item = NULL; /* json_object_set_new took it even when it failed */
    json_decref(item);
    json_decref(*obj);
    *obj = NULL;
}

void web_json_error(struct web_resp *w, int status, const char *message)
{
    /* No message (a failure whose details are for the log only): the standard words. */
    if (!message || !*message)
        message = status >= 500 ? WEB_INTERNAL_ERROR : "the request could not be completed";
    /* A message may quote what was sent (a JSON parser's error quotes the bad bytes): bytes that
     * are not UTF-8 become U+FFFD, so that the answer is the error and not a 500. */
    char text[600];
    size_t o = 0, n = strlen(message);
    const unsigned char *m = (const unsigned char *)message;
    for (size_t i = 0; i < n && o + 4 < sizeof text;) {
        size_t k = utf8_seq_len(m + i, n - i);
        if (k) {
            if (o + k >= sizeof text)
                break;
            memcpy(text + o, m + i, k);
            o += k;
            i += k;
        } else {
            memcpy(text + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        }
    }
    text[o] = '\0';
    web_json(w, status, json_pack("{s:s}", "error", text));
}

void web_no_content(struct web_resp *w)
{
    w->status = 204;
    w->content_type = "application/json";
    buf_reset(&w->body);
}

int web_jstr(const struct web_req *r, const char *name, bool required, const char **out, struct purpose_err *err)
{
    json_t *v = r->json ? json_object_get(r->json, name) : NULL;
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: is required", name) : 0;
    if (!json_is_string(v))
        return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be a string", name);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must not contain NUL", name);
    *out = json_string_value(v);
    return 0;
}

int web_jint(const struct web_req *r, const char *name, bool required, json_int_t min, json_int_t max,
             json_int_t *out, struct purpose_err *err)
{
    json_t *v = r->json ? json_object_get(r->json, name) : NULL;
    if (!v)
        return required ? purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: is required", name) : 0;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be a whole number from %lld to %lld", name,
                            (long long)min, (long long)max);
    *out = json_integer_value(v);
    return 0;
}
