#ifndef PURPOSE_CLI_INPUT_H
#define PURPOSE_CLI_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "purpose/err.h"

/* An input file mapped into memory read-only. Standard input that is not a regular file (a pipe)
 * is first spooled to an unlinked temporary file, so every input can be mapped and memory stays
 * bounded by what is being worked on, not by the file. */
struct input {
    const char *name; /* for messages: the path, or "stdin" */
    const char *data;
    size_t len;
    size_t released; /* offset of the last release (see input_release) */
};

/* path "-" is standard input. Returns 0, or -1 with err filled. */
int input_open(struct input *in, const char *path, struct purpose_err *err);
void input_close(struct input *in);

/* Tells the kernel the bytes before offset are not needed soon: their pages leave the resident
 * set but stay readable (they fault back in from the page cache). Keeps a 10-million-row file
 * from counting whole against the process's memory. */
void input_release(struct input *in, size_t offset);

#endif
