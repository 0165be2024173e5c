/* The import rule the CLI and the web share (handovers_run.h). */
#include "store/handovers_run.h"
#include "core/banned.h"

static int on_row(void *ctx, const struct ho_row *row, struct purpose_err *err)
{
    struct store_ho_run *run = ctx;
    if (run->bad && !run->skip_bad)
        return 0; /* refused anyway: only keep listing the bad rows */
    return store_ho_import_row(run->im, row, err);
}

static int on_bad(void *ctx, const struct ho_bad *bad, struct purpose_err *err)
{
    struct store_ho_run *run = ctx;
    run->bad++;
    return run->on_bad ? run->on_bad(run->ctx, bad, err) : 0;
}

int store_ho_run_begin(struct store_ho_run *run, struct store *s, const struct store_actor *by,
                       const struct store_scope *scope, const char *source, struct purpose_err *err)
{
    run->bad = 0;
    run->im = NULL;
    run->sink = (struct ho_sink){on_row, on_bad, run};
    return store_ho_import_begin(s, by, scope, source, &run->im, err);
}

bool store_ho_run_refused(const struct store_ho_run *run, int rc)
{
    return rc == 0 && run->bad && !run->skip_bad;
}

int store_ho_run_end(struct store_ho_run *run, int rc, struct store_ho_summary *sum, struct purpose_err *err)
{
    if (!run->im)
        return rc;
    struct purpose_err end_err = {0};
    bool commit = rc == 0 && !store_ho_run_refused(run, rc);
    if (store_ho_import_end(&run->im, commit, run->bad, sum, &end_err) < 0 && rc == 0) {
        *err = end_err;
        return -1;
    }
    return rc;
}
