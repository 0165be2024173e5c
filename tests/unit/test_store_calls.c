/* store_calls (temporary, issue 7): the store_<member> functions give every failure the kind the
 * web layer and the CLI branch on. Goes with src/store/store_calls.c when the new store lands;
 * the same expectations then hold for that store's own functions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"
#include "store/store_calls.h"
#include "core/banned.h"

static const struct store_actor tester = {1, "tester"};

static void test_kinds(void **state)
{
    (void)state;
    char dir[64], path[96], p[128];
    snprintf(dir, sizeof dir, "/tmp/purpose-calls-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/p.db", dir);
    struct purpose_err err = {0};
    struct store *s = NULL;
    assert_int_equal(store_open(path, &s, &err), 0);

    struct store_user u;
    assert_int_equal(store_user_get(s, 999, &u, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_string_equal(err.msg, "user: not found");
    assert_int_equal(store_user_find(s, "nobody", &u, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);

    int64_t id = 0;
    assert_int_equal(store_user_add(s, &tester, "alice", "Alice", ROLE_ADMIN, "x", &id, &err), 0);
    assert_int_equal(store_user_add(s, &tester, "alice", "Alice", ROLE_ADMIN, "x", NULL, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_CONFLICT);
    assert_string_equal(err.field, "username");
    assert_int_equal(store_user_add(s, &tester, "b", "B", ROLE_ADMIN, "x", NULL, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    assert_string_equal(err.field, "username");

    assert_int_equal(store_value_add(s, &tester, "  ", "", NULL, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    assert_string_equal(err.field, "name");
    assert_int_equal(store_value_update(s, &tester, 999, "Kindness", "", &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_ambition_add(s, &tester, 999, "Aim", "", 2030, NULL, &err), -1);
    assert_string_equal(err.field, "theme_id");

    int64_t tok = 0;
    assert_int_equal(store_token_create(s, &tester, id, "t", "pur_x", "h", &tok, &err), 0);
    assert_int_equal(store_token_revoke(s, &tester, tok, &err), 0);
    assert_int_equal(store_token_revoke(s, &tester, tok, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_CONFLICT);
    assert_string_equal(err.field, "id");

    /* A failing database is internal, whatever its file is called. */
    store_fail_after(s, 1);
    assert_int_equal(store_value_add(s, &tester, "Kindness", "", NULL, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_INTERNAL);
    assert_string_equal(err.field, "");
    store_fail_after(s, 0);

    store_close(&s);
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
    };
    return cmocka_run_group_tests_name("store calls", tests, NULL, NULL);
}
