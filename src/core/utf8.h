#ifndef PURPOSE_UTF8_H
#define PURPOSE_UTF8_H

/* The one UTF-8 rule for text from outside (forms, JSON, CLI arguments, stored CSV text): RFC 3629
 * well-formed sequences only, so no overlong forms, no surrogates (U+D800..U+DFFF) and nothing
 * above U+10FFFF. It is the rule jansson applies, so any text the store accepts can be answered as
 * JSON (tests/fuzz/fuzz_utf8.c checks that the two never disagree). */

#include <stdbool.h>
#include <stddef.h>

/* Length (1 to 4) of the well-formed sequence at s[0..len), or 0 when there is none (len 0 too). */
size_t utf8_seq_len(const unsigned char *s, size_t len);

/* True when s[0..len) is well-formed UTF-8. NUL bytes are well-formed; callers that store C
 * strings refuse control characters separately. */
bool utf8_valid(const char *s, size_t len);

#endif
