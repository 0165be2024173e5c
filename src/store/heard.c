/* The groups a contribution is counted under in the who-has-been-heard report, kept so that hiding
 * or withdrawing it takes it out of those counts, and so that nothing stored links it to a person or
 * to their other contributions.
 *
 * A contribution counts under the groups its author had chosen when they made it. Those groups are
 * stored on its row only as a set of bits XORed with a pad, BLAKE2b(store key, "tally:" id): each
 * row's value looks random, differs from every other row's even for one person's contributions with
 * the same groups, and says nothing without the key. Moderation (no contributor secret at hand)
 * unmasks it to move the counts. One column on the contribution's own row adds no row, so no order
 * of arrival either. */
#include <stdio.h>
#include <string.h>

#include "core/secret.h"
#include "store/heard_int.h"
#include "core/banned.h"

void heard_bits_from_list(const char *list, struct heard_bits *out)
{
    memset(out, 0, sizeof *out);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        for (size_t i = 0; store_groups[i][0] && i < 8 * sizeof out->b; i++)
            if (strlen(store_groups[i][0]) == n && memcmp(store_groups[i][0], p, n) == 0)
                out->b[i / 8] |= (unsigned char)(1u << (i % 8));
        p = end ? end + 1 : p + n;
    }
}

static int hex_val(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The pad of domain for contribution id, as bytes. */
static void pad_of(const struct store *s, const char *domain, int64_t id, unsigned char out[32])
{
    char msg[48], hex[SECRET_HEX_LEN + 1];
    snprintf(msg, sizeof msg, "%s:%lld", domain, (long long)id);
    secret_keyed_hash(s->key, msg, hex);
    for (size_t i = 0; i < 32; i++)
        out[i] = (unsigned char)(hex_val(hex[2 * i]) << 4 | hex_val(hex[2 * i + 1]));
}

static void pad(const struct store *s, int64_t id, unsigned char out[32])
{
    pad_of(s, "tally", id, out);
}

/* a XOR b as 64 hex digits, a and b 64 hex digits / 32 bytes; "" when a is not hex. */
static void xor_hex(const char *a, const unsigned char b[32], char out[65])
{
    static const char digits[] = "0123456789abcdef";
    out[0] = '\0';
    if (!a || strlen(a) != 64)
        return;
    for (size_t i = 0; i < 64; i++)
        if (hex_val(a[i]) < 0)
            return;
    for (size_t i = 0; i < 32; i++) {
        unsigned char v = (unsigned char)(hex_val(a[2 * i]) << 4 | hex_val(a[2 * i + 1])) ^ b[i];
        out[2 * i] = digits[v >> 4];
        out[2 * i + 1] = digits[v & 15];
    }
    out[64] = '\0';
}

void heard_author_mask(const struct store *s, int64_t id, const char token[65], char out[65])
{
    unsigned char p[32];
    pad_of(s, "author", id, p);
    xor_hex(token, p, out);
}

void heard_author_unmask(const struct store *s, int64_t id, const char *masked, char out[65])
{
    heard_author_mask(s, id, masked, out); /* XOR is its own inverse */
}

void heard_mask(const struct store *s, int64_t id, const struct heard_bits *bits, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char p[32];
    pad(s, id, p);
    for (size_t i = 0; i < 32; i++) {
        unsigned char v = p[i] ^ bits->b[i];
        out[2 * i] = digits[v >> 4];
        out[2 * i + 1] = digits[v & 15];
    }
    out[64] = '\0';
}

void heard_unmask(const struct store *s, int64_t id, const char *masked, struct heard_bits *out)
{
    memset(out, 0, sizeof *out);
    if (!masked || strlen(masked) != 64)
        return;
    for (size_t i = 0; i < 64; i++)
        if (hex_val(masked[i]) < 0)
            return;
    unsigned char p[32];
    pad(s, id, p);
    for (size_t i = 0; i < 32; i++)
        out->b[i] = (unsigned char)(hex_val(masked[2 * i]) << 4 | hex_val(masked[2 * i + 1])) ^ p[i];
}

int heard_count(struct db_conn *c, int64_t campaign_id, const struct heard_bits *bits, int64_t dc,
                struct purpose_err *err)
{
    for (size_t i = 0; store_groups[i][0] && i < 8 * sizeof bits->b; i++)
        if (bits->b[i / 8] & (1u << (i % 8)))
            if (db_run(c, err,
                       "INSERT INTO campaign_tally(campaign_id, grp, participants, contributions) VALUES(?,?,0,?) "
                       "ON CONFLICT(campaign_id, grp) DO UPDATE SET contributions = campaign_tally.contributions + "
                       "excluded.contributions",
                       "iti", campaign_id, store_groups[i][0], dc) < 0)
                return -1;
    return 0;
}
