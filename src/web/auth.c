/* Who is calling: sessions (cookie), API tokens (bearer), sign-in with a rate limit. Session ids
 * and tokens are stored only as BLAKE2b hashes keyed with the store's key, from its key file. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/web_int.h"
#include "core/banned.h"

/* Sign-in throttling, after the OWASP Authentication Cheat Sheet ("Login Throttling"): no hard
 * lock-out of an account, which would let anyone lock the real user out.
 * - per (account, address) pair: RL_PAIR_FREE failures, then each further try waits an exponential
 *   delay (RL_PAIR_DELAY seconds, doubling, up to RL_WINDOW) after the last failure;
 * - per account, from all addresses: RL_ACCOUNT_FREE failures, then the account is slowed (not
 *   locked) in the same way from RL_ACCOUNT_DELAY seconds up to RL_ACCOUNT_DELAY_MAX, so that
 *   guessing from many addresses gets a few tries a minute while the real user, from an address
 *   that has not failed, still signs in;
 * - per address, whatever the accounts: RL_PER_ADDRESS failures per RL_WINDOW. */
#define RL_WINDOW (15 * 60)
#define RL_PAIR_FREE 5
#define RL_PAIR_DELAY 30
#define RL_ACCOUNT_FREE 10
#define RL_ACCOUNT_DELAY 2
#define RL_ACCOUNT_DELAY_MAX 60
#define RL_PER_ADDRESS 20
#define RL_SLOTS 1024
#define TOKEN_PREFIX "pur_"

/* key: "a:ADDRESS", "u:account" or "p:ADDRESS account". */
#define RL_KEY_MAX 160
struct rl_slot {
    char key[RL_KEY_MAX];
    int64_t start; /* first failure of the window (addresses) */
    int64_t last;  /* last counted try (pairs, accounts) */
    int fails;
};

/* Who a session or token hash belongs to, valid while the store generation is unchanged: signing
 * out, disabling a user and revoking a token are all commits, which change it. */
#define ID_SLOTS 64
struct id_slot {
    char hash[SECRET_HEX_LEN + 1];
    uint64_t gen;
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
    struct rl_slot slot[RL_SLOTS];
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
        pthread_mutex_destroy(&c->rl->mu);
        free(c->rl);
        c->rl = NULL;
    }
}

/* The delay before the next try of a pair or account with `fails` counted failures: 0 while under
 * its allowance, then base seconds doubling with each further failure, up to max. */
static int64_t rl_delay(int fails, int allowed, int64_t base, int64_t max)
{
    if (fails < allowed)
        return 0;
    int64_t d = base;
    for (int i = allowed; i < fails && d < max; i++)
        d *= 2;
    return d < max ? d : max;
}

static int64_t rl_slot_delay(const struct rl_slot *s)
{
    if (s->key[0] == 'p')
        return rl_delay(s->fails, RL_PAIR_FREE, RL_PAIR_DELAY, RL_WINDOW);
    return rl_delay(s->fails, RL_ACCOUNT_FREE, RL_ACCOUNT_DELAY, RL_ACCOUNT_DELAY_MAX);
}

/* True when a slot holds back tries: an address at its limit, a pair or account in its delay. */
static bool rl_blocking(const struct rl_slot *s, int64_t now)
{
    if (!s->key[0])
        return false;
    if (s->key[0] == 'a')
        return s->fails >= RL_PER_ADDRESS;
    return now < s->last + rl_slot_delay(s);
}

/* An address's count lasts a window from its first failure; a pair's or account's, a window from
 * its last try, so that a delay is never cut short. */
static bool rl_expired(const struct rl_slot *s, int64_t now)
{
    return now - (s->key[0] == 'a' ? s->start : s->last) >= RL_WINDOW;
}

/* When the table is full, the oldest slot is reused, but never one that is holding back tries while
 * another is not: flooding the table with new keys must not wipe out a delay. */
static bool rl_evict_before(const struct rl_slot *a, const struct rl_slot *b, int64_t now)
{
    bool a_on = rl_blocking(a, now), b_on = rl_blocking(b, now);
    return a_on != b_on ? !a_on : a->last < b->last;
}

/* Finds or claims the slot for key, never taking keep[0] or keep[1]; call with the lock held. */
static struct rl_slot *rl_slot(struct web_ratelimit *rl, const char *key, int64_t now,
                               struct rl_slot *const keep[2])
{
    struct rl_slot *free_slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < RL_SLOTS; i++) {
        struct rl_slot *s = &rl->slot[i];
        if (s->key[0] && rl_expired(s, now))
            s->key[0] = '\0';
        if (s->key[0] && strcmp(s->key, key) == 0)
            return s;
        if (!s->key[0] && !free_slot)
            free_slot = s;
        if (s != keep[0] && s != keep[1] && (!oldest || rl_evict_before(s, oldest, now)))
            oldest = s;
    }
    struct rl_slot *s = free_slot ? free_slot : oldest;
    snprintf(s->key, sizeof s->key, "%s", key);
    s->start = s->last = now;
    s->fails = 0;
    return s;
}

struct rl_keys {
    char addr[RL_KEY_MAX], account[RL_KEY_MAX], pair[RL_KEY_MAX];
};

static void rl_keys(const struct web_req *r, const char *username, struct rl_keys *k)
{
    /* An IPv6 client usually holds a whole /64: count the network, not each address in it. */
    struct in6_addr v6;
    char net[INET6_ADDRSTRLEN];
    const char *ip = r->ip ? r->ip : "?";
    if (strchr(ip, ':') && inet_pton(AF_INET6, ip, &v6) == 1) {
        memset(v6.s6_addr + 8, 0, 8);
        if (inet_ntop(AF_INET6, &v6, net, sizeof net))
            ip = net;
    }
    /* Usernames are unique ignoring case: so is the throttling. */
    char user[STORE_USERNAME_MAX + 2];
    size_t n = 0;
    for (; username[n] && n + 1 < sizeof user; n++)
        user[n] = (char)tolower((unsigned char)username[n]);
    user[n] = '\0';
    snprintf(k->addr, sizeof k->addr, "a:%s", ip);
    snprintf(k->account, sizeof k->account, "u:%s", user);
    snprintf(k->pair, sizeof k->pair, "p:%s %s", ip, user);
}

/* Counts an attempt before the password is checked, so that concurrent guesses cannot all pass
 * the check while the slow hash runs; rl_succeeded takes it back. False when held back. */
static bool rl_attempt(struct web_ratelimit *rl, const struct rl_keys *k, int64_t now)
{
    pthread_mutex_lock(&rl->mu);
    struct rl_slot *none[2] = {NULL, NULL};
    struct rl_slot *a = rl_slot(rl, k->addr, now, none);
    struct rl_slot *keep_a[2] = {a, NULL};
    struct rl_slot *u = rl_slot(rl, k->account, now, keep_a);
    struct rl_slot *keep_au[2] = {a, u};
    struct rl_slot *p = rl_slot(rl, k->pair, now, keep_au);
    bool ok = !rl_blocking(a, now) && !rl_blocking(u, now) && !rl_blocking(p, now);
    if (ok) {
        a->fails++;
        u->fails++;
        p->fails++;
        u->last = p->last = a->last = now;
    }
    pthread_mutex_unlock(&rl->mu);
    return ok;
}

static void rl_succeeded(struct web_ratelimit *rl, const struct rl_keys *k, int64_t now)
{
    pthread_mutex_lock(&rl->mu);
    struct rl_slot *none[2] = {NULL, NULL};
    struct rl_slot *a = rl_slot(rl, k->addr, now, none);
    struct rl_slot *keep_a[2] = {a, NULL};
    struct rl_slot *u = rl_slot(rl, k->account, now, keep_a);
    struct rl_slot *keep_au[2] = {a, u};
    struct rl_slot *p = rl_slot(rl, k->pair, now, keep_au);
    if (a->fails > 0)
        a->fails--;
    if (u->fails > 0)
        u->fails--;
    p->fails = 0;
    pthread_mutex_unlock(&rl->mu);
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
    bool hit = false;
    pthread_mutex_lock(&rl->mu);
    for (size_t i = 0; i < ID_SLOTS && !hit; i++) {
        struct id_slot *e = &rl->ids[i];
        if (e->gen != r->gen || strcmp(e->hash, hash) != 0 || (e->expires_at && e->expires_at <= now))
            continue;
        r->user.id = e->user_id;
        r->user.role = e->role;
        r->user.home_org_id = e->home_org_id;
        r->user.created_at = e->created_at;
        r->user.username = strdup(e->username);
        r->user.display_name = strdup(e->display_name);
        snprintf(r->csrf, sizeof r->csrf, "%s", e->csrf);
        hit = true;
    }
    pthread_mutex_unlock(&rl->mu);
    if (hit && (!r->user.username || !r->user.display_name)) {
        store_user_release(&r->user);
        r->csrf[0] = '\0';
        return false;
    }
    if (hit)
        r->role = r->user.role;
    return hit;
}

static void id_put(struct web_req *r, const char *hash, int64_t expires_at)
{
    if (!r->gen_ok || !r->user.username || !r->user.display_name)
        return;
    struct web_ratelimit *rl = r->ctx->rl;
    pthread_mutex_lock(&rl->mu);
    struct id_slot *e = &rl->ids[rl->next_id++ % ID_SLOTS];
    snprintf(e->hash, sizeof e->hash, "%s", hash);
    e->gen = r->gen;
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
        if (store_token_find(s, h, &r->user, err) < 0)
            return err->kind == PURPOSE_ERR_NOT_FOUND ? 0 : -1;
        r->via_token = true;
        r->role = r->user.role;
        id_put(r, h, 0);
        return 0;
    }
    const char *cookie = r->header(r->conn, "Cookie");
    char tok[SECRET_TOKEN_LEN + 1];
    if (web_cookie_get(cookie, WEB_SESSION_COOKIE, tok, sizeof tok) == 0 &&
        strlen(tok) == SECRET_TOKEN_LEN) {
        secret_keyed_hash(r->ctx->key, tok, r->session_hash);
        if (id_get(r, r->session_hash, now))
            return 0;
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
                id_put(r, r->session_hash, expires);
            return 0;
        }
        r->session_hash[0] = '\0';
    }
    if (web_cookie_get(cookie, WEB_PRESESSION_COOKIE, tok, sizeof tok) == 0 &&
        strlen(tok) == SECRET_TOKEN_LEN)
        snprintf(r->csrf, sizeof r->csrf, "%s", tok);
    return 0;
}

void web_auth_presession(struct web_req *r)
{
    if (!r->csrf[0]) {
        secret_random_token(r->csrf);
        r->new_presession = true;
    }
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
    struct rl_keys k;
    rl_keys(r, username, &k);
    if (!rl_attempt(r->ctx->rl, &k, now))
        return 2;
    struct store_user u = {0};
    int rc = store_user_find(s, username, &u, err);
    if (rc < 0 && err->kind != PURPOSE_ERR_NOT_FOUND)
        return -1;
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
    rl_succeeded(r->ctx->rl, &k, now);
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
    add_cookie(r, w, WEB_PRESESSION_COOKIE, "", 0);
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
