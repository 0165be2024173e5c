/* Shared fragments per store generation, and gzip for responses that hold one (cache.h).
 *
 * Gzip without compressing 650 KB per request: a deflate stream may be cut into runs of blocks
 * that end on a byte boundary with a sync flush (an empty stored block) and none of them final;
 * runs compressed separately join into one valid stream as long as no run refers back before its
 * own start, which a run compressed on its own never does (RFC 1951 section 3.2.3; pigz joins its
 * threads' pieces this way). So a fragment is compressed once, when it is made, and a request
 * compresses only its own frame around it; the CRC-32 of the whole is combined from the parts'
 * (zlib's crc32_combine). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <zlib.h>

#include "web/cache.h"
#include "core/banned.h"

#define SLOTS 32
#define KEY_MAX 200
#define FRAG_LEVEL 6  /* once per generation: worth the better ratio */
#define FRAME_LEVEL 1 /* per request, a few KB */
/* Smaller responses go plain: compressing their frame costs the server more than the bytes saved
 * (measured on the results page, 11 KB: 17,000 req/s plain, 10,000 gzipped, on loopback). */
#define GZIP_MIN (32u << 10)

struct web_frag {
    atomic_int refs;
    struct web_stamp stamp; /* its gen changes under frags.mu (restamped: route_cache.c's rule) */
    uint64_t render;
    int64_t made_ms;
    char *data;
    size_t len;
    unsigned char *gz; /* raw deflate of data, ending in a sync flush; NULL if it could not be made */
    size_t gzlen;
    uint32_t crc;
};

static struct {
    pthread_mutex_t mu;
    struct {
        const void *ctx;
        char key[KEY_MAX];
        struct web_frag *f;
        bool building;
    } slot[SLOTS];
    unsigned next;
} frags = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void web_frag_unref(struct web_frag **f)
{
    if (!*f)
        return;
    if (atomic_fetch_sub(&(*f)->refs, 1) == 1) {
        free((*f)->data);
        free((*f)->gz);
        free(*f);
    }
    *f = NULL;
}

static struct web_frag *ref(struct web_frag *f)
{
    atomic_fetch_add(&f->refs, 1);
    return f;
}

/* The slot of (ctx, key), or -1. Called with the lock held. */
static int find(const void *ctx, const char *key)
{
    for (int i = 0; i < SLOTS; i++)
        if (frags.slot[i].ctx == ctx && strcmp(frags.slot[i].key, key) == 0)
            return i;
    return -1;
}

static int claim(const void *ctx, const char *key)
{
    int i = (int)(frags.next++ % SLOTS);
    web_frag_unref(&frags.slot[i].f);
    frags.slot[i].ctx = ctx;
    snprintf(frags.slot[i].key, KEY_MAX, "%s", key);
    frags.slot[i].building = false;
    return i;
}

struct web_frag *web_frag_get(struct web_req *r, const char *key)
{
    int stale_ms = r->lag_ms;
    if (!r->gen_ok || strlen(key) >= KEY_MAX)
        return NULL;
    struct web_frag *out = NULL, *check = NULL;
    struct web_stamp s;
    pthread_mutex_lock(&frags.mu);
    int i = find(r->ctx, key);
    if (i >= 0 && frags.slot[i].f && frags.slot[i].f->stamp.gen != r->gen && frags.slot[i].f->stamp.n) {
        check = ref(frags.slot[i].f); /* made at another generation: do its topics still hold? */
        s = check->stamp;
    }
    pthread_mutex_unlock(&frags.mu);
    bool fresh = check && web_stamp_fresh(r->ctx, &s, r->gen);
    pthread_mutex_lock(&frags.mu);
    i = find(r->ctx, key);
    if (i < 0)
        i = claim(r->ctx, key);
    struct web_frag *f = frags.slot[i].f;
    if (f && web_stamp_expired(&f->stamp))
        f = NULL; /* a conversation it shows has opened or closed since */
    if (fresh && f == check && f->stamp.gen < s.gen)
        f->stamp.gen = s.gen;
    if (f && (f->stamp.gen >= r->gen || (fresh && f == check))) {
        out = ref(f);
    } else if (f && stale_ms > 0) {
        int64_t age = now_ms() - f->made_ms;
        if (age < stale_ms || (frags.slot[i].building && age < 4 * (int64_t)stale_ms))
            out = ref(f);
    }
    if (!out)
        frags.slot[i].building = true;
    else if (out->stamp.until && (!r->stamp.until || out->stamp.until < r->stamp.until))
        r->stamp.until = out->stamp.until; /* a page around it expires with it */
    pthread_mutex_unlock(&frags.mu);
    web_frag_unref(&check);
    return out;
}

void web_frag_abandon(struct web_req *r, const char *key)
{
    pthread_mutex_lock(&frags.mu);
    int i = find(r->ctx, key);
    if (i >= 0)
        frags.slot[i].building = false;
    pthread_mutex_unlock(&frags.mu);
}

/* Raw deflate (no header) of len bytes through z (initialised, or reset) appended at out[*at...],
 * growing out; flush is Z_SYNC_FLUSH (a run to splice) or Z_FINISH (the end of the stream). 0, or
 * -1 when out of memory. */
static int deflate_into(z_stream *z, const void *data, size_t len, int flush, unsigned char **out, size_t *cap,
                        size_t *at)
{
    z->next_in = (Bytef *)(uintptr_t)data;
    z->avail_in = (uInt)len;
    size_t need = *at + deflateBound(z, (uLong)len) + 64;
    int rc = Z_OK;
    for (;;) {
        if (*cap < need) {
            unsigned char *p = realloc(*out, need);
            if (!p)
                return -1;
            *out = p;
            *cap = need;
        }
        z->next_out = *out + *at;
        z->avail_out = (uInt)(*cap - *at);
        rc = deflate(z, flush);
        *at = (size_t)(z->next_out - *out);
        if (rc == Z_STREAM_END || (flush == Z_SYNC_FLUSH && rc == Z_OK && z->avail_out > 0 && z->avail_in == 0))
            return 0;
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return -1;
        need = *cap * 2;
    }
}

/* Each server thread keeps one small deflate state for the frames (a few KB each), reset per
 * use: making one costs more than compressing a frame. */
static pthread_key_t frame_key;
static pthread_once_t frame_once = PTHREAD_ONCE_INIT;
static bool frame_key_ok;

static void frame_free(void *p)
{
    deflateEnd(p);
    free(p);
}

static void frame_key_make(void)
{
    frame_key_ok = pthread_key_create(&frame_key, frame_free) == 0;
}

static z_stream *frame_stream(void)
{
    pthread_once(&frame_once, frame_key_make);
    if (!frame_key_ok)
        return NULL;
    z_stream *z = pthread_getspecific(frame_key);
    if (z)
        return deflateReset(z) == Z_OK ? z : NULL;
    z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    /* A 4 KB window and small tables: a frame is a few KB. */
    if (deflateInit2(z, FRAME_LEVEL, Z_DEFLATED, -12, 5, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(z);
        return NULL;
    }
    if (pthread_setspecific(frame_key, z) != 0) {
        frame_free(z);
        return NULL;
    }
    return z;
}

struct web_frag *web_frag_put(struct web_req *r, const char *key, const char *data, size_t len)
{
    struct web_frag *f = r->gen_ok ? calloc(1, sizeof *f) : NULL;
    if (!f || len > UINT32_MAX || !(f->data = malloc(len + 1))) {
        free(f);
        web_frag_abandon(r, key);
        return NULL;
    }
    memcpy(f->data, data, len);
    f->len = len;
    f->stamp = r->stamp;
    f->render = web_render_next();
    atomic_init(&f->refs, 1);
    size_t cap = 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    bool ok = deflateInit2(&z, FRAG_LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    if (!ok || deflate_into(&z, data, len, Z_SYNC_FLUSH, &f->gz, &cap, &f->gzlen) < 0) {
        free(f->gz);
        f->gz = NULL; /* served plain */
    }
    if (ok)
        deflateEnd(&z);
    f->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)data, (uInt)len);
    f->made_ms = now_ms();
    pthread_mutex_lock(&frags.mu);
    int i = find(r->ctx, key);
    if (i < 0)
        i = claim(r->ctx, key);
    if (!frags.slot[i].f || frags.slot[i].f->stamp.gen <= f->stamp.gen) {
        web_frag_unref(&frags.slot[i].f);
        frags.slot[i].f = ref(f);
    }
    frags.slot[i].building = false;
    pthread_mutex_unlock(&frags.mu);
    return f;
}

void web_frag_emit(struct web_resp *w, struct web_frag *f)
{
    if (w->frag) {
        buf_append(&w->body, f->data, f->len);
        web_frag_unref(&f);
        return;
    }
    w->frag = f;
    w->render = f->render; /* the page is this fragment's rendering, whatever frame is round it */
    w->frag_at = w->body.len;
    w->frag_in_body = false;
}

/* True when w's fragment still stands where it was put: a body replaced by an error page, or
 * cut shorter, has lost it. */
static bool frag_intact(const struct web_resp *w)
{
    const struct web_frag *f = w->frag;
    if (!f || w->body.failed || w->status != 200)
        return false;
    if (!w->frag_in_body)
        return w->frag_at <= w->body.len;
    if (w->frag_at + f->len > w->body.len)
        return false;
    const char *at = w->body.data + w->frag_at;
    size_t edge = f->len < 32 ? f->len : 32;
    return memcmp(at, f->data, edge) == 0 && memcmp(at + f->len - edge, f->data + f->len - edge, edge) == 0;
}

void web_frag_materialize(struct web_resp *w)
{
    if (!w->frag || w->frag_in_body)
        return;
    if (!frag_intact(w)) {
        web_frag_unref(&w->frag);
        return;
    }
    struct web_frag *f = w->frag;
    size_t tail = w->body.len - w->frag_at;
    /* Grow by the fragment's length, then open the gap at frag_at. */
    if (buf_append(&w->body, f->data, f->len) < 0)
        return;
    char *at = w->body.data + w->frag_at;
    memmove(at + f->len, at, tail);
    memcpy(at, f->data, f->len);
    w->frag_in_body = true;
}

void web_frag_drop(struct web_resp *w)
{
    web_frag_materialize(w);
    web_frag_unref(&w->frag);
}

bool web_accepts_gzip(const char *ae)
{
    /* RFC 9110 section 12.5.3: a coding listed with q=0 is refused. */
    for (const char *p = ae; p && *p;) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, " \t,;");
        if (n == 4 && strncasecmp(p, "gzip", 4) == 0) {
            const char *q = p + n;
            q += strspn(q, " \t");
            if (*q != ';')
                return true;
            q += 1 + strspn(q + 1, " \t");
            return !(strncasecmp(q, "q=0", 3) == 0 && strspn(q + 3, "0.") == strcspn(q + 3, ", \t"));
        }
        p += strcspn(p, ",");
    }
    return false;
}

int web_frag_gzip(const struct web_resp *w, char **out, size_t *len)
{
    const struct web_frag *f = w->frag;
    *out = NULL;
    if (!f || !f->gz || !frag_intact(w))
        return -1;
    size_t pre = w->frag_at, post_at = w->frag_in_body ? w->frag_at + f->len : w->frag_at;
    size_t post = w->body.len - post_at, total = pre + f->len + post;
    if (total < GZIP_MIN || total > UINT32_MAX)
        return -1;
    const char *body = w->body.data ? w->body.data : "";
    size_t cap = 10 + f->gzlen + (pre + post) / 2 + 256, n = 10;
    z_stream *zs = frame_stream();
    unsigned char *z = zs ? malloc(cap) : NULL;
    if (!z)
        return -1;
    static const unsigned char head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}; /* no name, no time */
    memcpy(z, head, 10);
    int rc = deflate_into(zs, body, pre, Z_SYNC_FLUSH, &z, &cap, &n);
    if (rc == 0 && cap < n + f->gzlen) {
        unsigned char *p = realloc(z, n + f->gzlen + post + 256);
        if (!p)
            rc = -1;
        else {
            z = p;
            cap = n + f->gzlen + post + 256;
        }
    }
    if (rc == 0) {
        memcpy(z + n, f->gz, f->gzlen);
        n += f->gzlen;
        rc = deflateReset(zs) == Z_OK ? deflate_into(zs, body + post_at, post, Z_FINISH, &z, &cap, &n) : -1;
    }
    if (rc == 0 && cap < n + 8) {
        unsigned char *p = realloc(z, n + 8);
        if (!p)
            rc = -1;
        else
            z = p;
    }
    if (rc < 0) {
        free(z);
        return -1;
    }
    uLong crc = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)body, (uInt)pre);
    crc = crc32_combine(crc, f->crc, (z_off_t)f->len);
    crc = crc32_combine(crc, crc32(crc32(0L, Z_NULL, 0), (const Bytef *)body + post_at, (uInt)post),
                        (z_off_t)post);
    uint32_t size = (uint32_t)total;
    for (int i = 0; i < 4; i++)
        z[n++] = (unsigned char)(crc >> (8 * i));
    for (int i = 0; i < 4; i++)
        z[n++] = (unsigned char)(size >> (8 * i));
    *out = (char *)z;
    *len = n;
    return 0;
}

bool web_frag_finish(struct web_resp *w, const char *accept_encoding)
{
    char *gz = NULL;
    size_t len = 0;
    if (!accept_encoding || !web_accepts_gzip(accept_encoding) || web_frag_gzip(w, &gz, &len) < 0) {
        web_frag_drop(w); /* its bytes go into the body */
        return false;
    }
    web_frag_unref(&w->frag);
    buf_release(&w->body);
    w->body.data = gz;
    w->body.len = w->body.cap = len;
    return true;
}
