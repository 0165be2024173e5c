#ifndef PURPOSE_XVAL_H
#define PURPOSE_XVAL_H

#include <stddef.h>

/* The type of one x value (cli.md "x types"). A series is typed by the type all its values share;
 * mixed types make it labels. */
enum xval_type { XVAL_LABEL, XVAL_NUMBER, XVAL_DATE };

/* Classifies s[0..len) (surrounding spaces ignored) and, for numbers and dates, stores the value
 * it compares by in *key: the number itself, or a date as seconds since 1970-01-01 UTC.
 * Dates: ISO 2023-01-31, UK 31/1/2023, ISO date-times 2023-01-31T08:00[:00[.5]][Z|+01:00|+0100]
 * with T or a space; a date-time without an offset is read as UTC. */
enum xval_type xval_classify(const char *s, size_t len, double *key);

/* s without its leading and trailing spaces and tabs; *len is updated. x values are typed and
 * compared trimmed (docs/spc.md) but printed as given. */
const char *xval_trim(const char *s, size_t *len);

/* Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian). */
long xval_days_from_civil(long y, unsigned m, unsigned d);

#endif
