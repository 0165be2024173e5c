/* The well-led self-assessment's evidence from the purpose pulse (wellled.h): per pulse of the
 * organisation with a closed wave, its latest wave's answers and, per statement, the share agreeing
 * and what its P chart over every closed wave shows (store_pulse_latest: the results page's own
 * figures, disclosed by its rule). */
#include <math.h>
#include <stdio.h>

#include "store/wellled_int.h"
#include "core/banned.h"

/* MDC's words for a variation icon. */
static const char *variation_words(enum spc_variation v)
{
    switch (v) {
    case SPC_VAR_IMPROVEMENT_HIGH:
    case SPC_VAR_IMPROVEMENT_LOW: return "special cause improvement";
    case SPC_VAR_CONCERN_HIGH:
    case SPC_VAR_CONCERN_LOW: return "special cause concern";
    case SPC_VAR_NEUTRAL_HIGH:
    case SPC_VAR_NEUTRAL_LOW: return "special cause variation";
    case SPC_VAR_COMMON_CAUSE:
    default: return "common cause variation";
    }
}

int wl_pulses(struct store *s, int64_t org_id, int64_t now, struct store_wl_evidence *e, struct buf *text,
              struct purpose_err *err)
{
    (void)now;
    struct store_pulse_latest_list l;
    if (store_pulse_latest(s, (struct store_scope){STORE_SCOPE_ORG, org_id}, &l, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < l.n && rc == 0; i++) {
        const struct store_pulse_latest *p = &l.items[i];
        char day[32], answers[32];
        buf_printf(text, "%s\"%s\": wave %d, closed on %s, had %s %s.", text->len ? " " : "", p->title,
                   p->wave.number, wl_day(p->wave.closed_at, day), store_count_text(p->wave.answers, answers, 32),
                   p->wave.answers == 1 ? "answer" : "answers");
        for (size_t k = 0; k < p->n; k++) {
            const struct store_pulse_latest_item *it = &p->items[k];
            if (isnan(it->share))
                buf_printf(text, " \"%s\": too few answers to show.", it->text);
            else
                buf_printf(text, " \"%s\": %.0f%% agree%s%s.", it->text, it->share,
                           it->has_signal ? ", its chart showing " : "",
                           it->has_signal ? variation_words(it->variation) : "");
        }
        char label[STORE_TITLE_MAX + 32];
        snprintf(label, sizeof label, "Results of \"%s\"", p->title);
        rc = wl_link(e, STORE_WL_TO_PULSE, p->pulse_id, NULL, label, err);
        e->count++;
    }
    if (rc == 0 && !l.n)
        buf_puts(text, "No purpose pulse has closed a wave yet.");
    store_pulse_latest_list_release(&l);
    return rc;
}
