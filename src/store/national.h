#ifndef PURPOSE_STORE_NATIONAL_H
#define PURPOSE_STORE_NATIONAL_H
/* A synthetic national installation (national.c, national_work.c), for the benchmark at scale
 * (bench/scale.sh) and for trying Purpose at the size it is meant for. At scale 1 it is England's
 * NHS in outline: about 210 trusts and 10 ambulance services (organisations with made-up names of
 * real places and ODS-like codes: R + two characters for a trust, RX + one for an ambulance
 * service), 42 integrated care boards as partnership programmes of the trusts of their area and an
 * ambulance service, and one handover collaborative of ten partners; staff; conversations with a
 * million contributions and ten million votes; projects under each trust's ambitions; 100,000
 * measures with a year of weekly points; 50 million ambulance handovers. A smaller scale shrinks
 * every total by F and the organisations with it, down to ten trusts, one ambulance service and one
 * integrated care board. Everything goes in through the store's own writes and its bulk paths
 * (store_ideas_load, store_votes_load, store_measures_import, the handover import), so the rows
 * are those the web and the API would make.
 *
 * The same scale and seed give the same names, text, numbers and counts on every run; the ids of
 * contributions stay random as every contribution's are (docs/privacy.md). Nothing is real: no
 * organisation, person or patient. The generated staff share one random password that nobody is
 * told (add a user with `purpose user add` to sign in). */

#include <stdint.h>

#include "store/store.h"

#define STORE_NATIONAL_SCALE_MIN 0.0001

/* What a scale holds (store_national_plan) or what was written (store_national). */
struct store_national_sizes {
    uint64_t trusts, ambulance, icbs, staff;
    uint64_t conversations, participants, contributions, votes;
    uint64_t projects, measures, points;
    uint64_t handover_rows;
};

struct store_national_opts {
    double scale;  /* STORE_NATIONAL_SCALE_MIN to 1 */
    uint64_t seed;
    /* Told after each step: what is being written and how far it has got (may be NULL). */
    void (*progress)(void *ctx, const char *what, uint64_t done, uint64_t total);
    void *ctx;
};

/* The sizes at scale (clamped to STORE_NATIONAL_SCALE_MIN..1). */
void store_national_plan(double scale, struct store_national_sizes *out);

/* Writes the installation into a store that has no organisation yet (CONFLICT otherwise; nothing is
 * then written). Each organisation, conversation and handover import commits on its own: a failure
 * part way leaves what was done before it, and says where it stopped. made, if not NULL, receives
 * what was written. */
int store_national(struct store *s, const struct store_national_opts *o, struct store_national_sizes *made,
                   struct purpose_err *err);

#endif
