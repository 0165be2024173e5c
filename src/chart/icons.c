#include <stdio.h>

#include "chart/chart_int.h"
#include "core/banned.h"

/* Our own drawings of the MDC icon ideas (NHS England, "Making Data Count"): a ring in the
 * variation's colour holding a small run of dots and an H or L for the side of the mean; an
 * assurance ring holding P (pass), F (fail) or ? (inconsistent). */

const char *chart_type_words(enum spc_chart c)
{
    switch (c) {
    case SPC_CHART_RUN: return "Run chart";
    case SPC_CHART_P: return "P chart";
    case SPC_CHART_PP: return "P\xE2\x80\xB2 chart";
    case SPC_CHART_U: return "U chart";
    case SPC_CHART_UP: return "U\xE2\x80\xB2 chart";
    case SPC_CHART_C: return "C chart";
    case SPC_CHART_G: return "G chart";
    case SPC_CHART_T: return "T chart";
    default: return "XmR chart";
    }
}

const char *chart_variation_words(enum spc_variation v)
{
    switch (v) {
    case SPC_VAR_IMPROVEMENT_HIGH: return "special cause improvement (high)";
    case SPC_VAR_IMPROVEMENT_LOW: return "special cause improvement (low)";
    case SPC_VAR_CONCERN_HIGH: return "special cause concern (high)";
    case SPC_VAR_CONCERN_LOW: return "special cause concern (low)";
    case SPC_VAR_NEUTRAL_HIGH: return "special cause variation (high), neither improvement nor concern";
    case SPC_VAR_NEUTRAL_LOW: return "special cause variation (low), neither improvement nor concern";
    default: return "common cause - no significant change";
    }
}

const char *chart_assurance_words(enum spc_assurance a)
{
    switch (a) {
    case SPC_ASSURANCE_CONSISTENT_PASS: return "consistent pass - the target will be met";
    case SPC_ASSURANCE_CONSISTENT_FAIL: return "consistent fail - the target will not be met without change";
    case SPC_ASSURANCE_INCONSISTENT: return "inconsistent - the target may or may not be met";
    default: return "none";
    }
}

const char *chart_variation_colour(enum spc_variation v)
{
    switch (v) {
    case SPC_VAR_IMPROVEMENT_HIGH:
    case SPC_VAR_IMPROVEMENT_LOW: return CHART_C_IMPROVEMENT;
    case SPC_VAR_CONCERN_HIGH:
    case SPC_VAR_CONCERN_LOW: return CHART_C_CONCERN;
    case SPC_VAR_NEUTRAL_HIGH:
    case SPC_VAR_NEUTRAL_LOW: return CHART_C_NEUTRAL;
    default: return CHART_C_COMMON;
    }
}

static void icon_ring(struct chart_layout *l, double cx, double cy, double r, const char *colour)
{
    chart_circle(l, NULL, cx, cy, r, &(struct chart_style){.fill = "#FFFFFF", .stroke = colour, .stroke_w = r * 0.12});
}

static void icon_letter(struct chart_layout *l, double x, double y, double size, const char *colour, const char *txt)
{
    chart_text(l, NULL, x, y, txt, 0,
               &(struct chart_font){.size = size, .colour = colour, .anchor = CHART_ANCHOR_MIDDLE, .bold = true});
}

static void icon_caption(struct chart_layout *l, double cx, double cy, double r, const char *txt)
{
    chart_text(l, NULL, cx, cy + r + 13, txt, 0,
               &(struct chart_font){.size = 10, .colour = CHART_C_MUTED, .anchor = CHART_ANCHOR_MIDDLE});
}

void chart_icon_variation(struct chart_layout *l, double cx, double cy, double r, enum spc_variation v,
                          bool caption)
{
    /* Seven dots; offsets in units of r (negative is up). The last four mark the special cause. */
    static const double calm[7] = {0.05, -0.12, 0.1, -0.06, 0.12, -0.1, 0.02};
    static const double high[7] = {0.12, -0.02, 0.1, -0.2, -0.26, -0.22, -0.3};
    int special = v != SPC_VAR_COMMON_CAUSE;
    int up = v == SPC_VAR_IMPROVEMENT_HIGH || v == SPC_VAR_CONCERN_HIGH || v == SPC_VAR_NEUTRAL_HIGH;
    const char *colour = chart_variation_colour(v);
    double base = special ? (up ? cy + 0.3 * r : cy - 0.15 * r) : cy;
    char tip[160];
    snprintf(tip, sizeof tip, "Variation: %s", chart_variation_words(v));
    chart_group(l, "icon icon-variation", tip);
    icon_ring(l, cx, cy, r, colour);
    double px[7], py[7];
    for (int k = 0; k < 7; k++) {
        double off = special ? high[k] * (up ? 1 : -1) : calm[k];
        px[k] = cx + (-0.6 + 0.2 * k) * r;
        py[k] = base + off * r;
    }
    chart_line(l, NULL, &(struct chart_style){.stroke = CHART_C_COMMON, .stroke_w = r * 0.05});
    for (int k = 0; k < 7; k++)
        chart_pt(l, px[k], py[k]);
    for (int k = 0; k < 7; k++)
        chart_circle(l, NULL, px[k], py[k], r * 0.1,
                     &(struct chart_style){.fill = special && k >= 3 ? colour : CHART_C_COMMON});
    if (special)
        icon_letter(l, cx, up ? cy - 0.12 * r : cy + 0.62 * r, r * 0.62, colour, up ? "H" : "L");
    if (caption)
        icon_caption(l, cx, cy, r, "Variation");
    chart_group_end(l);
}

void chart_icon_assurance(struct chart_layout *l, double cx, double cy, double r, enum spc_assurance a,
                          bool caption)
{
    const char *colour, *letter;
    switch (a) {
    case SPC_ASSURANCE_CONSISTENT_PASS: colour = CHART_C_IMPROVEMENT, letter = "P"; break;
    case SPC_ASSURANCE_CONSISTENT_FAIL: colour = CHART_C_CONCERN, letter = "F"; break;
    case SPC_ASSURANCE_INCONSISTENT: colour = CHART_C_COMMON, letter = "?"; break;
    default: return;
    }
    char tip[160];
    snprintf(tip, sizeof tip, "Assurance: %s", chart_assurance_words(a));
    chart_group(l, "icon icon-assurance", tip);
    icon_ring(l, cx, cy, r, colour);
    /* The target as a dashed line across the ring, the verdict above it. */
    chart_hline(l, NULL, cx - 0.62 * r, cx + 0.62 * r, cy + 0.45 * r,
                &(struct chart_style){.stroke = CHART_C_TARGET, .stroke_w = r * 0.07, .dash = "0.16 0.1", .dash_unit = r});
    icon_letter(l, cx, cy + 0.3 * r, r * 0.9, a == SPC_ASSURANCE_INCONSISTENT ? CHART_C_MUTED : colour, letter);
    if (caption)
        icon_caption(l, cx, cy, r, "Assurance");
    chart_group_end(l);
}
