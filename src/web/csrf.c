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

const char *web_presession_cookie(const struct web_ctx *ctx)
{
    return ctx->secure_cookies ? "__Host-" WEB_PRESESSION_COOKIE : WEB_PRESESSION_COOKIE;
}

/* Whether a and b's first n bytes are equal, ASCII letters in either case. */
static bool same_ci(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

/* This server's origin is --public-url's scheme and host when it is given, else either scheme with
 * the request's own Host. */
static bool own_origin(const struct web_req *r, const char *origin)
{
    size_t n = strlen(origin);
    const char *pub = r->ctx->opt ? r->ctx->opt->public_url : NULL;
    if (pub && *pub) {
        const char *host = strstr(pub, "://");
        if (!host)
            return false;
        size_t len = (size_t)(host + 3 - pub) + strcspn(host + 3, "/?#");
        return n == len && same_ci(origin, pub, n);
    }
    const char *host = r->header(r->conn, "Host");
    if (!host || !*host)
        return false;
    size_t h = strlen(host), skip = strncmp(origin, "https://", 8) == 0 ? 8 : strncmp(origin, "http://", 7) == 0 ? 7 : 0;
    return skip && n == skip + h && same_ci(origin + skip, host, h);
}

bool web_cross_site_post(const struct web_req *r)
{
    if (!r->header)
        return false;
    const char *site = r->header(r->conn, "Sec-Fetch-Site");
    if (site && strcmp(site, "cross-site") == 0)
        return true;
    const char *origin = r->header(r->conn, "Origin");
    return origin && !own_origin(r, origin); /* "null" (a sandboxed or opaque page) is not ours */
}
