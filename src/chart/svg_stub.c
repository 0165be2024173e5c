#include "chart/chart.h"

/* Placeholder until the SVG renderer lands. */
int chart_svg(struct buf *out, const struct chart_series *s, struct purpose_err *err)
{
    (void)out;
    (void)s;
    return purpose_errf(err, "svg charts are not built yet");
}
