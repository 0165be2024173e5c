#ifndef PURPOSE_WEB_THROTTLE_H
#define PURPOSE_WEB_THROTTLE_H
/* Sign-in throttling that cannot lock the owner out (throttle.c), after OWASP's Authentication Cheat
 * Sheet ("Login Throttling") and "Slow Down Online Guessing Attacks with Device Cookies". In memory
 * only; thread-safe; time is the caller's (seconds), so a test can play minutes in a moment.
 *
 * A try is trusted when it carries a valid device cookie for the account (signed by the server at a
 * past successful sign-in; auth.c checks it): it is counted and held back only on that device's own
 * failures. Any other try is untrusted and held back by
 * - its (account, address) pair: WEB_THROTTLE_PAIR_FREE failures, then a delay doubling from 30 s;
 * - its address, whatever the accounts: WEB_THROTTLE_PER_ADDRESS failures in a window;
 * - the account, from every address: WEB_THROTTLE_ACCOUNT_FREE failures, then a delay doubling from
 *   2 s to 60 s; but not from an address that has not failed in the window, so that another
 *   address's guessing cannot lock the real user out, for up to WEB_THROTTLE_FRESH_FREE such
 *   addresses per account and window (a right password gives its pass back): beyond that, an
 *   attacker holding many addresses is held by the account's delay as one address is, and the
 *   owner signs in from a known device.
 * A try that is held back starts the delay that held it back again: trying during a delay never
 * brings the next try nearer. */
#include <stdbool.h>
#include <stdint.h>

#define WEB_THROTTLE_WINDOW (15 * 60)
#define WEB_THROTTLE_PAIR_FREE 5
#define WEB_THROTTLE_PAIR_DELAY 30
#define WEB_THROTTLE_ACCOUNT_FREE 10
#define WEB_THROTTLE_ACCOUNT_DELAY 2
#define WEB_THROTTLE_ACCOUNT_DELAY_MAX 60
#define WEB_THROTTLE_PER_ADDRESS 20
#define WEB_THROTTLE_FRESH_FREE 10

struct web_throttle;

/* NULL when out of memory; web_throttle_free(NULL) is a no-op. */
struct web_throttle *web_throttle_new(void);
void web_throttle_free(struct web_throttle *t);

/* Who tries: the client's address (an IPv6 address counts as its /64), the username as typed (case
 * is ignored), and device: the nonce of a valid device cookie for that account, or NULL. Borrowed. */
struct web_throttle_who {
    const char *ip, *account, *device;
};

/* Counts a try before the password is checked, so that concurrent guesses cannot all pass while the
 * slow hash runs (web_throttle_succeeded takes it back); false when it is held back. */
bool web_throttle_attempt(struct web_throttle *t, const struct web_throttle_who *who, int64_t now);
void web_throttle_succeeded(struct web_throttle *t, const struct web_throttle_who *who, int64_t now);

#endif
