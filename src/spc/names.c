#include <string.h>

#include "purpose/spc.h"
#include "core/banned.h"

static const char *const improvement_names[] = {"increase", "decrease", "neutral"};
static const char *const point_type_names[] = {
    "common_cause", "special_cause_improvement", "special_cause_concern",
    "special_cause_neutral_high", "special_cause_neutral_low",
};
static const char *const rule_names[] = {
    "none", "above_upl", "below_lpl", "trend_increasing", "trend_decreasing",
    "two_in_three_high", "two_in_three_low", "shift_above", "shift_below", "long_run_above", "long_run_below",
};
static const char *const chart_names[] = {"xmr", "run", "p", "pp", "u", "up", "c", "g", "t"};
static const char *const variation_names[] = {
    "common_cause", "improvement_high", "improvement_low", "concern_high",
    "concern_low", "neutral_high", "neutral_low",
};
static const char *const assurance_names[] = {"", "consistent_pass", "consistent_fail", "inconsistent"};

#define NAME(table, v) ((size_t)(v) < sizeof table / sizeof table[0] ? table[v] : "?")

const char *spc_improvement_name(enum spc_improvement v) { return NAME(improvement_names, v); }
const char *spc_point_type_name(enum spc_point_type v) { return NAME(point_type_names, v); }
const char *spc_rule_name(enum spc_rule v) { return NAME(rule_names, v); }
const char *spc_variation_name(enum spc_variation v) { return NAME(variation_names, v); }
const char *spc_assurance_name(enum spc_assurance v) { return NAME(assurance_names, v); }
const char *spc_chart_name(enum spc_chart v) { return NAME(chart_names, v); }

int spc_chart_parse(const char *s, enum spc_chart *out)
{
    for (size_t i = 0; i < sizeof chart_names / sizeof chart_names[0]; i++) {
        if (strcmp(s, chart_names[i]) == 0) {
            *out = (enum spc_chart)i;
            return 0;
        }
    }
    return -1;
}

int spc_improvement_parse(const char *s, enum spc_improvement *out)
{
    for (size_t i = 0; i < sizeof improvement_names / sizeof improvement_names[0]; i++) {
        if (strcmp(s, improvement_names[i]) == 0) {
            *out = (enum spc_improvement)i;
            return 0;
        }
    }
    return -1;
}
