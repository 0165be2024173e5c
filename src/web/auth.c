/* Who is calling: sessions (cookie), API tokens (bearer), sign-in throttled (throttle.h) with device
 * cookies. Session ids and tokens are stored only as BLAKE2b hashes keyed with the store's key, from
 * its key file. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/throttle.h"
#include "web/web_int.h"
#include "core/banned.h"

#define TOKEN_PREFIX "pur_"
/* The device cookie (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): set at each
 * successful sign-in, NONCE.MAC with MAC = BLAKE2b keyed with the server key over the account and the
 * nonce; it marks this browser as one the account's owner signed in from (throttle.h). */
#define DEVICE_NONCE_HEX 32
#define DEVICE_COOKIE_LEN (DEVICE_NONCE_HEX + 1 + SECRET_HEX_LEN)
#define DEVICE_SECONDS (365 * 24 * 3600)

/* Who a session or token hash belongs to, kept under the one caching rule (route_cache.c): while
 * the accounts and the sessions are unchanged. Signing in or out bumps "sessions"; disabling a
 * user, a role and revoking a token bump "users" (store/topics.h), on any server. */
#define ID_SLOTS 64
#define ID_DEPS (WEB_DEP(STORE_TOPIC_USERS) | WEB_DEP(STORE_TOPIC_SESSIONS))
struct id_slot {
    char hash[SECRET_HEX_LEN + 1];
    struct web_stamp stamp;
    uint64_t serial;
    int64_t user_id, expires_at, created_at, home_org_id;
    enum store_role role;
    char username[STORE_USERNAME_MAX + 1];
    char display_name[STORE_NAME_MAX + 1];
    char csrf[SECRET_TOKEN_LEN + 1];
};

struct web_ratelimit {
    pthread_mutex_t mu;
    struct id_slot ids[ID_SLOTS];
    unsigned next_id;
    uint64_t serial; /* of the last slot filled */
    struct web_throttle *throttle;
    char dummy_hash[SECRET_HASH_MAX]; /* verified when the user does not exist, to even timing */
};

int web_auth_init(struct web_ctx *c, struct purpose_err *err)
{
    c->rl = calloc(1, sizeof *c->rl);
    if (!c->rl)
        return purpose_errf(err, "purpose serve: out of memory");
    if (pthread_mutex_init(&c->rl->mu, NULL) != 0) {
        free(c->rl);
        c->rl = NULL;
        return purpose_errf(err, "purpose serve: cannot create a mutex");
    }
    c->rl->throttle = web_throttle_new();
    if (!c->rl->throttle) {
        web_auth_release(c);
        return purpose_errf(err, "purpose serve: out of memory");
    }
    char pw[24];
    secret_random_password(pw, 20);
    if (secret_hash_password(pw, c->rl->dummy_hash, err) < 0) {
        web_auth_release(c);
        return -1;
    }
    return store_secret_key(c->store, c->key, err);
}

void web_auth_release(struct web_ctx *c)
{
    if (c->rl) {
        web_throttle_free(c->rl->throttle);
        pthread_mutex_destroy(&c->rl->mu);
        free(c->rl);
        c->rl = NULL;
    }
}

/* The device cookie's MAC for account (case ignored, as usernames are unique ignoring case) and nonce. */
static void device_mac(const unsigned char key[32], const char *account, const char *nonce,
                       char out[SECRET_HEX_LEN + 1])
{
    char msg[STORE_USERNAME_MAX + DEVICE_NONCE_HEX + 16] = "device\n";
    size_t n = strlen(msg);
    for (size_t i = 0; account[i] && n < STORE_USERNAME_MAX + 7; i++)
        msg[n++] = (char)tolower((unsigned char)account[i]);
    snprintf(msg + n, sizeof msg - n, "\n%s", nonce);
    secret_keyed_hash(key, msg, out);
}

/* The nonce of the request's device cookie into nonce when the cookie is valid for account. */
static bool device_known(const struct web_req *r, const char *account, char nonce[DEVICE_NONCE_HEX + 1])
{
    char v[DEVICE_COOKIE_LEN + 2], mac[SECRET_HEX_LEN + 1];
    if (web_cookie_get(r->header(r->conn, "Cookie"), WEB_DEVICE_COOKIE, v, sizeof v) != 0 ||
        strlen(v) != DEVICE_COOKIE_LEN || v[DEVICE_NONCE_HEX] != '.' || strlen(account) > STORE_USERNAME_MAX)
        return false;
    for (size_t i = 0; i < DEVICE_NONCE_HEX; i++)
        if (!isxdigit((unsigned char)v[i]))
            return false;
    memcpy(nonce, v, DEVICE_NONCE_HEX);
    nonce[DEVICE_NONCE_HEX] = '\0';
    device_mac(r->ctx->key, account, nonce, mac);
    return secret_equal(mac, v + DEVICE_NONCE_HEX + 1);
}

struct store_actor web_actor(const struct web_req *r)
{
    struct store_actor a = {r->user.id, r->user.username ? r->user.username : "anonymous"};
    return a;
}

static int load_user(struct web_req *r, int64_t id, struct purpose_err *err)
{
    if (store_user_get(r->ctx->store, id, &r->user, err) < 0)
        return err->kind == PURPOSE_ERR_NOT_FOUND ? 0 : -1;
    if (r->user.disabled) {
        store_user_release(&r->user);
        return 0;
    }
    r->role = r->user.role;
    return 0;
}

/* Fills r from the cache; true on a hit. */
static bool id_get(struct web_req *r, const char *hash, int64_t now)
{
    if (!r->gen_ok)
        return false;
    struct web_ratelimit *rl = r->ctx->rl;
    struct id_slot e;
    size_t i = 0;
    pthread_mutex_lock(&rl->mu);
    while (i < ID_SLOTS && !(rl->ids[i].hash[0] && strcmp(rl->ids[i].hash, hash) == 0 &&
                             !(rl->ids[i].expires_at && rl->ids[i].expires_at <= now)))
        i++;
    if (i < ID_SLOTS)
        e = rl->ids[i];
    pthread_mutex_unlock(&rl->mu);
    if (i == ID_SLOTS || !web_stamp_fresh(r->ctx, &e.stamp, r->gen))
        return false;
    pthread_mutex_lock(&rl->mu);
    if (rl->ids[i].serial == e.serial)
        rl->ids[i].stamp.gen = e.stamp.gen;
    pthread_mutex_unlock(&rl->mu);
    r->user.id = e.user_id;
    r->user.role = e.role;
    r->user.home_org_id = e.home_org_id;
    r->user.created_at = e.created_at;
    r->user.username = strdup(e.username);
    r->user.display_name = strdup(e.display_name);
    snprintf(r->csrf, sizeof r->csrf, "%s", e.csrf);
    if (!r->user.username || !r->user.display_name) {
        store_user_release(&r->user);
        r->csrf[0] = '\0';
        return false;
    }
    r->role = r->user.role;
    return true;
}

static void id_put(struct web_req *r, const char *hash, const struct web_stamp *stamp, int64_t expires_at)
{
    if (!r->gen_ok || !r->user.username || !r->user.display_name)
        return;
    struct web_ratelimit *rl = r->ctx->rl;
    pthread_mutex_lock(&rl->mu);
    struct id_slot *e = NULL;
    for (size_t i = 0; i < ID_SLOTS && !e; i++) /* the hash's slot if it has one: one per hash */
        if (strcmp(rl->ids[i].hash, hash) == 0)
            e = &rl->ids[i];
    if (!e)
        e = &rl->ids[rl->next_id++ % ID_SLOTS];
    snprintf(e->hash, sizeof e->hash, "%s", hash);
    e->stamp = *stamp;
    e->serial = ++rl->serial;
    e->user_id = r->user.id;
    e->expires_at = expires_at;
    e->role = r->user.role;
    e->home_org_id = r->user.home_org_id;
    e->created_at = r->user.created_at;
    snprintf(e->username, sizeof e->username, "%s", r->user.username);
    snprintf(e->display_name, sizeof e->display_name, "%s", r->user.display_name);
    snprintf(e->csrf, sizeof e->csrf, "%s", r->csrf);
    pthread_mutex_unlock(&rl->mu);
}

const char *web_bearer_token(const char *authz)
{
    if (!authz || strncmp(authz, "Bearer ", 7) != 0)
        return NULL;
    const char *tok = authz + 7;
    if (strlen(tok) != strlen(TOKEN_PREFIX) + SECRET_TOKEN_LEN || strncmp(tok, TOKEN_PREFIX, 4) != 0)
        return NULL;
    return tok;
}

int web_auth_identify(struct web_req *r, struct purpose_err *err)
{
    int64_t now = (int64_t)time(NULL);
    struct store *s = r->ctx->store;
    r->role = ROLE_ANON;
    r->csrf[0] = '\0';
    const char *authz = r->header(r->conn, "Authorization");
    if (authz && strncmp(authz, "Bearer ", 7) == 0) {
        const char *tok = web_bearer_token(authz);
        if (!tok)
            return 0;
        char h[SECRET_HEX_LEN + 1];
        secret_keyed_hash(r->ctx->key, tok, h);
        if (id_get(r, h, now)) {
            r->via_token = true;
            return 0;
        }
        struct web_stamp stamp; /* before the read: a change meanwhile drops what it finds */
        if (web_stamp_make(r, ID_DEPS, 0, &stamp, err) < 0)
            return -1;
        if (store_token_find(s, h, &r->user, err) < 0)
            return err->kind == PURPOSE_ERR_NOT_FOUND ? 0 : -1;
        r->via_token = true;
        r->role = r->user.role;
        id_put(r, h, &stamp, 0);
        return 0;
    }
    const char *cookie = r->header(r->conn, "Cookie");
    char tok[SECRET_TOKEN_LEN + 1];
    if (web_cookie_get(cookie, WEB_SESSION_COOKIE, tok, sizeof tok) == 0 &&
        strlen(tok) == SECRET_TOKEN_LEN) {
        secret_keyed_hash(r->ctx->key, tok, r->session_hash);
        if (id_get(r, r->session_hash, now))
            return 0;
        struct web_stamp stamp;
        if (web_stamp_make(r, ID_DEPS, 0, &stamp, err) < 0)
            return -1;
        struct store_session ss;
        int rc = store_session_get(s, r->session_hash, now, &ss, err);
        if (rc < 0 && err->kind != PURPOSE_ERR_NOT_FOUND)
            return -1;
        if (rc == 0) {
            snprintf(r->csrf, sizeof r->csrf, "%s", ss.csrf);
            int64_t uid = ss.user_id, expires = ss.expires_at;
            store_session_release(&ss);
            if (load_user(r, uid, err) < 0)
                return -1;
            if (r->role == ROLE_ANON)
                r->csrf[0] = '\0';
            else
                id_put(r, r->session_hash, &stamp, expires);
            return 0;
        }
        r->session_hash[0] = '\0';
    }
    char pre[WEB_PRESESSION_MAX + 1];
    if (web_cookie_get(cookie, web_presession_cookie(r->ctx), pre, sizeof pre) == 0)
        web_presession_read(r, pre); /* only one this server issued (csrf.c) */
    return 0;
}

static void add_cookie(struct web_req *r, struct web_resp *w, const char *name, const char *value,
                       int max_age)
{
    if (w->ncookies >= WEB_COOKIES_MAX)
        return;
    snprintf(w->cookies[w->ncookies++], sizeof w->cookies[0],
             "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", name, value, max_age,
             r->ctx->secure_cookies ? "; Secure" : "");
}

int web_auth_sign_in(struct web_req *r, struct web_resp *w, const char *username,
                     const char *password, struct purpose_err *err)
{
    struct store *s = r->ctx->store;
    int64_t now = (int64_t)time(NULL);
    char nonce[DEVICE_NONCE_HEX + 1];
    struct web_throttle_who who = {r->ip, username, device_known(r, username, nonce) ? nonce : NULL};
    /* The lookup comes before the try is counted: a database failure is no failed password, so people
     * retrying during an outage build up no delay (the password is still checked only after the
     * throttle allows it). */
    struct store_user u = {0};
    int rc = store_user_find(s, username, &u, err);
    if (rc < 0 && err->kind != PURPOSE_ERR_NOT_FOUND)
        return -1;
    if (!web_throttle_attempt(r->ctx->rl->throttle, &who, now)) {
        if (rc == 0)
            store_user_release(&u);
        return 2;
    }
    bool ok;
    if (rc < 0) {
        secret_verify_password(r->ctx->rl->dummy_hash, password);
        ok = false;
    } else {
        ok = secret_verify_password(u.password_hash, password) && !u.disabled;
    }
    int64_t uid = u.id;
    if (rc == 0)
        store_user_release(&u);
    if (!ok)
        return 1;
    web_throttle_succeeded(r->ctx->rl->throttle, &who, now);
    /* A new session id at every sign-in; the one this browser held before ends. */
    if (r->session_hash[0] && store_session_delete(s, r->session_hash, err) < 0)
        return -1;
    char tok[SECRET_TOKEN_LEN + 1], h[SECRET_HEX_LEN + 1], csrf[SECRET_TOKEN_LEN + 1];
    secret_random_token(tok);
    secret_random_token(csrf);
    secret_keyed_hash(r->ctx->key, tok, h);
    if (store_session_create(s, h, uid, csrf, now + WEB_SESSION_SECONDS, err) < 0)
        return -1;
    add_cookie(r, w, WEB_SESSION_COOKIE, tok, WEB_SESSION_SECONDS);
    add_cookie(r, w, web_presession_cookie(r->ctx), "", 0);
    /* A new device cookie at every sign-in: this browser is now a known device for this account. */
    unsigned char raw[DEVICE_NONCE_HEX / 2];
    char device[DEVICE_COOKIE_LEN + 1], mac[SECRET_HEX_LEN + 1];
    secret_random_bytes(raw, sizeof raw);
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(nonce + 2 * i, 3, "%02x", raw[i]);
    device_mac(r->ctx->key, username, nonce, mac);
    snprintf(device, sizeof device, "%s.%s", nonce, mac);
    add_cookie(r, w, WEB_DEVICE_COOKIE, device, DEVICE_SECONDS);
    /* Shared PCs: the contributor session of whoever used this browser before ends here (it is
     * bound to that person too, so it would be refused anyway). */
    add_cookie(r, w, WEB_CONTRIBUTOR_COOKIE, "", 0);
    return 0;
}

int web_auth_sign_out(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    if (r->session_hash[0] &&
        store_session_delete(r->ctx->store, r->session_hash, err) < 0)
        return -1;
    add_cookie(r, w, WEB_SESSION_COOKIE, "", 0);
    add_cookie(r, w, WEB_CONTRIBUTOR_COOKIE, "", 0); /* shared PCs: see web_auth_sign_in */
    return 0;
}

int web_auth_token_create(struct web_req *r, int64_t user_id, const char *name,
                          char token[SECRET_TOKEN_LEN + 8], int64_t *id, struct purpose_err *err)
{
    char raw[SECRET_TOKEN_LEN + 1], h[SECRET_HEX_LEN + 1], prefix[16];
    secret_random_token(raw);
    snprintf(token, SECRET_TOKEN_LEN + 8, TOKEN_PREFIX "%s", raw);
    snprintf(prefix, sizeof prefix, "%.10s", token);
    secret_keyed_hash(r->ctx->key, token, h);
    struct store_actor by = web_actor(r);
    return store_token_create(r->ctx->store, &by, user_id, name, prefix, h, id, err);
}
