/* participants-votes.csv as pol.is exports it (opinion.h). */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "opinion/opinion.h"
#include "core/banned.h"

void op_participants_votes_csv(struct buf *b, const struct op_export *e, const struct op_result *r)
{
    size_t P = e->input.n_participants, S = e->input.n_statements;
    buf_puts(b, "participant,group-id,n-comments,n-votes,n-agree,n-disagree");
    for (size_t j = 0; j < S; j++)
        if (!e->excluded[j])
            buf_printf(b, ",%llu", (unsigned long long)e->statement_id[j]);
    buf_putc(b, '\n');
    /* Each participant's votes, a row at a time: the votes are read once, in participant order
     * or not, through a row of S cells. */
    int8_t *row = malloc(S ? S : 1);
    size_t *first = calloc(P + 1, sizeof *first);
    size_t *at = malloc(e->input.n_votes ? e->input.n_votes * sizeof *at : 1);
    if (!row || !first || !at) {
        free(row);
        free(first);
        free(at);
        b->failed = true;
        return;
    }
    for (size_t v = 0; v < e->input.n_votes; v++)
        first[e->input.votes[v].participant + 1]++;
    for (size_t i = 0; i < P; i++)
        first[i + 1] += first[i];
    size_t *fill = calloc(P ? P : 1, sizeof *fill);
    if (!fill) {
        free(row);
        free(first);
        free(at);
        b->failed = true;
        return;
    }
    for (size_t v = 0; v < e->input.n_votes; v++) {
        uint32_t i = e->input.votes[v].participant;
        at[first[i] + fill[i]++] = v;
    }
    free(fill);
    for (size_t i = 0; i < P && !b->failed; i++) {
        memset(row, 2, S); /* 2: no vote */
        unsigned nv = 0, na = 0, nd = 0;
        for (size_t q = first[i]; q < first[i + 1]; q++) {
            const struct op_vote *v = &e->input.votes[at[q]];
            if (e->excluded[v->statement])
                continue;
            row[v->statement] = v->value;
            nv++;
            na += v->value > 0;
            nd += v->value < 0;
        }
        buf_printf(b, "%llu,", (unsigned long long)e->participant_id[i]);
        if (r && r->group[i] >= 0)
            buf_printf(b, "%d", (int)r->group[i]);
        buf_printf(b, ",0,%u,%u,%u", nv, na, nd);
        for (size_t j = 0; j < S; j++)
            if (!e->excluded[j]) {
                if (row[j] == 2)
                    buf_putc(b, ',');
                else
                    buf_printf(b, ",%d", (int)row[j]);
            }
        buf_putc(b, '\n');
    }
    free(row);
    free(first);
    free(at);
}
