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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_makes_the_key_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_or_wrong_key_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_key_moves_out, setup, teardown),
    };
    return run_on_both_engines("keyfile", tests);
}
