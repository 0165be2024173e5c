#include "chart/svg_int.h"
#include "core/banned.h"

/* Our own drawings of the MDC icon ideas (NHS England, "Making Data Count"): a ring in the
 * variation's colour holding a small run of dots and an H or L for the side of the mean; an
 * assurance ring holding P (pass), F (fail) or ? (inconsistent). */

const char *svg_variation_words(enum spc_variation v)
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

const char *svg_assurance_words(enum spc_assurance a)
{
    switch (a) {
    case SPC_ASSURANCE_CONSISTENT_PASS: return "consistent pass - the target will be met";
    case SPC_ASSURANCE_CONSISTENT_FAIL: return "consistent fail - the target will not be met without change";
    case SPC_ASSURANCE_INCONSISTENT: return "inconsistent - the target may or may not be met";
    default: return "none";
    }
}

static const char *svg_variation_colour(enum spc_variation v)
{
    switch (v) {
    case SPC_VAR_IMPROVEMENT_HIGH:
    case SPC_VAR_IMPROVEMENT_LOW: return SVG_C_IMPROVEMENT;
    case SPC_VAR_CONCERN_HIGH:
    case SPC_VAR_CONCERN_LOW: return SVG_C_CONCERN;
    case SPC_VAR_NEUTRAL_HIGH:
    case SPC_VAR_NEUTRAL_LOW: return SVG_C_NEUTRAL;
    default: return SVG_C_COMMON;
    }
}

static void svg_ring(struct buf *b, double cx, double cy, double r, const char *colour)
{
    buf_printf(b, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"#FFFFFF\" stroke=\"%s\" "
                  "stroke-width=\"%.2f\"/>\n", cx, cy, r, colour, r * 0.12);
}

static void svg_letter(struct buf *b, double x, double y, double size, const char *colour, const char *txt)
{
    buf_printf(b, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" font-weight=\"bold\" "
                  "text-anchor=\"middle\" fill=\"%s\">", x, y, size, colour);
    svg_text(b, txt, 0);
    buf_puts(b, "</text>\n");
}

static void svg_caption(struct buf *b, double cx, double cy, double r, const char *txt)
{
    buf_printf(b, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"10\" text-anchor=\"middle\" fill=\"%s\">",
               cx, cy + r + 13, SVG_C_MUTED);
    svg_text(b, txt, 0);
    buf_puts(b, "</text>\n");
}

void svg_icon_variation(struct buf *b, double cx, double cy, double r, enum spc_variation v)
{
    /* Seven dots; offsets in units of r (negative is up). The last four mark the special cause. */
    static const double calm[7] = {0.05, -0.12, 0.1, -0.06, 0.12, -0.1, 0.02};
    static const double high[7] = {0.12, -0.02, 0.1, -0.2, -0.26, -0.22, -0.3};
    int special = v != SPC_VAR_COMMON_CAUSE;
    int up = v == SPC_VAR_IMPROVEMENT_HIGH || v == SPC_VAR_CONCERN_HIGH || v == SPC_VAR_NEUTRAL_HIGH;
    const char *colour = svg_variation_colour(v);
    double base = special ? (up ? cy + 0.3 * r : cy - 0.15 * r) : cy;

    buf_puts(b, "<g class=\"icon icon-variation\">\n<title>Variation: ");
    svg_text(b, svg_variation_words(v), 0);
    buf_puts(b, "</title>\n");
    svg_ring(b, cx, cy, r, colour);
    double px[7], py[7];
    for (int k = 0; k < 7; k++) {
        double off = special ? high[k] * (up ? 1 : -1) : calm[k];
        px[k] = cx + (-0.6 + 0.2 * k) * r;
        py[k] = base + off * r;
    }
    buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.2f\" points=\"", SVG_C_COMMON,
               r * 0.05);
    for (int k = 0; k < 7; k++)
        buf_printf(b, "%s%.2f,%.2f", k ? " " : "", px[k], py[k]);
    buf_puts(b, "\"/>\n");
    for (int k = 0; k < 7; k++)
        buf_printf(b, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"%s\"/>\n", px[k], py[k],
                   r * 0.1, special && k >= 3 ? colour : SVG_C_COMMON);
    if (special)
        svg_letter(b, cx, up ? cy - 0.12 * r : cy + 0.62 * r, r * 0.62, colour, up ? "H" : "L");
    svg_caption(b, cx, cy, r, "Variation");
    buf_puts(b, "</g>\n");
}

void svg_icon_assurance(struct buf *b, double cx, double cy, double r, enum spc_assurance a)
{
    const char *colour, *letter;
    switch (a) {
    case SPC_ASSURANCE_CONSISTENT_PASS: colour = SVG_C_IMPROVEMENT, letter = "P"; break;
    case SPC_ASSURANCE_CONSISTENT_FAIL: colour = SVG_C_CONCERN, letter = "F"; break;
    case SPC_ASSURANCE_INCONSISTENT: colour = SVG_C_COMMON, letter = "?"; break;
    default: return;
    }
    buf_puts(b, "<g class=\"icon icon-assurance\">\n<title>Assurance: ");
    svg_text(b, svg_assurance_words(a), 0);
    buf_puts(b, "</title>\n");
    svg_ring(b, cx, cy, r, colour);
    /* The target as a dashed line across the ring, the verdict above it. */
    buf_printf(b, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" "
                  "stroke-width=\"%.2f\" stroke-dasharray=\"%.2f %.2f\"/>\n",
               cx - 0.62 * r, cx + 0.62 * r, cy + 0.45 * r, cy + 0.45 * r, SVG_C_TARGET, r * 0.07,
               r * 0.16, r * 0.1);
    svg_letter(b, cx, cy + 0.3 * r, r * 0.9, a == SPC_ASSURANCE_INCONSISTENT ? SVG_C_MUTED : colour,
               letter);
    svg_caption(b, cx, cy, r, "Assurance");
    buf_puts(b, "</g>\n");
}
