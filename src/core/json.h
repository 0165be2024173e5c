#ifndef PURPOSE_JSON_H
#define PURPOSE_JSON_H

#include <stddef.h>

#include "core/buf.h"

/* Writers for streamed JSON output (documents too large to build as a tree). */

/* Appends s[0..len) as a JSON string with quotes, escaping what RFC 8259 requires. */
void json_write_string(struct buf *b, const char *s, size_t len);

/* Appends v in the shortest round-trip form, or null when v is NaN. */
void json_write_number(struct buf *b, double v);

#endif
