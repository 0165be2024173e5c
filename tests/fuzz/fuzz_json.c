/* Fuzzer for JSON request bodies as the API handlers read them: the router's body parser, then
 * every member the handlers read, through web_jstr and web_jint. Any bytes must give a value or an
 * answer of 400/415, never a crash or a leak; a string that reaches a handler has no NUL and, when
 * the store accepts it, can be answered as JSON again. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "store/store.h"
#include "web/web_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *json_content_type(void *conn, const char *name)
{
    (void)conn;
    return strcmp(name, "Content-Type") == 0 ? "application/json" : NULL;
}

/* The members the handlers read (grep web_jstr/web_jint in src/web). */
static const char *const members[] = {"description", "disabled", "display_name", "name", "ods_code",
                                      "password", "role", "scope", "slug", "target_year", "text",
                                      "title", "type", "user_id", "username"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct web_req r = {0};
    struct web_resp w = {0};
    struct purpose_err err = {0};
    r.method = "PUT";
    r.is_api = true;
    r.header = json_content_type;
    r.body = (const char *)data;
    r.body_len = size;
    buf_init(&w.body, WEB_PAGE_LIMIT);
    if (web_parse_body(&r, &w, &err) < 0) {
        if (w.status != 400 && w.status != 415)
            __builtin_trap();
    } else if (size && !json_is_object(r.json)) {
        __builtin_trap();
    }
    for (size_t i = 0; r.json && i < sizeof members / sizeof members[0]; i++) {
        const char *v;
        if (web_jstr(&r, members[i], false, &v, &err) == 0 && v) {
            if (strlen(v) != json_string_length(json_object_get(r.json, members[i])))
                __builtin_trap();
            if (store_check_text(members[i], v, STORE_TEXT_MAX, true, &err) == 0) {
                json_t *back = json_string(v);
                if (!back)
                    __builtin_trap();
                json_decref(back);
            }
        }
        json_int_t n = 0;
        if (web_jint(&r, members[i], false, STORE_YEAR_MIN, STORE_YEAR_MAX, &n, &err) == 0 && n &&
            (n < STORE_YEAR_MIN || n > STORE_YEAR_MAX))
            __builtin_trap();
    }
    json_decref(r.json);
    buf_release(&w.body);
    return 0;
}
