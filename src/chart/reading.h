#ifndef PURPOSE_CHART_READING_H
#define PURPOSE_CHART_READING_H

/* What a chart shows, in plain English, for a board report, a JSON reading or a web page: the
 * latest value, the variation (which rule fired on the latest points), the centre and limits,
 * and whether the target will be met. Pure: the words depend on the computed result only. */

#include "chart/chart.h"
#include "core/buf.h"

/* Appends the reading of s (computed) to out. unit is written after each value: "%" joined
 * ("95%"), anything else after a space ("12 minutes"); "" for none. */
void chart_reading(struct buf *out, const struct chart_series *s, const char *unit);

/* Point i's x as a reader would say it: a date written out ("Mar 2019"), else the x as given. */
void chart_x_words(char *out, size_t n, const struct chart_series *s, size_t i);

/* A value as the reading and the report print it: about 3 significant figures and the unit. */
void chart_value_text(char *out, size_t n, double v, const char *unit);

#endif
