#ifndef PURPOSE_CELEBRATE_H
#define PURPOSE_CELEBRATE_H

/* Whether a measure's chart proves an improvement worth celebrating (NHS England: "celebrate and
 * share good practice"): the one rule behind the lead's celebration on the home page and its case
 * study draft (celebrate.c). Pure: reads a computed result, no I/O, thread-safe.
 *
 * A celebration needs a sustained change, not one lucky point: the latest SPC_CELEBRATE_POINTS
 * values (no missing one among them, all in the latest group) are each special cause improvement,
 * and on average they lie at least SPC_CELEBRATE_SIGMA sigma beyond the centre line on the better
 * side (sigma: a third of the distance from the centre to the limit on that side, point by point,
 * so that P and U charts weigh each point by its own limits). A point beyond a limit alone, two of
 * three near it, or a short run never qualifies: in random noise the latest 6 points are all on one
 * side about one time in 64, and 6 such points rarely average 1.5 sigma away (a half-normal's mean
 * is 0.80 sigma, and the mean of 6 has a spread of 0.25). Measured: 19 of 200,000 XmR charts of 30
 * points of noise, about one in 10,000 (tests/unit/test_celebrate.c: none of 1,000). A chart
 * rebased at the change holds the new level as its normal: no celebration. Neutral measures
 * (neither direction better) and run charts (no limits) never get one. */

#include <stdbool.h>

#include "purpose/spc.h"

#define SPC_CELEBRATE_POINTS 6
#define SPC_CELEBRATE_SIGMA 1.5

/* y is the input the result was computed from (spc_result_values picks the charted values); opt
 * the options it was computed with (its improvement direction). */
bool spc_celebrate(const struct spc_result *res, const double *y, const struct spc_options *opt);

#endif
