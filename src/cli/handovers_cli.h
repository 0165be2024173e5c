#ifndef PURPOSE_CLI_HANDOVERS_H
#define PURPOSE_CLI_HANDOVERS_H
/* Shared by cmd_handovers.c (generate, report) and handovers_import.c (import). */
#include <stdint.h>

#include "handover/handover.h"

/* Prints "purpose handovers: " and fmt (one %s: arg) to stderr; returns CLI_USAGE. */
int ho_cli_usage(const char *fmt, const char *arg);
/* --opt VALUE or --opt=VALUE. Returns the value and advances *i, or NULL if argv[*i] is not opt
 * (*missing set when the value is missing). */
const char *ho_cli_opt(int argc, char **argv, int *i, const char *opt, int *missing);

/* Called about every 64 Ki rows while a file streams: bytes read so far, and the file's size
 * (0 when unknown, e.g. a pipe). */
typedef void (*ho_cli_progress)(void *ctx, uint64_t bytes, uint64_t total, uint64_t rows);
/* Streams path ("-": standard input) through a stream with sink; name is used in messages. */
int ho_cli_read(const char *path, const char *name, const struct ho_sink *sink, ho_cli_progress progress,
                void *ctx, struct purpose_err *err);

/* The store's side (purpose-server; see cli.h): import, and the stored aggregates of the
 * organisation (org, default the installation's first) or of the programme's partners into agg. */
int ho_cli_import(int argc, char **argv);
int ho_cli_load_stored(const char *db, const char *key, const char *org, const char *programme,
                       const struct ho_report_opts *o, struct ho_agg *agg, struct purpose_err *err);

#endif
