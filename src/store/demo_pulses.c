/* The pulses demo: the trust's purpose pulse over twelve monthly waves (December 2025 to November
 * 2026), its answers made up person by person from a fixed generator and loaded as each closed
 * wave's counts. Agreement rises after the co-design conversation closes (30 April 2026), so the
 * P charts show a shift; estates staff answer three at a time, so their group stays under 5 and is
 * never shown. */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

#define DEMO_WAVES 12
#define DEMO_GROUPS 6 /* everyone, then the staff groups in store_groups order */

static const char *const demo_groups[DEMO_GROUPS] = {"", "sg-nursing", "sg-medical", "sg-ahp", "sg-admin",
                                                     "sg-estates"};

/* A fixed linear congruential generator: the same demo every time. */
static uint32_t demo_next(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*state >> 33);
}

static int demo_value(uint64_t *state, int percent_agree)
{
    uint32_t r = demo_next(state) % 100;
    if ((int)r < percent_agree)
        return demo_next(state) % 10 < 3 ? 5 : 4;
    return 1 + (int)(demo_next(state) % 3);
}

static int demo_trust(struct store *s, int64_t trust, struct purpose_err *err)
{
    const struct store_actor by = {0, "cli"};
    struct store_scope scope = {STORE_SCOPE_ORG, trust};
    const char *statements[4];
    memcpy(statements, store_pulse_defaults, sizeof statements);
    struct store_pulse_input in = {.title = "Purpose pulse", .cadence = "monthly", .audience = 420,
                                   .statements = statements, .nstatements = 4};
    int64_t id = 0;
    if (store_pulse_add(s, &by, scope, &in, &id, err) < 0)
        return -1;
    static const int base[4] = {62, 48, 41, 45}; /* percent agreeing before the conversation closed */
    uint64_t state = 20;
    int64_t counts[4 * DEMO_GROUPS * STORE_PULSE_VALUES];
    for (int w = 0; w < DEMO_WAVES; w++) {
        memset(counts, 0, sizeof counts);
        int month = (11 + w) % 12 + 1, year = 2025 + (11 + w) / 12; /* December 2025 onwards */
        int64_t opened = 0;
        /* days from 1970-01-01 to the 1st of the month (civil calendar, Howard Hinnant's days_from_civil) */
        {
            int y = month <= 2 ? year - 1 : year;
            int era = y / 400, yoe = y - era * 400;
            int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5;
            int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            opened = ((int64_t)era * 146097 + doe - 719468) * 86400;
        }
        bool after = year > 2026 || (year == 2026 && month >= 5);
        int people = 130 + (int)(demo_next(&state) % 50);
        for (int p = 0; p < people; p++) {
            /* one staff group each, or none: estates three a wave (always under 5) */
            uint32_t r = demo_next(&state) % 100;
            int g = p < 3 ? 5 : r < 40 ? 1 : r < 55 ? 2 : r < 70 ? 3 : r < 90 ? 4 : 0;
            for (int st = 0; st < 4; st++) {
                int v = demo_value(&state, base[st] + (after ? 16 : 0));
                counts[(st * DEMO_GROUPS + 0) * STORE_PULSE_VALUES + v - 1]++;
                if (g)
                    counts[(st * DEMO_GROUPS + (size_t)g) * STORE_PULSE_VALUES + v - 1]++;
            }
        }
        if (store_pulse_load_wave(s, &by, scope, id, opened, opened + 14 * 86400, 0, people / 10, demo_groups,
                                  DEMO_GROUPS, counts, err) < 0)
            return -1;
    }
    return 0;
}

/* The handover programme's own pulse: three statements of its partners' own, six monthly waves of
 * answers without groups. */
static int demo_programme(struct store *s, int64_t programme, struct purpose_err *err)
{
    const struct store_actor by = {0, "cli"};
    struct store_scope scope = {STORE_SCOPE_PROGRAMME, programme};
    const char *statements[3] = {"I know what the handover programme is for",
                                 "Handovers have got quicker where I work",
                                 "Our organisations work as one team at handover"};
    struct store_pulse_input in = {.title = "Handover programme pulse", .cadence = "monthly", .audience = 160,
                                   .statements = statements, .nstatements = 3};
    int64_t id = 0;
    if (store_pulse_add(s, &by, scope, &in, &id, err) < 0)
        return -1;
    uint64_t state = 7;
    const char *everyone[1] = {""};
    for (int w = 0; w < 6; w++) {
        int64_t counts[3 * STORE_PULSE_VALUES] = {0};
        int people = 40 + (int)(demo_next(&state) % 20);
        for (int p = 0; p < people; p++)
            for (int st = 0; st < 3; st++)
                counts[st * STORE_PULSE_VALUES + (size_t)demo_value(&state, 45 + 3 * w) - 1]++;
        int64_t opened = INT64_C(1780272000) + (int64_t)w * 30 * 86400; /* from 1 June 2026 */
        if (store_pulse_load_wave(s, &by, scope, id, opened, opened + 10 * 86400, 0, people / 4, everyone, 1, counts,
                                  err) < 0)
            return -1;
    }
    return 0;
}

int store_demo_pulses(struct store *s, int64_t trust, int64_t programme, struct purpose_err *err)
{
    return demo_trust(s, trust, err) < 0 ? -1 : demo_programme(s, programme, err);
}
