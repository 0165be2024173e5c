#ifndef PURPOSE_WEB_RLIMIT_H
#define PURPOSE_WEB_RLIMIT_H
/* Counters of actions per key over a fixed window, in memory only (never the database): the
 * co-design rate limits (contribute.c) per contributor session and per address. A fixed table of
 * WEB_RLIMIT_SETS sets of WEB_RLIMIT_WAYS slots; a key lives in the set its first hex digits name.
 * When a set is full a new key takes the slot with the fewest hits (the oldest of those), never a
 * busier one: a flood of new keys cannot reset a busy key's count, so a colliding key never frees
 * someone who is over their limit. Thread-safe. */
#include <stdbool.h>
#include <stdint.h>

#include "core/secret.h"

#define WEB_RLIMIT_SETS 512
#define WEB_RLIMIT_WAYS 8

/* Counts one action under key (64 hex digits, a keyed hash of what and who) at now (seconds);
 * false when that makes more than limit in the window seconds since the key's first counted one. */
bool web_rlimit_hit(const char key[SECRET_HEX_LEN + 1], int64_t now, int window, int limit);
/* Forgets every key (tests). */
void web_rlimit_reset(void);

#endif
