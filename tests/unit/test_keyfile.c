/* The store's key file (docs/privacy.md), on both engines: purpose init makes it with mode 0600 and
 * the database keeps only its fingerprint; a missing file, or another database's, is an error naming
 * it that changes nothing; a database made before key files has its key moved out, and is refused
 * until then. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/secret.h"
#include "store/store.h"
#include "store/campaigns.h"
#define STORE_FIXTURE_ONE_ORGANISATION
#include "store_fixture.h"
#include "core/banned.h"

static char *meta(const char *path)
{
    return raw_dump(path, "SELECT key FROM meta ORDER BY key");
}

static int reopen(const char *path, const char *key, bool create, struct store **s, struct purpose_err *err)
{
    struct store_keyfile kf = {.path = key, .create = create};
    return store_open(path, &kf, s, err);
}

static void test_init_makes_the_key_file(void **state)
{
    struct fixture *f = *state;
    char key[600];
    fixture_key_path(f->path, key);
    struct stat sb;
    assert_int_equal(stat(key, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* The database holds the key's fingerprint, never the key. */
    char *m = meta(f->path);
    assert_non_null(strstr(m, "key_fingerprint\n"));
    assert_null(strstr(m, "secret_key"));
    free(m);
    unsigned char k[32], file[32];
    struct purpose_err err = {0};
    assert_int_equal(store_secret_key(f->s, k, &err), 0);
    assert_int_equal(secret_key_read(key, file, &err), 0);
    assert_memory_equal(k, file, 32);
}

static void test_missing_or_wrong_key_is_refused(void **state)
{
    struct fixture *f = *state;
    store_close(&f->s);
    struct purpose_err err = {0};
    char *before = meta(f->path);
    struct store *s = NULL;
    /* No file there: the error names it and says whose key it is. */
    assert_int_equal(reopen(f->path, "/tmp/purpose-no-such.key", false, &s, &err), -1);
    assert_null(s);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_string_equal(err.field, "key-file");
    assert_non_null(strstr(err.msg, "/tmp/purpose-no-such.key: the key file of the database"));
    /* purpose init does not make a new key for a database that has one. */
    assert_int_equal(reopen(f->path, "/tmp/purpose-no-such.key", true, &s, &err), -1);
    assert_int_equal(access("/tmp/purpose-no-such.key", F_OK), -1);
    /* Another key: refused, naming the file. */
    char other[64];
    snprintf(other, sizeof other, "/tmp/purpose-other-%ld.key", (long)getpid());
    unlink(other);
    unsigned char k[32];
    secret_random_bytes(k, sizeof k);
    assert_int_equal(secret_key_write(other, k, &err), 0);
    assert_int_equal(secret_key_write(other, k, &err), -1); /* never overwrites a key */
    assert_int_equal(reopen(f->path, other, false, &s, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    assert_non_null(strstr(err.msg, "is not the key of the database"));
    assert_non_null(strstr(err.msg, other));
    /* Not a key file at all. */
    FILE *fp = fopen(other, "w");
    assert_non_null(fp);
    fputs("not a key\n", fp);
    fclose(fp);
    assert_int_equal(reopen(f->path, other, false, &s, &err), -1);
    assert_non_null(strstr(err.msg, "not a Purpose key file"));
    unlink(other);
    char *after = meta(f->path);
    assert_string_equal(before, after);
    free(before);
    free(after);
    assert_int_equal(fixture_store_open(f->path, &f->s, &err), 0);
}

static void test_legacy_key_moves_out(void **state)
{
    struct fixture *f = *state;
    store_close(&f->s);
    char key[600];
    fixture_key_path(f->path, key);
    unlink(key);
    /* A database made before key files: its key in meta.secret_key, no fingerprint. */
    static const char hex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    char sql[400];
    snprintf(sql, sizeof sql,
             pg_url ? "DELETE FROM meta WHERE key = 'key_fingerprint';"
                      "INSERT INTO meta(key, value) VALUES('secret_key', '\\x%s'::bytea)"
                    : "DELETE FROM meta WHERE key = 'key_fingerprint';"
                      "INSERT INTO meta(key, value) VALUES('secret_key', X'%s')",
             hex);
    assert_int_equal(raw_exec(f->path, sql), 0);
    char *before = meta(f->path);
    struct purpose_err err = {0};
    struct store *s = NULL;
    /* serve and the other commands refuse it, saying how to move the key out. */
    assert_int_equal(reopen(f->path, key, false, &s, &err), -1);
    assert_non_null(strstr(err.msg, "purpose init"));
    char *same = meta(f->path);
    assert_string_equal(before, same);
    free(same);
    free(before);
    /* purpose init moves it out: the file holds the same key, the database no longer does. */
    struct store_keyfile kf = {.path = key, .create = true};
    assert_int_equal(store_open(f->path, &kf, &f->s, &err), 0);
    assert_int_equal(kf.event, STORE_KEY_MOVED);
    unsigned char k[32], want[32];
    for (int i = 0; i < 32; i++)
        want[i] = (unsigned char)i;
    assert_int_equal(secret_key_read(key, k, &err), 0);
    assert_memory_equal(k, want, 32);
    char *m = meta(f->path);
    assert_null(strstr(m, "secret_key"));
    assert_non_null(strstr(m, "key_fingerprint"));
    free(m);
    store_close(&f->s);
    assert_int_equal(reopen(f->path, key, false, &f->s, &err), 0);
}

#define NOW 1800000000
#define SECRET_A "contributor-secret-aaaaaaaaaaaaaaaa"

static char *tallies(const char *path)
{
    return raw_dump(path, "SELECT grp || ' ' || contributions FROM campaign_tally ORDER BY grp");
}

/* Rotation: a new key in the file, the group masks re-masked with it (a later hide still takes the
 * contribution out of its author's groups), sessions ended, API tokens revoked; a failed rotation
 * leaves the database and the key file as they were. */
static void test_rotation(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store_campaign_input ci = {.question = "What matters?", .description = "d", .audience = "all",
                                      .privacy = "p", .opens_at = NOW - 1000, .closes_at = NOW + 1000};
    int64_t cid = 0, idea = 0, uid = 0;
    assert_int_equal(store_campaign_add(f->s, &tester, &ORG, &ci, &cid, &err), 0);
    const char *groups[] = {"carer", "eth-K"};
    assert_int_equal(store_participant_set(f->s, &ORG, cid, SECRET_A, groups, 2, &err), 0);
    struct store_contribution_input in = {.body = "An idea", .secret = SECRET_A, .anonymous = true, .staff = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &idea, NULL, &err), 0);
    assert_int_equal(store_user_add(f->s, &tester, org, "nurse", "Nurse", ROLE_MEMBER, "x", &uid, &err), 0);
    assert_int_equal(raw_exec(f->path, "INSERT INTO sessions(id_hash, user_id, csrf, expires_at) "
                                       "SELECT 'h', id, 'c', 1 FROM users"), 0);
    char key[600], *before = tallies(f->path);
    assert_string_equal(before, "carer 1\neth-K 1\n");
    fixture_key_path(f->path, key);
    unsigned char old[32], now_key[32];
    assert_int_equal(secret_key_read(key, old, &err), 0);
    char *fp_old = raw_dump(f->path, "SELECT COUNT(*) FROM meta");

    /* A stale new file in the way: refused, nothing changed. */
    char fresh[700];
    snprintf(fresh, sizeof fresh, "%s.new", key);
    assert_int_equal(secret_key_write(fresh, old, &err), 0);
    assert_int_equal(store_key_rotate(f->s, &tester, key, &err), -1);
    assert_non_null(strstr(err.msg, fresh));
    unlink(fresh);
    /* Every step of the transaction failing in turn: the key file and the database stay. */
    char *masks = raw_dump(f->path, "SELECT tally FROM contributions");
    for (int n = 1; n <= 6; n++) {
        store_fault_after(f->s, n);
        int rc = store_key_rotate(f->s, &tester, key, &err);
        store_fault_after(f->s, 0);
        if (rc == 0)
            fail_msg("rotation succeeded despite a fault at step %d", n);
        assert_int_equal(access(fresh, F_OK), -1);
        assert_int_equal(secret_key_read(key, now_key, &err), 0);
        assert_memory_equal(old, now_key, 32);
        char *m = raw_dump(f->path, "SELECT tally FROM contributions");
        assert_string_equal(m, masks);
        free(m);
    }
    free(masks);

    assert_int_equal(store_key_rotate(f->s, &tester, key, &err), 0);
    assert_int_equal(secret_key_read(key, now_key, &err), 0);
    assert_memory_not_equal(old, now_key, 32);
    unsigned char in_store[32];
    assert_int_equal(store_secret_key(f->s, in_store, &err), 0);
    assert_memory_equal(in_store, now_key, 32);
    char *sessions = raw_dump(f->path, "SELECT COUNT(*) FROM sessions");
    assert_string_equal(sessions, "0\n");
    free(sessions);
    /* Re-masked: hiding the idea still takes it out of exactly its author's groups. */
    assert_int_equal(store_contribution_moderate(f->s, &tester, &ORG, cid, idea, false, "Off topic", &err), 0);
    char *after = tallies(f->path);
    assert_string_equal(after, "carer 0\neth-K 0\n");
    free(after);
    free(before);
    free(fp_old);
    /* The old key no longer opens the database; the new one does. */
    store_close(&f->s);
    char oldpath[700];
    snprintf(oldpath, sizeof oldpath, "%s.old", key);
    unlink(oldpath);
    assert_int_equal(secret_key_write(oldpath, old, &err), 0);
    assert_int_equal(reopen(f->path, oldpath, false, &f->s, &err), -1);
    assert_non_null(strstr(err.msg, "is not the key of the database"));
    unlink(oldpath);
    assert_int_equal(reopen(f->path, key, false, &f->s, &err), 0);
}

/* Rotation re-masks each contribution's author too: two ideas by the same contributor, written
 * before a rotation and linked to a statement after it, count as one person, not two. */
static void test_rotation_keeps_authors(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store_campaign_input ci = {.question = "What matters?", .description = "d", .audience = "all",
                                      .privacy = "p", .opens_at = NOW - 1000, .closes_at = NOW + 1000};
    int64_t cid = 0, ids[2] = {0, 0};
    assert_int_equal(store_campaign_add(f->s, &tester, &ORG, &ci, &cid, &err), 0);
    const char *groups[] = {"carer"};
    assert_int_equal(store_participant_set(f->s, &ORG, cid, SECRET_A, groups, 1, &err), 0);
    struct store_contribution_input in = {.body = "Kindness first", .secret = SECRET_A, .anonymous = true};
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &ids[0], NULL, &err), 0);
    in.body = "Faster handovers";
    assert_int_equal(store_contribution_add(f->s, &ORG, cid, &in, NOW, &ids[1], NULL, &err), 0);
    char key[600];
    fixture_key_path(f->path, key);
    assert_int_equal(store_key_rotate(f->s, &tester, key, &err), 0);
    assert_int_equal(store_statement_set(f->s, &tester, ORG, "vision", "Kind, fast care", &err), 0);
    assert_int_equal(store_provenance_link(f->s, &tester, ORG, "vision", ids, 2, &err), 0);
    struct store_provenance p;
    struct store_contribution_list l;
    assert_int_equal(store_provenance_get(f->s, ORG, "vision", &p, &l, &err), 0);
    store_contribution_list_release(&l);
    assert_int_equal(p.contributions, 2);
    assert_int_equal(p.people, 1);
    assert_int_equal(p.groups, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_makes_the_key_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_or_wrong_key_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_key_moves_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotation_keeps_authors, setup, teardown),
    };
    return run_on_both_engines("keyfile", tests);
}
