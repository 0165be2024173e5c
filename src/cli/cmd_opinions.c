/* purpose opinions DIR: opinion groups of a pol.is export (votes.csv, comments.csv), by the method
 * of src/opinion (docs/opinions.md). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/json.h"
#include "ingest/ingest.h"
#include "opinion/opinion.h"
#include "core/banned.h"

void cmd_opinions_help(void)
{
    printf("usage: purpose opinions DIR [--format csv|json] [--as-polis] [--seed N] [--min-group N]\n"
           "       purpose opinions --conversation ID [--db PATH|URL] [--key-file PATH] [--format csv|json]\n"
           "       purpose opinions --conversation ID [--db PATH|URL] [--key-file PATH] --export DIR\n\n"
           "Groups the participants of a pol.is export by how they vote, as pol.is does: the vote\n"
           "matrix, its two principal components, k-means of 2 to 5 groups chosen by silhouette\n"
           "(docs/opinions.md). DIR holds comments.csv (comment-id, moderated, comment-body) and\n"
           "votes.csv (comment-id, voter-id, vote, timestamp), as pol.is exports them. Statements\n"
           "moderated out (-1) count nowhere. A voter's latest vote on a statement counts.\n\n"
           "--conversation ID does the same for a stored conversation with opinion groups on (its\n"
           "votes cast since; the database and key file as for purpose serve). --export DIR writes\n"
           "it in pol.is's format instead: comments.csv, votes.csv and participants-votes.csv (with\n"
           "each participant's group-id), which purpose opinions DIR reads back to the same groups.\n\n"
           "--format csv (the default) prints participant,group for every voter; the group is empty\n"
           "for one with fewer than 7 votes. --format json prints the groups with their sizes and\n"
           "representative statements, each statement's group-informed consensus (highest first),\n"
           "and every participant's group and place on the map.\n\n"
           "--as-polis follows two pol.is quirks, to compare with its own groups: a participant once\n"
           "grouped stays grouped (replayed from the timestamps), and moderated-out statements count\n"
           "as votes cast in the sparsity scaling. --seed changes the k-means seeding (default 1).\n"
           "--min-group N merges groups of fewer than N people into the nearest, as Purpose's pages\n"
           "do with 5 (default: none merged, as pol.is).\n\n"
           "A malformed export is refused naming the file, line and column (exit 1); so is a\n"
           "conversation with too few participants to group (fewer than 15 with 7 votes).\n");
}

static int usage_err(const char *fmt, const char *arg)
{
    fputs("purpose opinions: ", stderr);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    fprintf(stderr, fmt, arg);
#pragma GCC diagnostic pop
    fputc('\n', stderr);
    return CLI_USAGE;
}

static void csv_out(struct buf *b, const struct op_export *e, const struct op_result *r)
{
    buf_puts(b, "participant,group\n");
    for (size_t i = 0; i < r->n_participants; i++) {
        if (r->group[i] >= 0)
            buf_printf(b, "%llu,%d\n", (unsigned long long)e->participant_id[i], (int)r->group[i]);
        else
            buf_printf(b, "%llu,\n", (unsigned long long)e->participant_id[i]);
    }
}

static void json_statement(struct buf *b, const struct op_export *e, uint32_t j)
{
    buf_printf(b, "\"statement\":%llu,\"text\":", (unsigned long long)e->statement_id[j]);
    json_write_string(b, e->text[j], strlen(e->text[j]));
}

struct ranked { double c; uint32_t j; };
static int by_consensus(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->c != y->c)
        return x->c > y->c ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

static int json_out(struct buf *b, const struct op_export *e, const struct op_result *r)
{
    size_t S = r->n_statements, counted = 0;
    for (size_t j = 0; j < S; j++)
        counted += !e->excluded[j];
    buf_printf(b, "{\"participants\":%zu,\"grouped\":%zu,\"statements\":%zu,\"silhouette\":", r->n_participants,
               r->n_grouped, counted);
    json_write_number(b, r->silhouette);
    buf_puts(b, ",\"groups\":[");
    for (size_t g = 0; g < r->k; g++) {
        const struct op_group *grp = &r->groups[g];
        buf_printf(b, "%s\n{\"group\":%zu,\"size\":%u,\"representative\":[", g ? "," : "", g, grp->size);
        for (size_t i = 0; i < grp->n_reps; i++) {
            const struct op_rep *p = &grp->reps[i];
            buf_puts(b, i ? ",{" : "{");
            json_statement(b, e, p->statement);
            buf_printf(b, ",\"direction\":\"%s\",\"count\":%u,\"voted\":%u,\"probability\":",
                       p->agree ? "agree" : "disagree", p->n_success, p->n_trials);
            json_write_number(b, p->p);
            buf_puts(b, ",\"probability_z\":");
            json_write_number(b, p->p_test);
            buf_puts(b, ",\"ratio\":");
            json_write_number(b, p->ratio);
            buf_puts(b, ",\"ratio_z\":");
            json_write_number(b, p->ratio_test);
            buf_puts(b, "}");
        }
        buf_puts(b, "]}");
    }
    buf_puts(b, "],\n\"consensus\":[");
    struct ranked *rk = malloc((counted ? counted : 1) * sizeof *rk);
    if (!rk)
        return -1;
    size_t n = 0;
    for (size_t j = 0; j < S; j++)
        if (!e->excluded[j])
            rk[n++] = (struct ranked){r->consensus[j], (uint32_t)j};
    qsort(rk, n, sizeof *rk, by_consensus);
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, i ? ",\n{" : "\n{");
        json_statement(b, e, rk[i].j);
        buf_puts(b, ",\"consensus\":");
        json_write_number(b, rk[i].c);
        buf_puts(b, ",\"agree\":[");
        for (size_t g = 0; g < r->k; g++)
            buf_printf(b, "%s%u", g ? "," : "", r->agrees[g * S + rk[i].j]);
        buf_puts(b, "],\"voted\":[");
        for (size_t g = 0; g < r->k; g++)
            buf_printf(b, "%s%u", g ? "," : "", r->seen[g * S + rk[i].j]);
        buf_puts(b, "]}");
    }
    free(rk);
    buf_puts(b, "],\n\"participants_groups\":[");
    for (size_t i = 0; i < r->n_participants; i++) {
        buf_printf(b, "%s{\"participant\":%llu,\"group\":", i ? ",\n" : "\n", (unsigned long long)e->participant_id[i]);
        if (r->group[i] >= 0)
            buf_printf(b, "%d", (int)r->group[i]);
        else
            buf_puts(b, "null");
        buf_puts(b, ",\"x\":");
        json_write_number(b, r->x[i]);
        buf_puts(b, ",\"y\":");
        json_write_number(b, r->y[i]);
        buf_puts(b, "}");
    }
    buf_puts(b, "]}\n");
    return 0;
}

/* Writes data to DIR/name (made 0600: an export holds every grouped vote). */
static int write_file(const char *dir, const char *name, const struct buf *data, struct purpose_err *err)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return purpose_errf(err, "%s: the folder's path is too long", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    if (!f) {
        if (fd >= 0)
            close(fd);
        return purpose_errf(err, "%s: %s", path, strerror(errno));
    }
    bool ok = fwrite(data->data, 1, data->len, f) == data->len;
    if (fclose(f) != 0 || !ok)
        return purpose_errf(err, "%s: writing failed", path);
    return 0;
}

/* --export DIR: comments.csv and votes.csv as read, participants-votes.csv with the groups (empty
 * when too few to group: r NULL). */
static int export_dir(const char *dir, const struct buf *comments, const struct buf *votes, const struct op_export *e,
                      const struct op_result *r, struct purpose_err *err)
{
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return purpose_errf(err, "%s: %s", dir, strerror(errno));
    struct buf pv;
    buf_init(&pv, (size_t)1 << 31);
    op_participants_votes_csv(&pv, e, r);
    int rc = pv.failed ? purpose_errf(err, "out of memory (participants-votes.csv is too large)") : 0;
    if (rc == 0)
        rc = write_file(dir, "comments.csv", comments, err);
    if (rc == 0)
        rc = write_file(dir, "votes.csv", votes, err);
    if (rc == 0)
        rc = write_file(dir, "participants-votes.csv", &pv, err);
    buf_release(&pv);
    return rc;
}

static int read_file(const char *path, struct buf *out, struct purpose_err *err)
{
    struct ingest_input in = {0};
    if (ingest_input_open(&in, path, err) < 0)
        return -1;
    buf_append(out, in.data, in.len);
    ingest_input_close(&in);
    return out->failed ? purpose_errf(err, "%s: out of memory", path) : 0;
}

/* The value of option a (--name VALUE or --name=VALUE) at argv[*i], or NULL when missing. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    return *i + 1 < argc ? argv[++*i] : "";
}

static bool is_opt(const char *a, const char *name)
{
    size_t n = strlen(name);
    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

/* What purpose opinions was asked for. */
struct opinions_args {
    const char *dir, *db, *key, *out_dir;
    long long conversation;
    bool json, as_polis;
    struct op_opts o;
};

/* Reads the command line into oa: 0, or CLI_USAGE having said what is wrong. */
static int opinions_args(int argc, char **argv, struct opinions_args *oa)
{
    op_opts_default(&oa->o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        bool known = true;
        if (is_opt(a, "--format") || is_opt(a, "--seed") || is_opt(a, "--conversation") || is_opt(a, "--db") ||
            is_opt(a, "--key-file") || is_opt(a, "--export") || is_opt(a, "--min-group")) {
            const char *name = a;
            char opt[32];
            snprintf(opt, sizeof opt, "%.*s", (int)strcspn(a, "="), a);
            name = opt;
            v = opt_value(argc, argv, &i, name);
            if (!v || !*v)
                return usage_err("%s needs a value", name);
            if (strcmp(name, "--format") == 0) {
                if (strcmp(v, "json") == 0)
                    oa->json = true;
                else if (strcmp(v, "csv") == 0)
                    oa->json = false;
                else
                    return usage_err("--format: \"%s\" is not csv or json", v);
            } else if (strcmp(name, "--seed") == 0 || strcmp(name, "--conversation") == 0 ||
                       strcmp(name, "--min-group") == 0) {
                char *end;
                unsigned long long n = strtoull(v, &end, 10);
                if (*v < '0' || *v > '9' || *end || (strcmp(name, "--seed") != 0 && (n < 1 || n > (1ULL << 53))))
                    return usage_err(strcmp(name, "--seed") == 0 ? "--seed: \"%s\" is not a whole number"
                                     : strcmp(name, "--conversation") == 0
                                         ? "--conversation: \"%s\" is not a conversation's id"
                                         : "--min-group: \"%s\" is not a whole number from 1",
                                     v);
                if (strcmp(name, "--seed") == 0)
                    oa->o.seed = n;
                else if (strcmp(name, "--conversation") == 0)
                    oa->conversation = (long long)n;
                else
                    oa->o.min_group = n > 1000000 ? 1000000 : (unsigned)n;
            } else if (strcmp(name, "--db") == 0) {
                oa->db = v;
            } else if (strcmp(name, "--key-file") == 0) {
                oa->key = v;
            } else {
                oa->out_dir = v;
            }
        } else if (strcmp(a, "--as-polis") == 0) {
            oa->as_polis = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            known = false;
        } else if (!oa->dir) {
            oa->dir = a;
        } else {
            return usage_err("one folder only: '%s' is extra", a);
        }
        if (!known)
            return usage_err("unknown option '%s'", a);
    }
    if (!oa->dir && !oa->conversation)
        return usage_err("%s", "which folder? usage: purpose opinions DIR [--format csv|json] "
                               "(or --conversation ID [--db LOC])");
    if (oa->dir && oa->conversation)
        return usage_err("%s", "a folder or --conversation, not both");
    if ((oa->db || oa->key) && !oa->conversation)
        return usage_err("%s", "--db and --key-file go with --conversation");
    if (oa->out_dir && !oa->conversation)
        return usage_err("%s", "--export goes with --conversation (a pol.is folder is already an export)");
    return 0;
}

int cmd_opinions(int argc, char **argv)
{
    struct opinions_args oa = {0};
    int usage = opinions_args(argc, argv, &oa);
    if (usage)
        return usage;
    const char *dir = oa.dir, *out_dir = oa.out_dir;
    struct op_opts o = oa.o;

    char cpath[4096] = "comments.csv", vpath[4096] = "votes.csv";
    if (dir && ((size_t)snprintf(cpath, sizeof cpath, "%s/comments.csv", dir) >= sizeof cpath ||
                (size_t)snprintf(vpath, sizeof vpath, "%s/votes.csv", dir) >= sizeof vpath))
        return usage_err("%s", "the folder's path is too long");
    struct purpose_err err = {0};
    struct op_export e = {0};
    struct op_result *r = NULL;
    struct buf b, cb, vb;
    buf_init(&b, (size_t)1 << 31);
    buf_init(&cb, (size_t)1 << 31);
    buf_init(&vb, (size_t)1 << 31);
    int rc = CLI_FAILED;
    if (oa.conversation ? cli_opinions_stored(oa.db, oa.key, (int64_t)oa.conversation, &cb, &vb, &err) < 0
                        : read_file(cpath, &cb, &err) < 0 || read_file(vpath, &vb, &err) < 0)
        goto out;
    if (op_export_read(&e, cpath, cb.data ? cb.data : "", cb.len, vpath, vb.data ? vb.data : "", vb.len, &err) < 0)
        goto out;
    if (oa.as_polis) {
        o.polis_scaling = true;
        e.input.in_conv = e.polis_in_conv;
    }
    if (op_group_votes(&e.input, &o, &r, &err) < 0) {
        if (!out_dir || err.kind != PURPOSE_ERR_INPUT)
            goto out;
        fprintf(stderr, "purpose opinions: %s: exported without groups\n", err.msg);
        err = (struct purpose_err){0};
    }
    if (out_dir) {
        if (export_dir(out_dir, &cb, &vb, &e, r, &err) == 0)
            rc = CLI_OK;
        goto out;
    }
    if (oa.json ? json_out(&b, &e, r) < 0 : (csv_out(&b, &e, r), 0))
        purpose_errf(&err, "out of memory");
    else if (b.failed)
        purpose_errf(&err, "out of memory (the output is too large)");
    else if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0)
        purpose_errf(&err, "writing the output failed");
    else
        rc = CLI_OK;
out:
    if (rc != CLI_OK)
        fprintf(stderr, "purpose opinions: %s\n", err.msg);
    op_result_free(&r);
    op_export_release(&e);
    buf_release(&b);
    buf_release(&cb);
    buf_release(&vb);
    return rc;
}
