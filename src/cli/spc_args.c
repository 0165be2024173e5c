#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/spc_cli.h"
#include "core/num.h"
#include "core/banned.h"

void cmd_spc_help(void)
{
    printf("usage: purpose spc [OPTIONS] FILE\n"
           "\n"
           "Making Data Count statistical process control: reads a CSV with a header row\n"
           "(FILE, or - for standard input) and writes a chart's centre line, limits, special-cause\n"
           "rules, runs analysis, point types and the variation and assurance icons.\n"
           "\n"
           "options:\n"
           "  --x COL              x column (default x): dates, numbers or labels\n"
           "  --y COL              value column (default y); empty or NA is a missing value\n"
           "  --series COL         one chart per value of COL, in order of first appearance\n"
           "  --chart TYPE         xmr (default), run, p, pp, u, up, c, g or t (see docs/spc.md)\n"
           "  --denominator COL    denominators: y is the numerator (needed by p, pp, u, up)\n"
           "  --per NUM            multiply values, centre and limits (100 for %%, 1000 per 1,000)\n"
           "  --improvement DIR    increase (default), decrease or neutral\n"
           "  --target NUM         target, for the assurance icon\n"
           "  --rebase X[,X...]    start a new group (new limits) at these x values\n"
           "  --fix-after N        limits from each group's first N values (N >= 12)\n"
           "  --no-screen-outliers keep moving ranges over 3.267 x the mean moving range\n"
           "  --format FMT         csv (default), json, summary, or a chart: svg, png or pdf\n"
           "  --title TEXT         the chart's title (default: the series name, else the y column)\n"
           "  --annotations FILE   notes drawn on a chart as labelled markers: a CSV with columns\n"
           "                       date,label[,series] (e.g. 2024-03-04,New triage model)\n"
           "  -o FILE              write to FILE (a directory for a chart format with --series)\n"
           "\n"
           "Exit status: 0 done, 1 bad input (FILE:LINE: what is wrong), 2 bad usage.\n"
           "See docs/spc.md for what the rules and icons mean.\n");
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "purpose spc: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'purpose help spc')\n");
    return CLI_USAGE;
}

static int parse_format(const char *v, enum spc_format *f)
{
    static const struct {
        const char *name;
        enum spc_format format;
    } formats[] = {
        {"csv", SPC_FORMAT_CSV}, {"json", SPC_FORMAT_JSON}, {"summary", SPC_FORMAT_SUMMARY},
        {"svg", SPC_FORMAT_SVG}, {"png", SPC_FORMAT_PNG},   {"pdf", SPC_FORMAT_PDF},
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(v, formats[i].name) == 0) {
            *f = formats[i].format;
            return CLI_OK;
        }
    }
    return usage_error("--format: \"%s\" is not one of csv, json, summary, svg, png, pdf", v);
}

static int split_rebase(struct spc_args *a, const char *v)
{
    free(a->rebase_list);
    free(a->rebase);
    a->rebase_list = strdup(v);
    size_t n = 1;
    for (const char *p = v; *p; p++)
        n += *p == ',';
    a->rebase = calloc(n, sizeof *a->rebase);
    if (!a->rebase_list || !a->rebase) {
        fprintf(stderr, "purpose spc: out of memory\n");
        return CLI_FAILED;
    }
    a->n_rebase = 0;
    for (char *tok = a->rebase_list, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        if (*tok == '\0')
            return usage_error("--rebase: empty value in \"%s\"", v);
        a->rebase[a->n_rebase++] = tok;
    }
    return CLI_OK;
}

/* Options that take a value; each sets one field. */
static int set_option(struct spc_args *a, const char *name, const char *v)
{
    if (strcmp(name, "--x") == 0) {
        a->x_col = v;
    } else if (strcmp(name, "--y") == 0) {
        a->y_col = v;
    } else if (strcmp(name, "--series") == 0) {
        a->series_col = v;
    } else if (strcmp(name, "--denominator") == 0) {
        a->den_col = v;
    } else if (strcmp(name, "--per") == 0) {
        if (num_parse(v, strlen(v), &a->opt.per) != NUM_OK || !(a->opt.per > 0))
            return usage_error("--per: \"%s\" is not a number above 0", v);
    } else if (strcmp(name, "--chart") == 0) {
        if (spc_chart_parse(v, &a->opt.chart) < 0)
            return usage_error("--chart: \"%s\" is not a chart type (xmr, run, p, pp, u, up, c, g, t)", v);
    } else if (strcmp(name, "--improvement") == 0) {
        if (spc_improvement_parse(v, &a->opt.improvement) < 0)
            return usage_error("--improvement: \"%s\" is not one of increase, decrease, neutral", v);
    } else if (strcmp(name, "--target") == 0) {
        if (num_parse(v, strlen(v), &a->opt.target) != NUM_OK)
            return usage_error("--target: \"%s\" is not a finite number", v);
        a->opt.has_target = true;
    } else if (strcmp(name, "--rebase") == 0) {
        return split_rebase(a, v);
    } else if (strcmp(name, "--fix-after") == 0) {
        double n;
        /* Range first: converting a negative or huge double to size_t is undefined. */
        if (num_parse(v, strlen(v), &n) != NUM_OK || !(n >= 12 && n <= 1e9) || n != floor(n))
            return usage_error("--fix-after: \"%s\" is not a whole number of at least 12", v);
        a->opt.fix_after = (size_t)n;
    } else if (strcmp(name, "--format") == 0) {
        return parse_format(v, &a->format);
    } else if (strcmp(name, "--title") == 0) {
        a->title = v;
    } else if (strcmp(name, "--annotations") == 0) {
        a->annotations = v;
    } else if (strcmp(name, "-o") == 0 || strcmp(name, "--output") == 0) {
        a->out = v;
    } else {
        return usage_error("unknown option '%s'", name);
    }
    return CLI_OK;
}

int spc_args_parse(int argc, char **argv, struct spc_args *a)
{
    *a = (struct spc_args){.x_col = "x", .y_col = "y", .format = SPC_FORMAT_CSV};
    spc_options_default(&a->opt);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--no-screen-outliers") == 0) {
            a->opt.screen_outliers = false;
            continue;
        }
        if (arg[0] == '-' && arg[1] != '\0') {
            char name[64];
            const char *value = NULL, *eq = strchr(arg, '=');
            if (eq && arg[1] == '-' && (size_t)(eq - arg) < sizeof name) {
                memcpy(name, arg, (size_t)(eq - arg));
                name[eq - arg] = '\0';
                value = eq + 1;
            } else {
                if (strlen(arg) >= sizeof name)
                    return usage_error("unknown option '%s'", arg);
                memcpy(name, arg, strlen(arg) + 1);
                if (i + 1 >= argc)
                    return usage_error("%s needs a value", arg);
                value = argv[++i];
            }
            int rc = set_option(a, name, value);
            if (rc != CLI_OK)
                return rc;
            continue;
        }
        if (a->file)
            return usage_error("one input FILE only (also got '%s')", arg);
        a->file = arg;
    }
    if (!a->file)
        return usage_error("%s", "no input FILE (use - for standard input)");
    if (a->annotations && !spc_format_is_chart(a->format))
        return usage_error("%s", "--annotations draws notes on a chart: it needs --format svg, png or pdf");
    if (a->annotations && strcmp(a->annotations, "-") == 0 && strcmp(a->file, "-") == 0)
        return usage_error("%s", "FILE and --annotations cannot both be standard input");
    if (spc_format_is_chart(a->format) && a->series_col && !a->out)
        return usage_error("--format %s with --series needs -o DIRECTORY", spc_format_ext(a->format) + 1);
    enum spc_chart chart = a->opt.chart;
    if (spc_chart_needs_denominator(chart) && !a->den_col)
        return usage_error("--chart %s needs --denominator COL", spc_chart_name(chart));
    if (a->den_col && (chart == SPC_CHART_C || chart == SPC_CHART_G || chart == SPC_CHART_T))
        return usage_error("--chart %s takes y as it is: no --denominator", spc_chart_name(chart));
    if (chart != SPC_CHART_XMR && a->opt.fix_after && a->n_rebase)
        return usage_error("--fix-after with --rebase is for xmr charts only (--chart %s)", spc_chart_name(chart));
    return CLI_OK;
}

void spc_args_release(struct spc_args *a)
{
    free(a->rebase_list);
    free(a->rebase);
    a->rebase_list = NULL;
    a->rebase = NULL;
}
