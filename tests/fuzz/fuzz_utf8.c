/* Fuzzer for the one UTF-8 rule (issue 12): core/utf8.c and jansson must never disagree, text the
 * store accepts must always be answerable as JSON, and json_write_string's output (which replaces
 * bad bytes) must always parse. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/utf8.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    bool ok = utf8_valid(s, size);
    json_t *j = json_stringn(s, size);
    if (ok != (j != NULL))
        __builtin_trap();
    json_decref(j);

    /* The same bytes inside a JSON document, where they need no escaping. */
    bool plain = true;
    for (size_t i = 0; i < size && plain; i++)
        plain = data[i] >= 0x20 && data[i] != '"' && data[i] != '\\';
    char *doc = malloc(size + 3);
    if (!doc)
        return 0;
    doc[0] = '"';
    memcpy(doc + 1, data, size);
    doc[size + 1] = '"';
    doc[size + 2] = '\0';
    if (plain) {
        json_error_t je;
        j = json_loadb(doc, size + 2, JSON_DECODE_ANY, &je);
        if (ok != (j != NULL))
            __builtin_trap();
        json_decref(j);
        /* What the store accepts, JSON can answer. */
        struct purpose_err err = {0};
        doc[size + 1] = '\0';
        if (store_check_text("text", doc + 1, size + 1, false, &err) == 0 && !utf8_valid(doc + 1, size))
            __builtin_trap();
        if (store_check_text("text", doc + 1, size + 1, false, &err) == 0) {
            j = json_string(doc + 1);
            if (!j)
                __builtin_trap();
            json_decref(j);
        }
    }
    free(doc);

    /* The streaming writer turns any bytes into a JSON string that parses. */
    struct buf b;
    buf_init(&b, 8 * size + 16);
    json_write_string(&b, s, size);
    if (b.failed)
        __builtin_trap();
    json_error_t je;
    j = json_loadb(b.data, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (!j || !json_is_string(j))
        __builtin_trap();
    json_decref(j);
    buf_release(&b);
    return 0;
}
