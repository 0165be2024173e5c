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

/* The one rule for text from outside, applied wherever it enters (the store's store_check_text for
 * every field, the handover import's site names): well-formed UTF-8 (as above), no control
 * characters (U+0000..U+001F and U+007F; tab, LF and CR are allowed when multiline) and at most max
 * bytes. Returns the first fault found, length first; *at receives the byte offset of a malformed
 * sequence or a control character (at may be NULL). */
enum utf8_fault { UTF8_OK, UTF8_TOO_LONG, UTF8_MALFORMED, UTF8_CONTROL };
enum utf8_fault utf8_text_check(const char *s, size_t len, size_t max, bool multiline, size_t *at);

/* The length of the longest prefix of the well-formed s[0..len) that has at most max bytes and
 * does not cut a character in two (for text shortened to fit). */
size_t utf8_prefix(const char *s, size_t len, size_t max);

#endif
