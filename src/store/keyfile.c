/* The store's key and its file (docs/privacy.md). Every key that protects anonymity (contributor
 * hashes, owner keys, group masks), and the keys of sign-in sessions and API tokens, come from one
 * 32-byte key kept in a file outside the database, so that a copy of every table unmasks nothing.
 * The database holds only the key's fingerprint, to say when a file is not its key. Databases made
 * before key files kept the key in meta.secret_key: purpose init moves it out to the file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "handover/handover.h"
#include "store/heard_int.h"
#include "core/banned.h"

#define META_FINGERPRINT "key_fingerprint"
#define META_LEGACY "secret_key"
#define META_HANDOVER "handover_key"

static bool is_url(const char *location)
{
    return strncmp(location, "postgresql://", 13) == 0 || strncmp(location, "postgres://", 11) == 0;
}

int store_key_location(const char *location, const char *key_option, char *out, size_t n,
                       struct purpose_err *err)
{
    const char *p = key_option && *key_option ? key_option : getenv("PURPOSE_KEY_FILE");
    int w;
    if (p && *p)
        w = snprintf(out, n, "%s", p);
    else if (is_url(location))
        return purpose_errk(err, PURPOSE_ERR_INPUT, "key-file",
                            "--key-file: a PostgreSQL database needs its key file named: give --key-file PATH "
                            "or set PURPOSE_KEY_FILE (purpose init creates it)");
    else
        w = snprintf(out, n, "%s.key", location);
    if (w < 0 || (size_t)w >= n)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "key-file", "--key-file: the path is too long");
    return 0;
}

/* meta's value for name into out (at most cap bytes); *n is 0 when there is none. */
static int meta_get(struct db_conn *c, const char *name, void *out, size_t cap, size_t *n,
                    struct purpose_err *err)
{
    *n = 0;
    struct db_stmt *st = NULL;
    if (db_query(c, &st, err, "SELECT value FROM meta WHERE key = ?", "t", name) < 0)
        return -1;
    int r = db_step(st, err);
    if (r < 0)
        return -1;
    size_t len = 0;
    const void *v = r == 1 ? db_col_blob(st, 0, &len) : NULL;
    if (v && len <= cap) {
        memcpy(out, v, len);
        *n = len;
    }
    db_reset(st);
    if (r == 1 && *n == 0)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "store: meta.%s is damaged", name);
    return 0;
}

static int meta_put(struct db_conn *c, const char *name, const void *v, size_t n, struct purpose_err *err)
{
    struct db_stmt *st;
    if (db_prepare(c, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   &st, err) < 0)
        return -1;
    if (db_bind_text(st, 1, name) < 0 || db_bind_blob(st, 2, v, n) < 0) {
        db_reset(st);
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "store: cannot bind meta.%s", name);
    }
    int r = db_step(st, err);
    if (r >= 0)
        db_reset(st);
    return r < 0 ? -1 : 0;
}

/* Checks the file's key against what the database says of its key. */
static int key_matches(const struct store_keyfile *kf, const char *location, const unsigned char key[32],
                       const char *fp_db, size_t nf, const unsigned char *legacy, size_t nl,
                       struct purpose_err *err)
{
    char fp[SECRET_FINGERPRINT_LEN + 1];
    secret_key_fingerprint(key, fp);
    if (nf && memcmp(fp, fp_db, SECRET_FINGERPRINT_LEN) != 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "key-file",
                            "%s: this is not the key of the database at %s (the file's fingerprint is %s, the "
                            "database's %.*s): give the right file with --key-file or PURPOSE_KEY_FILE",
                            kf->path, location, fp, SECRET_FINGERPRINT_LEN, fp_db);
    if (!nf && nl && memcmp(legacy, key, 32) != 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "key-file",
                            "%s: this is not the key of the database at %s, which still keeps its own key "
                            "inside it: move this file away and run purpose init to move that key out to it",
                            kf->path, location);
    return 0;
}

/* No key file: says why that is an error, or makes one (purpose init). */
static int key_missing(struct store *s, struct store_keyfile *kf, const char *location, const char *fp_db,
                       size_t nf, const unsigned char *legacy, size_t nl, struct purpose_err *err)
{
    if (nf)
        return purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "key-file",
                            "%s: the key file of the database at %s is missing (its fingerprint is %.*s): give "
                            "its path with --key-file or PURPOSE_KEY_FILE",
                            kf->path, location, SECRET_FINGERPRINT_LEN, fp_db);
    if (!kf->create && nl)
        return purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "key-file",
                            "%s: the database keeps its key inside it (it was made before key files): run "
                            "purpose init --db %s --key-file %s once to move the key out to that file",
                            location, location, kf->path);
    if (!kf->create)
        return purpose_errk(err, PURPOSE_ERR_NOT_FOUND, "key-file",
                            "%s: no key file: run purpose init --db %s to create the database's key", kf->path,
                            location);
    if (nl) {
        memcpy(s->key, legacy, 32);
        kf->event = STORE_KEY_MOVED;
    } else {
        secret_random_bytes(s->key, sizeof s->key);
        kf->event = STORE_KEY_CREATED;
    }
    return secret_key_write(kf->path, s->key, err);
}

int store_key_setup(struct store *s, struct db_conn *c, struct store_keyfile *kf, const char *location,
                    struct purpose_err *err)
{
    char fp_db[SECRET_FINGERPRINT_LEN];
    unsigned char legacy[32], ho[16];
    size_t nf = 0, nl = 0, nh = 0;
    kf->event = STORE_KEY_LOADED;
    if (meta_get(c, META_FINGERPRINT, fp_db, sizeof fp_db, &nf, err) < 0 ||
        meta_get(c, META_LEGACY, legacy, sizeof legacy, &nl, err) < 0 ||
        meta_get(c, META_HANDOVER, ho, sizeof ho, &nh, err) < 0)
        return -1;
    if ((nf && nf != SECRET_FINGERPRINT_LEN) || (nl && nl != 32) || (nh && nh != 16))
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "store: the key's records in meta are damaged");
    struct purpose_err ferr = {0};
    int rc;
    if (secret_key_read(kf->path, s->key, &ferr) == 0)
        rc = key_matches(kf, location, s->key, fp_db, nf, legacy, nl, err);
    else if (ferr.kind == PURPOSE_ERR_NOT_FOUND)
        rc = key_missing(s, kf, location, fp_db, nf, legacy, nl, err);
    else
        rc = (*err = ferr, -1);
    secret_random_bytes(legacy, sizeof legacy);
    if (rc < 0)
        return -1;
    if (nl) {
        /* Overwritten first so that SQLite's page holds zeros, then gone (store_key_scrub). */
        unsigned char zero[32] = {0};
        rc = meta_put(c, META_LEGACY, zero, sizeof zero, err);
        if (rc == 0)
            rc = db_run(c, err, "DELETE FROM meta WHERE key = ?", "t", META_LEGACY);
        s->scrub = true;
    }
    if (rc == 0 && (nl || !nf)) {
        char fp[SECRET_FINGERPRINT_LEN + 1];
        secret_key_fingerprint(s->key, fp);
        rc = meta_put(c, META_FINGERPRINT, fp, SECRET_FINGERPRINT_LEN, err);
    }
    /* Handover row identities (handovers.c) are not about anonymity: their key stays in the database,
     * derived once as before key files, so rows imported then are still recognised and a rotation of
     * the key file leaves them alone. */
    if (rc == 0 && !nh) {
        static const char label[] = "purpose handover row key";
        ho_siphash(s->key, label, sizeof label - 1, ho, sizeof ho);
        rc = meta_put(c, META_HANDOVER, ho, sizeof ho, err);
    }
    if (rc == 0)
        memcpy(s->ho_key, ho, sizeof ho);
    return rc;
}

void store_key_scrub(struct store *s)
{
    if (!s->scrub)
        return;
    s->scrub = false;
    struct db_conn *c;
    struct purpose_err ignored;
    if (db_acquire(s->db, true, &c, &ignored) < 0)
        return;
    /* Best effort: the old key's bytes leave the WAL (SQLite) or the table's files (PostgreSQL); old
     * backups still hold them, so docs/privacy.md says to rotate the key after moving it out. */
    db_exec(c, db_engine(s->db) == DB_POSTGRES ? "VACUUM FULL meta" : "PRAGMA wal_checkpoint(TRUNCATE)", &ignored);
    db_release(c);
}

/* ---- rotation (docs/privacy.md, "The key file"): a new key in a new file, every group mask
 * re-masked with it in one transaction, sign-in sessions ended and API tokens revoked (their hashes
 * were keyed with the old key), the fingerprint changed; the new file replaces the old only once the
 * transaction has committed. Owners, voters and participant tokens need secrets the server never
 * kept, so they stay as they were. */

struct masked_row {
    int64_t id;
    char tally[65];
    char author[65];
};

static int row_masked(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct masked_row *m = item;
    m->id = db_col_i64(st, 0);
    snprintf(m->tally, sizeof m->tally, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
    snprintf(m->author, sizeof m->author, "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
    return 0;
}

/* Re-masks every contribution's groups and author from s's key to next's, in c's transaction: an
 * author left masked with the old key would unmask to a random token, one person per contribution. */
static int remask(struct store *s, const struct store *next, struct db_conn *c, struct purpose_err *err)
{
    struct masked_row *rows = NULL;
    size_t n = 0;
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err,
                      "SELECT id, tally, author_mask FROM contributions WHERE tally <> '' OR author_mask <> ''", "");
    rc = store_read_all(st, rc, (void **)&rows, &n, sizeof *rows, row_masked, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct heard_bits bits;
        char masked[65] = "", token[65], author[65] = "";
        if (rows[i].tally[0]) {
            heard_unmask(s, rows[i].id, rows[i].tally, &bits);
            heard_mask(next, rows[i].id, &bits, masked);
        }
        heard_author_unmask(s, rows[i].id, rows[i].author, token);
        if (token[0])
            heard_author_mask(next, rows[i].id, token, author);
        rc = db_run(c, err, "UPDATE contributions SET tally = ?, author_mask = ? WHERE id = ?", "tti", masked, author,
                    rows[i].id);
    }
    free(rows);
    return rc;
}

int store_key_rotate(struct store *s, const struct store_actor *by, const char *path, struct purpose_err *err)
{
    char fresh[4200];
    if (snprintf(fresh, sizeof fresh, "%s.new", path) >= (int)sizeof fresh)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "key-file", "--key-file: the path is too long");
    struct store next = *s;
    secret_random_bytes(next.key, sizeof next.key);
    if (secret_key_write(fresh, next.key, err) < 0)
        return -1;
    char fp[SECRET_FINGERPRINT_LEN + 1];
    secret_key_fingerprint(next.key, fp);
    struct db_conn *c;
    int rc = store_write(s, &c, err);
    if (rc == 0) {
        rc = remask(s, &next, c, err);
        if (rc == 0)
            rc = db_run(c, err, "DELETE FROM sessions", "");
        if (rc == 0)
            rc = db_run(c, err, "UPDATE api_tokens SET revoked_at = ? WHERE revoked_at IS NULL", "i",
                        (int64_t)time(NULL));
        if (rc == 0)
            rc = meta_put(c, META_FINGERPRINT, fp, SECRET_FINGERPRINT_LEN, err);
        if (rc == 0)
            rc = store_audit(c, by, "rotate", "key", 0, NULL, json_pack("{s:s}", "fingerprint", fp), false, true,
                             err);
        rc = store_write_end(s, rc, err);
    }
    if (rc < 0) {
        unlink(fresh);
        return -1;
    }
    memcpy(s->key, next.key, sizeof s->key);
    secret_random_bytes(next.key, sizeof next.key);
    if (rename(fresh, path) != 0)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, "key-file",
                            "%s: the database now expects the new key, which is in %s: move it to %s (%s)", path,
                            fresh, path, strerror(errno));
    return 0;
}
