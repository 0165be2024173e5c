#ifndef PURPOSE_NUM_H
#define PURPOSE_NUM_H

#include <stddef.h>

/* Longest text num_format writes, with its NUL. */
#define NUM_TEXT_MAX 32

enum num_status { NUM_OK = 0, NUM_NOT_A_NUMBER = -1, NUM_NOT_FINITE = -2 };

/* Parses s[0..len) as a decimal number: optional sign, digits with an optional fraction, an
 * optional exponent. Nothing else (no spaces, hex, "inf" or "nan"). "inf", "nan" and values that
 * overflow are NUM_NOT_FINITE. Correctly rounded. */
enum num_status num_parse(const char *s, size_t len, double *out);

/* Writes v in the shortest of %.15g, %.16g, %.17g that reads back as v; NaN writes "".
 * out must hold NUM_TEXT_MAX bytes. Returns the length. */
size_t num_format(double v, char *out);

#endif
