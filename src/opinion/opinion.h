#ifndef PURPOSE_OPINION_H
#define PURPOSE_OPINION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "purpose/err.h"

/* Opinion groups as pol.is publishes its method (compdemocracy/polis, math/): who votes like whom,
 * what each group thinks, and which statements every group agrees on. Pure computation: no I/O, no
 * globals, no printing; the same votes always give the same result (docs/opinions.md).
 *
 * Participants and statements are dense indexes 0..n-1 chosen by the caller. A vote is +1 agree,
 * -1 disagree, 0 pass. op_group copies what it needs from the input; the result it returns is
 * owned by the caller and freed with op_result_free. */

struct op_vote {
    uint32_t participant;
    uint32_t statement;
    int8_t value; /* -1, 0, +1 */
};

struct op_input {
    size_t n_participants;
    size_t n_statements;
    const struct op_vote *votes; /* at most one per (participant, statement) */
    size_t n_votes;
    const bool *excluded; /* n_statements flags, true = moderated out; NULL when none */
    /* n_participants flags, NULL when none: grouped whatever their vote count (pol.is keeps a
     * participant who once had enough votes; op_export.polis_in_conv replays that). */
    const bool *in_conv;
};

struct op_opts {
    unsigned min_votes;        /* a participant is grouped with this many votes (or all statements): pol.is 7 */
    unsigned min_participants; /* fewer grouped participants than this is refused as noise: pol.is 15 */
    unsigned base_k;           /* base clusters before grouping: pol.is 100 (2..1000) */
    unsigned max_k;            /* groups tried, 2..max_k, chosen by silhouette: pol.is 5 */
    unsigned max_reps;         /* representative statements kept per group: pol.is 5 (at most 64) */
    uint64_t seed;             /* fixes the k-means seeding and the power iteration's start */
    /* pol.is zeroes a moderated-out statement's column rather than dropping it, so in its
     * sparsity scaling sqrt(statements / votes) every participant counts it as a vote cast. True
     * reproduces that (to compare with pol.is's own groups); false (the default) leaves
     * moderated-out statements out of everything. */
    bool polis_scaling;
    /* Groups of fewer participants than this are merged into the nearest group before their
     * statistics are computed, so that none is shown alone (Purpose's pages: 5, the disclosure
     * rule); 0 keeps every group as found (pol.is). Fails with PURPOSE_ERR_INPUT when fewer than
     * two groups would be left. */
    unsigned min_group;
};

/* pol.is's defaults: 7 votes, 15 participants, 100 base clusters, k up to 5, 5 statements, no merging. */
void op_opts_default(struct op_opts *o);

/* A statement that sets a group apart (pol.is's "repness"): the group agrees (or disagrees) with it
 * more than everyone else, by the ratio of the two (Laplace-smoothed) probabilities, with a
 * two-proportion z-test against the rest and a one-proportion z-test against a coin toss. */
struct op_rep {
    uint32_t statement;
    bool agree;        /* true: the group agrees; false: it disagrees */
    uint32_t n_success; /* group members who agreed (or disagreed) */
    uint32_t n_trials;  /* group members who voted on it, passes included */
    double p;          /* (n_success + 1) / (n_trials + 2) */
    double p_test;     /* z of p against 1/2 */
    double ratio;      /* p / the same probability among the other groups */
    double ratio_test; /* z of the two-proportion test, group against the rest */
};

struct op_group {
    uint32_t size;        /* participants in the group */
    double cx, cy;        /* its centre on the map */
    size_t n_reps;
    struct op_rep *reps;  /* agrees first, then disagrees (pol.is's order) */
};

struct op_result {
    size_t n_participants, n_statements;
    size_t n_grouped;     /* participants with enough votes to be grouped */
    size_t k;             /* groups, 2..max_k, largest first */
    double silhouette;    /* of the chosen k, over the base clusters: -1..1 */
    int32_t *group;       /* n_participants: 0..k-1, or -1 when not grouped (too few votes) */
    double *x, *y;        /* n_participants: the map (NaN for a participant with no counted vote) */
    struct op_group *groups; /* k */
    /* n_statements each; NaN for a moderated-out statement: the product over groups of
     * (agrees + 1) / (votes + 2), pol.is's group-informed consensus. */
    double *consensus;
    /* k * n_statements each, row g: the votes of group g's members on each statement. */
    uint32_t *agrees, *disagrees, *seen;
};

/* Groups the participants. Fails with PURPOSE_ERR_INPUT when a vote is out of range or repeated,
 * or when fewer than opts->min_participants participants have enough votes (the message says how
 * many); PURPOSE_ERR_INTERNAL when out of memory. opts may be NULL for the defaults. */
int op_group_votes(const struct op_input *in, const struct op_opts *opts, struct op_result **out,
                   struct purpose_err *err);
void op_result_free(struct op_result **r);

/* ---- pol.is exports ---- */

/* A pol.is export read from memory: comments.csv (columns comment-id and moderated; comment-body
 * kept when present) and votes.csv (columns comment-id, voter-id, vote; timestamp when present).
 * Ids are whole numbers. A moderated value of -1 excludes the statement. The same voter on the
 * same statement again at a later timestamp is a re-vote and the latest counts (as in pol.is); the
 * same vote repeated at the same time counts once (real exports hold a few); two different votes
 * at the same time (or in a file without a timestamp column) are a duplicate and refused.
 * The export owns every array and text. */
struct op_export {
    struct op_input input;
    uint64_t *participant_id; /* input.n_participants, ascending */
    uint64_t *statement_id;   /* input.n_statements, ascending */
    char **text;              /* input.n_statements: the comment body ("" without the column) */
    bool *excluded;
    struct op_vote *votes;
    /* input.n_participants: who pol.is would have grouped, replaying the votes in time order
     * (it keeps a participant once in): see op_input.in_conv. */
    bool *polis_in_conv;
};

/* Reads an export; the names are the files' for messages. e is filled on success and left empty
 * (nothing to release) on failure. Bad input (a missing column, a vote that is not -1/0/1, an id that is not a
 * whole number, an unknown statement, a duplicate) fails with PURPOSE_ERR_INPUT, a message naming
 * the file, line and column ("votes.csv:12: column \"vote\": \"2\" is not -1, 0 or 1"), and
 * err->field set to the column. */
int op_export_read(struct op_export *e, const char *comments_name, const char *comments, size_t comments_len,
                   const char *votes_name, const char *votes, size_t votes_len, struct purpose_err *err);
void op_export_release(struct op_export *e);

/* pol.is's participants-votes.csv for e, appended to b: a row per participant (participant,
 * group-id from r, empty when not grouped or r is NULL; n-comments 0, as authorship is not
 * exported; n-votes, n-agree, n-disagree), then a column per statement that counts (moderated-out
 * ones left out), 1, -1, 0 or empty. Out of memory sets b->failed. */
struct buf;
void op_participants_votes_csv(struct buf *b, const struct op_export *e, const struct op_result *r);

#endif
