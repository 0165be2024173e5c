#ifndef PURPOSE_SPC_INT_H
#define PURPOSE_SPC_INT_H

#include "purpose/spc.h"

/* MDC constants for individuals charts (Wheeler): 2.66 = 3 / d2 with d2 = 1.128; 3.267 = D4. */
#define SPC_LIMIT_FACTOR 2.66
#define SPC_MR_SCREEN_FACTOR 3.267

/* Fills g's mean and limits from y[g->start, g->end). */
void spc_group_limits(const double *y, struct spc_group *g, const struct spc_options *opt);

/* Sets res->rule for every point of group g (point types are derived later). */
void spc_group_rules(const double *y, const struct spc_group *g, uint8_t *rule);

#endif
