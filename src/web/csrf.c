/* The pre-session CSRF token: what guards the sign-in form (and a visitor's forms) before a session
 * exists. A plain double-submit cookie trusts any value the browser holds, so a cookie planted by
 * someone else (a sibling subdomain, a man in the middle on plain http) with a form token of their
 * choosing would pass, and sign the victim in as the attacker (login CSRF). So the cookie is issued
 * and signed by the server, and one it did not issue, or issued more than an hour ago, is refused:
 * OWASP CSRF Prevention Cheat Sheet, "Signed Double-Submit Cookie" and "Login CSRF". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/web_int.h"
#include "core/banned.h"

#define PRESESSION_SECONDS 3600
#define PRESESSION_MAC_LEN 32

/* The cookie is "NONCE.EXPIRES.MAC": NONCE 43 random url-safe characters (the form's csrf field),
 * EXPIRES unix seconds, MAC the first 32 hex digits of BLAKE2b(server key, "presession:" NONCE ":"
 * EXPIRES). */
static void presession_mac(const struct web_req *r, const char *nonce, long long expires,
                           char out[PRESESSION_MAC_LEN + 1])
{
    char msg[120], h[SECRET_HEX_LEN + 1];
    snprintf(msg, sizeof msg, "presession:%s:%lld", nonce, expires);
    secret_keyed_hash(r->ctx->key, msg, h);
    memcpy(out, h, PRESESSION_MAC_LEN);
    out[PRESESSION_MAC_LEN] = '\0';
}

bool web_presession_read(struct web_req *r, const char *cookie)
{
    const char *dot1 = strchr(cookie, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot1 || !dot2 || dot1 - cookie != SECRET_TOKEN_LEN || dot2 - dot1 < 2 || dot2 - dot1 > 12 ||
        strlen(dot2 + 1) != PRESESSION_MAC_LEN)
        return false;
    long long expires = 0;
    for (const char *p = dot1 + 1; p < dot2; p++) {
        if (*p < '0' || *p > '9')
            return false;
        expires = expires * 10 + (*p - '0');
    }
    char nonce[SECRET_TOKEN_LEN + 1], mac[PRESESSION_MAC_LEN + 1];
    memcpy(nonce, cookie, SECRET_TOKEN_LEN);
    nonce[SECRET_TOKEN_LEN] = '\0';
    presession_mac(r, nonce, expires, mac);
    if (!secret_equal(mac, dot2 + 1) || expires <= (long long)time(NULL))
        return false;
    memcpy(r->csrf, nonce, sizeof nonce);
    return true;
}

void web_auth_presession(struct web_req *r)
{
    if (r->csrf[0])
        return;
    long long expires = (long long)time(NULL) + PRESESSION_SECONDS;
    char mac[PRESESSION_MAC_LEN + 1];
    secret_random_token(r->csrf);
    presession_mac(r, r->csrf, expires, mac);
    snprintf(r->presession, sizeof r->presession, "%s.%lld.%s", r->csrf, expires, mac);
    r->new_presession = true;
}
