/* Fuzzer for the pol.is export reader (op_export_read) and the grouping behind `purpose opinions`:
 * the input is comments.csv, a NUL byte, then votes.csv. A refusal must name the file, say what
 * is wrong and leave nothing allocated; an accepted export has every vote in range and no repeat,
 * and grouping it either refuses with a reason or gives every grouped participant a group in
 * 0..k-1 and every counted statement a consensus in (0, 1]. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opinion/opinion.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *c = (const char *)data;
    const char *nul = memchr(c, '\0', size);
    size_t clen = nul ? (size_t)(nul - c) : size;
    const char *v = nul ? nul + 1 : "";
    size_t vlen = nul ? size - clen - 1 : 0;
    struct op_export e;
    struct purpose_err err = {0};
    if (op_export_read(&e, "comments.csv", c, clen, "votes.csv", v, vlen, &err) < 0) {
        if (err.msg[0] == '\0' || (strncmp(err.msg, "comments.csv", 12) != 0 && strncmp(err.msg, "votes.csv", 9) != 0 &&
                                   strcmp(err.msg, "out of memory") != 0))
            abort();
        if (e.votes || e.text || e.statement_id)
            abort();
        return 0;
    }
    for (size_t i = 0; i < e.input.n_votes; i++)
        if (e.votes[i].participant >= e.input.n_participants || e.votes[i].statement >= e.input.n_statements ||
            e.votes[i].value < -1 || e.votes[i].value > 1)
            abort();
    for (int pass = 0; pass < 2; pass++) {
        struct op_opts o;
        op_opts_default(&o);
        o.min_participants = 2;
        o.min_votes = pass ? 1 : 7;
        o.polis_scaling = pass;
        e.input.in_conv = pass ? e.polis_in_conv : NULL;
        struct op_result *r = NULL;
        if (op_group_votes(&e.input, &o, &r, &err) < 0) {
            if (r || err.msg[0] == '\0')
                abort();
            continue;
        }
        if (r->k < 2 || r->k > o.max_k)
            abort();
        for (size_t i = 0; i < r->n_participants; i++)
            if (r->group[i] < -1 || r->group[i] >= (int32_t)r->k)
                abort();
        for (size_t j = 0; j < r->n_statements; j++)
            if (!e.excluded[j] && !(r->consensus[j] > 0 && r->consensus[j] <= 1))
                abort();
        op_result_free(&r);
    }
    op_export_release(&e);
    return 0;
}
