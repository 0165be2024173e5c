/* The store contract, on a real SQLite file and, when PURPOSE_TEST_PG names a server, on a real
 * PostgreSQL database: schema, validation, history, cascades, the append-only audit log, and fault
 * injection proving that a failed write changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/secret.h"
#include "db/db.h"
#include "store/store.h"
#define STORE_FIXTURE_ONE_ORGANISATION
#include "store_fixture.h"
#include "core/banned.h"


static void test_defaults_and_reopen(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store_value_list vl;
    assert_int_equal(store_value_list(f->s, STORE_ORG_SCOPE(org), &vl, &err), 0);
    assert_int_equal(vl.n, 6);
    assert_string_equal(vl.items[0].name, "Working together for patients");
    assert_string_equal(vl.items[5].name, "Everyone counts");
    store_value_list_release(&vl);
    /* Reopening applies no migration twice and keeps the data and the secret key. */
    unsigned char k1[32], k2[32];
    assert_int_equal(store_secret_key(f->s, k1, &err), 0);
    store_close(&f->s);
    assert_int_equal(fixture_store_open(f->path, &f->s, &err), 0);
    assert_int_equal(store_default_values(f->s, org, &err), 0);
    assert_int_equal(store_value_list(f->s, STORE_ORG_SCOPE(org), &vl, &err), 0);
    assert_int_equal(vl.n, 6);
    store_value_list_release(&vl);
    assert_int_equal(store_secret_key(f->s, k2, &err), 0);
    assert_memory_equal(k1, k2, 32);
}

static void test_validation_names_the_field(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store *s = f->s;
    assert_int_equal(store_theme_add(s, &tester, STORE_ORG_SCOPE(org), "  ", "d", NULL, &err), -1);
    assert_string_equal(err.msg, "title: is required");
    assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    assert_string_equal(err.field, "title");
    char long_title[STORE_TITLE_MAX + 2];
    memset(long_title, 'x', sizeof long_title - 1);
    long_title[sizeof long_title - 1] = '\0';
    assert_int_equal(store_value_add(s, &tester, STORE_ORG_SCOPE(org), long_title, "", NULL, &err), -1);
    assert_non_null(strstr(err.msg, "name: must be at most"));
    assert_int_equal(store_value_add(s, &tester, STORE_ORG_SCOPE(org), "bad \xff utf8", "", NULL, &err), -1);
    assert_non_null(strstr(err.msg, "name: is not valid UTF-8"));
    /* The one UTF-8 rule (issue 12): an encoded surrogate, an overlong form and a code point above
     * U+10FFFF are refused, naming the field; a control character is refused as before. */
    static const char *const bad[] = {"V\xed\xa0\x80", "\xc0\xaf", "\xe0\x80\xaf", "\xf4\x90\x80\x80", "a\xe2\x82"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(store_statement_set(s, &tester, ORG, "vision", bad[i], &err), -1);
        assert_string_equal(err.field, "text");
        assert_int_equal(err.kind, PURPOSE_ERR_INPUT);
    }
    /* Lookups by a name from outside (a URL, the sign-in form) that is not UTF-8 find nothing on
     * both engines, rather than a database error on PostgreSQL. */
    struct store_user nu;
    struct store_org no;
    struct store_programme np;
    assert_int_equal(store_user_find(s, "ann\xff", &nu, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_org_find(s, "tr\xed\xa0\x80ust", &no, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_programme_find(s, "\xc0\xaf", &np, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_value_add(s, &tester, STORE_ORG_SCOPE(org), "bell \x07", "", NULL, &err), -1);
    assert_non_null(strstr(err.msg, "name: contains characters"));
    assert_int_equal(store_value_add(s, &tester, STORE_ORG_SCOPE(org), "Caf\xc3\xa9 \xf0\x9f\x8f\xa5 \xf4\x8f\xbf\xbf", "", NULL, &err), 0);
    assert_int_equal(store_statement_set(s, &tester, ORG, "mission", "x", &err), -1);
    assert_non_null(strstr(err.msg, "kind:"));
    int64_t tid;
    assert_int_equal(store_theme_add(s, &tester, STORE_ORG_SCOPE(org), "T", "", &tid, &err), 0);
    assert_int_equal(store_ambition_add(s, &tester, STORE_ORG_SCOPE(org), tid, "A", "", 1999, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "target_year:"));
    assert_int_equal(store_ambition_add(s, &tester, STORE_ORG_SCOPE(org), tid + 100, "A", "", 2030, NULL, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_string_equal(err.field, "theme_id");
    assert_int_equal(store_user_add(s, &tester, 0, "a b", "A", ROLE_MEMBER, "h", NULL, &err), -1);
    assert_non_null(strstr(err.msg, "username:"));
    assert_int_equal(store_user_add(s, &tester, 0, "Ann", "Ann", ROLE_MEMBER, "h", NULL, &err), 0);
    assert_int_equal(store_user_add(s, &tester, 0, "ann", "Ann", ROLE_MEMBER, "h", NULL, &err), -1);
    assert_non_null(strstr(err.msg, "already taken"));
    assert_int_equal(err.kind, PURPOSE_ERR_CONFLICT);
    assert_string_equal(err.field, "username");
}

static void test_history_and_cascade(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store *s = f->s;
    struct store_statement cur;
    assert_int_equal(store_statement_current(s, ORG, "vision", &cur, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_statement_set(s, &tester, ORG, "vision", "First", &err), 0);
    assert_int_equal(store_statement_set(s, &tester, ORG, "vision", "Second", &err), 0);
    assert_int_equal(store_statement_current(s, ORG, "vision", &cur, &err), 0);
    assert_string_equal(cur.text, "Second");
    assert_string_equal(cur.author, "tester");
    store_statement_release(&cur);
    struct store_statement_list h;
    assert_int_equal(store_statement_history(s, ORG, "vision", &h, &err), 0);
    assert_int_equal(h.n, 2);
    assert_string_equal(h.items[1].text, "First");
    store_statement_list_release(&h);

    int64_t tid;
    assert_int_equal(store_theme_add(s, &tester, STORE_ORG_SCOPE(org), "Theme", "", &tid, &err), 0);
    assert_int_equal(store_ambition_add(s, &tester, STORE_ORG_SCOPE(org), tid, "A1", "", 2030, NULL, &err), 0);
    assert_int_equal(store_ambition_add(s, &tester, STORE_ORG_SCOPE(org), tid, "A2", "", 2031, NULL, &err), 0);
    struct store_ambition_list al;
    assert_int_equal(store_ambition_list(s, STORE_ORG_SCOPE(org), tid, &al, &err), 0);
    assert_int_equal(al.n, 2);
    assert_int_equal(al.items[1].position, 2);
    store_ambition_list_release(&al);
    assert_int_equal(store_theme_delete(s, &tester, STORE_ORG_SCOPE(org), tid, &err), 0);
    assert_int_equal(store_ambition_list(s, STORE_ORG_SCOPE(org), 0, &al, &err), 0);
    assert_int_equal(al.n, 0);
    store_ambition_list_release(&al);
    assert_int_equal(store_theme_delete(s, &tester, STORE_ORG_SCOPE(org), tid, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
}

static void test_audit_is_append_only(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store *s = f->s;
    assert_int_equal(store_value_update(s, &tester, STORE_ORG_SCOPE(org), 1, "Patients first", "Always.", &err), 0);
    struct store_audit_list al;
    assert_int_equal(store_audit_list(s, 0, 1, &al, &err), 0);
    assert_int_equal(al.n, 1);
    assert_string_equal(al.items[0].actor, "tester");
    assert_string_equal(al.items[0].action, "update");
    assert_non_null(strstr(al.items[0].before, "Working together for patients"));
    assert_non_null(strstr(al.items[0].after, "Patients first"));
    store_audit_list_release(&al);
    /* Even SQL run on the database directly cannot change or remove an entry. */
    assert_int_equal(raw_exec(f->path, "UPDATE audit SET actor = 'x'"), -1);
    assert_int_equal(raw_exec(f->path, "DELETE FROM audit"), -1);
    assert_int_equal(store_audit_list(s, 0, 1000, &al, &err), 0);
    assert_true(al.n > 0);
    assert_string_equal(al.items[0].actor, "tester");
    store_audit_list_release(&al);
}

/* Everything the store holds, as text, to compare before and after a failed write. */
static char *snapshot(struct store *s)
{
    struct purpose_err err = {0};
    struct buf b;
    buf_init(&b, 1u << 20);
    struct store_value_list vl;
    struct store_theme_list tl;
    struct store_ambition_list al;
    struct store_user_list ul;
    struct store_token_list kl;
    struct store_audit_list aul;
    struct store_statement_list hl;
    assert_int_equal(store_value_list(s, STORE_ORG_SCOPE(org), &vl, &err), 0);
    for (size_t i = 0; i < vl.n; i++)
        buf_printf(&b, "v %lld %s %s\n", (long long)vl.items[i].id, vl.items[i].name, vl.items[i].description);
    store_value_list_release(&vl);
    assert_int_equal(store_theme_list(s, STORE_ORG_SCOPE(org), &tl, &err), 0);
    for (size_t i = 0; i < tl.n; i++)
        buf_printf(&b, "t %lld %s %s\n", (long long)tl.items[i].id, tl.items[i].title, tl.items[i].description);
    store_theme_list_release(&tl);
    assert_int_equal(store_ambition_list(s, STORE_ORG_SCOPE(org), 0, &al, &err), 0);
    for (size_t i = 0; i < al.n; i++)
        buf_printf(&b, "a %lld %s %d\n", (long long)al.items[i].id, al.items[i].title, al.items[i].target_year);
    store_ambition_list_release(&al);
    assert_int_equal(store_user_list(s, &ul, &err), 0);
    for (size_t i = 0; i < ul.n; i++) {
        struct store_user u;
        assert_int_equal(store_user_get(s, ul.items[i].id, &u, &err), 0);
        buf_printf(&b, "u %s %d %d %s\n", u.username, u.role, u.disabled, u.password_hash);
        store_user_release(&u);
    }
    store_user_list_release(&ul);
    assert_int_equal(store_token_list(s, &kl, &err), 0);
    for (size_t i = 0; i < kl.n; i++)
        buf_printf(&b, "k %s %lld\n", kl.items[i].name, (long long)(kl.items[i].revoked_at != 0));
    store_token_list_release(&kl);
    assert_int_equal(store_statement_history(s, ORG, "vision", &hl, &err), 0);
    for (size_t i = 0; i < hl.n; i++)
        buf_printf(&b, "s %s\n", hl.items[i].text);
    store_statement_list_release(&hl);
    struct store_org_list ol;
    assert_int_equal(store_org_list(s, &ol, &err), 0);
    for (size_t i = 0; i < ol.n; i++) {
        buf_printf(&b, "o %s %s %s\n", ol.items[i].slug, ol.items[i].name, ol.items[i].type);
        struct store_value_list ovl;
        assert_int_equal(store_value_list(s, STORE_ORG_SCOPE(ol.items[i].id), &ovl, &err), 0);
        buf_printf(&b, "ov %zu\n", ovl.n);
        store_value_list_release(&ovl);
    }
    store_org_list_release(&ol);
    struct store_programme_list pl;
    assert_int_equal(store_programme_list(s, NULL, &pl, &err), 0);
    for (size_t i = 0; i < pl.n; i++) {
        buf_printf(&b, "p %s %s\n", pl.items[i].slug, pl.items[i].name);
        struct store_org_list partners;
        struct store_aim_list aims;
        assert_int_equal(store_programme_partners(s, pl.items[i].id, &partners, &err), 0);
        for (size_t j = 0; j < partners.n; j++)
            buf_printf(&b, "pp %s\n", partners.items[j].slug);
        store_org_list_release(&partners);
        assert_int_equal(store_aim_list(s, pl.items[i].id, &aims, &err), 0);
        for (size_t j = 0; j < aims.n; j++)
            buf_printf(&b, "pa %s %d\n", aims.items[j].title, aims.items[j].target_year);
        store_aim_list_release(&aims);
    }
    store_programme_list_release(&pl);
    assert_int_equal(store_user_list(s, &ul, &err), 0);
    for (size_t i = 0; i < ul.n; i++) {
        struct store_grant_list gl;
        assert_int_equal(store_grant_list(s, ul.items[i].id, &gl, &err), 0);
        for (size_t j = 0; j < gl.n; j++)
            buf_printf(&b, "g %s %s %d\n", ul.items[i].username, gl.items[j].scope_slug, gl.items[j].role);
        store_grant_list_release(&gl);
    }
    store_user_list_release(&ul);
    assert_int_equal(store_audit_list(s, 0, 1000, &aul, &err), 0);
    for (size_t i = 0; i < aul.n; i++)
        buf_printf(&b, "l %lld %s %s\n", (long long)aul.items[i].id, aul.items[i].action, aul.items[i].entity);
    store_audit_list_release(&aul);
    assert_false(b.failed);
    return b.data;
}

/* The rows the writes below act on, found as they are made: PostgreSQL's identity columns skip
 * the numbers a failed insert took, so ids are not assumed. */
struct ids {
    int64_t user, token, theme, ambition, value2, value3, org2, programme, aim;
};

/* One write each; later ones act on rows made by earlier ones. */
static int do_write(struct store *s, int which, struct ids *id, struct purpose_err *err)
{
    switch (which) {
    case 0: return store_user_add(s, &tester, 0, "zoe", "Zoe", ROLE_LEAD, "hash1", &id->user, err);
    case 1: return store_user_set_password(s, &tester, id->user, "hash2", err);
    case 2: return store_user_update(s, &tester, id->user, ROLE_ADMIN, false, err);
    case 3: return store_token_create(s, &tester, id->user, "ci", "pur_abc", "hashhash", &id->token, err);
    case 4: return store_token_revoke(s, &tester, id->token, err);
    case 5: return store_statement_set(s, &tester, ORG, "vision", "A vision", err);
    case 6: return store_value_add(s, &tester, STORE_ORG_SCOPE(org), "Openness", "", NULL, err);
    case 7: return store_value_update(s, &tester, STORE_ORG_SCOPE(org), id->value2, "Respect", "x", err);
    case 8: return store_value_delete(s, &tester, STORE_ORG_SCOPE(org), id->value3, err);
    case 9: return store_theme_add(s, &tester, STORE_ORG_SCOPE(org), "Theme", "d", &id->theme, err);
    case 10: return store_ambition_add(s, &tester, STORE_ORG_SCOPE(org), id->theme, "Amb", "", 2030, &id->ambition, err);
    case 11: return store_ambition_update(s, &tester, STORE_ORG_SCOPE(org), id->ambition, "Amb 2", "", 2031, err);
    case 12: return store_theme_update(s, &tester, STORE_ORG_SCOPE(org), id->theme, "Theme 2", "", err);
    case 13: return store_ambition_delete(s, &tester, STORE_ORG_SCOPE(org), id->ambition, err);
    case 14: return store_theme_delete(s, &tester, STORE_ORG_SCOPE(org), id->theme, err);
    case 15: return store_user_update(s, &tester, id->user, ROLE_MEMBER, true, err);
    case 16: { /* several writes spanned by one transaction: all or nothing */
        if (store_tx_begin(s, err) < 0)
            return -1;
        int rc = store_value_add(s, &tester, STORE_ORG_SCOPE(org), "Kindness", "", NULL, err);
        if (rc == 0)
            rc = store_statement_set(s, &tester, ORG, "purpose", "Why we exist", err);
        return store_tx_end(s, rc == 0, err) < 0 || rc < 0 ? -1 : 0;
    }
    case 17: return store_org_add(s, &tester, "ambulance", "An Ambulance Service", "ambulance_service", "RX9", &id->org2, err);
    case 18: return store_programme_add(s, &tester, "handovers", "Handovers", "Together", &id->programme, err);
    case 19: return store_programme_partner_set(s, &tester, id->programme, id->org2, true, err);
    case 20: return store_aim_add(s, &tester, id->programme, "Within an hour", "", 2027, &id->aim, err);
    case 21: return store_role_grant(s, &tester, id->user, (struct store_scope){STORE_SCOPE_PROGRAMME, id->programme},
                                     ROLE_LEAD, err);
    case 22: { /* a theme and its ambition, together */
        if (store_tx_begin(s, err) < 0)
            return -1;
        int rc = store_theme_add(s, &tester, STORE_ORG_SCOPE(org), "Theme again", "d", &id->theme, err);
        if (rc == 0)
            rc = store_ambition_add(s, &tester, STORE_ORG_SCOPE(org), id->theme, "Gone with it", "", 2030, NULL, err);
        return store_tx_end(s, rc == 0, err) < 0 || rc < 0 ? -1 : 0;
    }
    case 23: return store_theme_delete(s, &tester, STORE_ORG_SCOPE(org), id->theme, err);
    default: return -2;
    }
}

/* do_write and snapshot in fault_sweep's terms. */
static int write_at(struct store *s, int which, void *ids, struct purpose_err *err)
{
    return do_write(s, which, ids, err);
}

static char *snapshot_of(struct store *s, const char *path)
{
    (void)path;
    return snapshot(s);
}

static void test_failed_write_changes_nothing(void **state)
{
    struct fixture *f = *state;
    struct store *s = f->s;
    struct ids id = {0};
    struct purpose_err e0 = {0};
    struct store_value_list vl;
    assert_int_equal(store_value_list(s, STORE_ORG_SCOPE(org), &vl, &e0), 0);
    id.value2 = vl.items[1].id;
    id.value3 = vl.items[2].id;
    store_value_list_release(&vl);
    fault_sweep(s, f->path, 24, 99, write_at, &id, snapshot_of);
}

static void test_organisations_programmes_and_scope(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store *s = f->s;
    int64_t other, pid, vid, tid, uid;
    assert_int_equal(store_org_add(s, &tester, "Bad Slug", "X", "nhs_trust", "", &other, &err), -1);
    assert_string_equal(err.field, "slug");
    assert_int_equal(store_org_add(s, &tester, "other", "X", "hospital", "", &other, &err), -1);
    assert_string_equal(err.field, "type");
    assert_int_equal(store_org_add(s, &tester, "trust", "Again", "nhs_trust", "", &other, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_CONFLICT);
    assert_int_equal(store_org_add(s, &tester, "other", "Other Council", "local_authority", "", &other, &err), 0);

    /* A value, theme or ambition of one organisation cannot be reached through another. */
    struct store_value_list vl;
    assert_int_equal(store_value_list(s, STORE_ORG_SCOPE(org), &vl, &err), 0);
    vid = vl.items[0].id;
    store_value_list_release(&vl);
    struct store_value v;
    assert_int_equal(store_value_get(s, STORE_ORG_SCOPE(other), vid, &v, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_value_update(s, &tester, STORE_ORG_SCOPE(other), vid, "Hijacked", "", &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_value_delete(s, &tester, STORE_ORG_SCOPE(other), vid, &err), -1);
    assert_int_equal(store_theme_add(s, &tester, STORE_ORG_SCOPE(org), "Ours", "", &tid, &err), 0);
    assert_int_equal(store_ambition_add(s, &tester, STORE_ORG_SCOPE(other), tid, "Theirs", "", 2030, NULL, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_string_equal(err.field, "theme_id");
    assert_int_equal(store_theme_delete(s, &tester, STORE_ORG_SCOPE(other), tid, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);

    /* Each organisation and programme has its own statements. */
    struct store_scope theirs = {STORE_SCOPE_ORG, other};
    assert_int_equal(store_statement_set(s, &tester, ORG, "vision", "Ours", &err), 0);
    assert_int_equal(store_statement_set(s, &tester, theirs, "vision", "Theirs", &err), 0);
    assert_int_equal(store_programme_add(s, &tester, "pain", "Living well with pain", "", &pid, &err), 0);
    struct store_scope prog = {STORE_SCOPE_PROGRAMME, pid};
    struct store_statement st;
    assert_int_equal(store_statement_current(s, prog, "purpose", &st, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);
    assert_int_equal(store_statement_set(s, &tester, prog, "purpose", "Together", &err), 0);
    assert_int_equal(store_statement_current(s, ORG, "vision", &st, &err), 0);
    assert_string_equal(st.text, "Ours");
    store_statement_release(&st);
    assert_int_equal(store_statement_current(s, prog, "purpose", &st, &err), 0);
    assert_string_equal(st.text, "Together");
    store_statement_release(&st);
    assert_int_equal(store_statement_set(s, &tester, (struct store_scope){STORE_SCOPE_PROGRAMME, pid + 99}, "vision",
                                         "Nowhere", &err), -1);
    if (err.kind != PURPOSE_ERR_NOT_FOUND)
        fail_msg("%s", err.msg);

    /* Partners and aims. */
    assert_int_equal(store_programme_partner_set(s, &tester, pid, org, true, &err), 0);
    assert_int_equal(store_programme_partner_set(s, &tester, pid, other, true, &err), 0);
    assert_int_equal(store_programme_partner_set(s, &tester, pid, other, true, &err), 0); /* idempotent */
    struct store_org_list partners;
    assert_int_equal(store_programme_partners(s, pid, &partners, &err), 0);
    assert_int_equal(partners.n, 2);
    store_org_list_release(&partners);
    struct store_programme_list mine;
    assert_int_equal(store_programme_list(s, STORE_ORG_SCOPE(other), &mine, &err), 0);
    assert_int_equal(mine.n, 1);
    assert_string_equal(mine.items[0].slug, "pain");
    store_programme_list_release(&mine);
    int64_t aim;
    assert_int_equal(store_aim_add(s, &tester, pid, "Fewer opioids", "", 2028, &aim, &err), 0);
    struct store_aim a;
    assert_int_equal(store_aim_get(s, pid + 99, aim, &a, &err), -1);
    assert_int_equal(err.kind, PURPOSE_ERR_NOT_FOUND);

    /* Roles: home organisation, elsewhere contributor, a programme grant, the administrator. */
    assert_int_equal(store_user_add(s, &tester, other, "cllr", "Councillor", ROLE_LEAD, "h", &uid, &err), 0);
    struct store_user u;
    assert_int_equal(store_user_get(s, uid, &u, &err), 0);
    assert_int_equal(u.home_org_id, other);
    enum store_role r;
    assert_int_equal(store_role_in(s, &u, theirs, &r, &err), 0);
    assert_int_equal(r, ROLE_LEAD);
    assert_int_equal(store_role_in(s, &u, ORG, &r, &err), 0);
    assert_int_equal(r, ROLE_CONTRIBUTOR);
    assert_int_equal(store_role_in(s, &u, prog, &r, &err), 0);
    assert_int_equal(r, ROLE_CONTRIBUTOR);
    assert_int_equal(store_role_grant(s, &tester, uid, prog, ROLE_ADMIN, &err), -1);
    assert_string_equal(err.field, "role");
    assert_int_equal(store_role_grant(s, &tester, uid, prog, ROLE_LEAD, &err), 0);
    assert_int_equal(store_role_in(s, &u, prog, &r, &err), 0);
    assert_int_equal(r, ROLE_LEAD);
    assert_int_equal(store_role_in(s, &u, ORG, &r, &err), 0);
    assert_int_equal(r, ROLE_CONTRIBUTOR); /* a programme role gives nothing in a partner's own strategy */
    assert_int_equal(store_role_grant(s, &tester, uid, prog, ROLE_ANON, &err), 0);
    assert_int_equal(store_role_in(s, &u, prog, &r, &err), 0);
    assert_int_equal(r, ROLE_CONTRIBUTOR);
    store_user_release(&u);
}

static void test_theme_delete_audits_its_ambitions(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store *s = f->s;
    int64_t tid, a1;
    assert_int_equal(store_theme_add(s, &tester, STORE_ORG_SCOPE(org), "Theme", "", &tid, &err), 0);
    assert_int_equal(store_ambition_add(s, &tester, STORE_ORG_SCOPE(org), tid, "First", "one", 2030, &a1, &err), 0);
    assert_int_equal(store_ambition_add(s, &tester, STORE_ORG_SCOPE(org), tid, "Second", "two", 2031, NULL, &err), 0);
    assert_int_equal(store_theme_delete(s, &tester, STORE_ORG_SCOPE(org), tid, &err), 0);
    struct store_audit_list al;
    assert_int_equal(store_audit_list(s, 0, 3, &al, &err), 0);
    assert_int_equal(al.n, 3);
    assert_string_equal(al.items[0].entity, "theme");
    assert_string_equal(al.items[2].entity, "ambition");
    assert_int_equal(al.items[2].entity_id, a1);
    assert_string_equal(al.items[2].action, "delete");
    assert_non_null(strstr(al.items[2].before, "\"First\""));
    assert_non_null(strstr(al.items[1].before, "\"Second\""));
    store_audit_list_release(&al);
}

/* Issue 12: every row a change removes or alters is in the audit log with its before state. Audit
 * entries come newest first. */
static void test_user_changes_audit_what_they_end(void **state)
{
    struct fixture *f = *state;
    struct purpose_err err = {0};
    struct store *s = f->s;
    int64_t uid, t1, t2;
    assert_int_equal(store_user_add(s, &tester, 0, "dana", "Dana", ROLE_MEMBER, "h", &uid, &err), 0);
    assert_int_equal(store_token_create(s, &tester, uid, "laptop", "pur_aaaaaa", "hash-1", &t1, &err), 0);
    assert_int_equal(store_token_create(s, &tester, uid, "build", "pur_bbbbbb", "hash-2", &t2, &err), 0);
    assert_int_equal(store_token_revoke(s, &tester, t1, &err), 0);
    assert_int_equal(store_session_create(s, "sess-1", uid, "c1", 4102444800, &err), 0);
    assert_int_equal(store_session_create(s, "sess-2", uid, "c2", 4102444800, &err), 0);

    struct store_audit_list al;
    assert_int_equal(store_audit_list(s, 0, 1, &al, &err), 0);
    assert_string_equal(al.items[0].action, "revoke");
    assert_int_equal(al.items[0].entity_id, t1);
    assert_non_null(strstr(al.items[0].before, "\"name\":\"laptop\""));
    assert_non_null(strstr(al.items[0].before, "\"revoked\":false"));
    store_audit_list_release(&al);

    assert_int_equal(store_user_update(s, &tester, uid, ROLE_MEMBER, true, &err), 0);
    assert_int_equal(store_audit_list(s, 0, 4, &al, &err), 0);
    assert_int_equal(al.n, 4);
    /* The live token only, with what it was; then the sessions; then the user. */
    assert_string_equal(al.items[0].entity, "token");
    assert_string_equal(al.items[0].action, "revoke");
    assert_int_equal(al.items[0].entity_id, t2);
    assert_non_null(strstr(al.items[0].before, "\"name\":\"build\""));
    assert_non_null(strstr(al.items[0].before, "\"prefix\":\"pur_bbbbbb\""));
    assert_non_null(strstr(al.items[0].before, "\"revoked\":false"));
    assert_non_null(strstr(al.items[0].after, "\"revoked\":true"));
    assert_string_equal(al.items[1].entity, "sessions");
    assert_string_equal(al.items[1].action, "delete");
    assert_int_equal(al.items[1].entity_id, uid);
    assert_non_null(strstr(al.items[1].before, "\"sessions\":2"));
    assert_string_equal(al.items[2].entity, "user");
    assert_non_null(strstr(al.items[2].before, "\"disabled\":false"));
    assert_string_equal(al.items[3].entity, "token"); /* the earlier revoke, not repeated */
    assert_int_equal(al.items[3].entity_id, t1);
    store_audit_list_release(&al);

    /* A new password ends the sessions started with the old one. */
    int64_t vid;
    assert_int_equal(store_user_add(s, &tester, 0, "vic", "Vic", ROLE_MEMBER, "h", &vid, &err), 0);
    assert_int_equal(store_session_create(s, "sess-3", vid, "c3", 4102444800, &err), 0);
    assert_int_equal(store_user_set_password(s, &tester, vid, "h2", &err), 0);
    assert_int_equal(store_audit_list(s, 0, 2, &al, &err), 0);
    assert_string_equal(al.items[0].entity, "user");
    assert_string_equal(al.items[1].entity, "sessions");
    assert_non_null(strstr(al.items[1].before, "\"sessions\":1"));
    store_audit_list_release(&al);

    /* A partner removed and a role changed or removed: each with what it was. */
    int64_t pid, other;
    assert_int_equal(store_programme_add(s, &tester, "falls", "Fewer falls", "", &pid, &err), 0);
    assert_int_equal(store_org_add(s, &tester, "care", "A Care Group", "nhs_trust", "", &other, &err), 0);
    assert_int_equal(store_programme_partner_set(s, &tester, pid, other, true, &err), 0);
    assert_int_equal(store_programme_partner_set(s, &tester, pid, other, false, &err), 0);
    assert_int_equal(store_audit_list(s, 0, 1, &al, &err), 0);
    assert_string_equal(al.items[0].entity, "partner");
    assert_string_equal(al.items[0].action, "delete");
    assert_non_null(al.items[0].before);
    assert_null(al.items[0].after);
    store_audit_list_release(&al);
    struct store_scope prog = {STORE_SCOPE_PROGRAMME, pid};
    assert_int_equal(store_role_grant(s, &tester, vid, prog, ROLE_LEAD, &err), 0);
    assert_int_equal(store_role_grant(s, &tester, vid, prog, ROLE_MEMBER, &err), 0);
    assert_int_equal(store_audit_list(s, 0, 1, &al, &err), 0);
    assert_non_null(strstr(al.items[0].before, "\"lead\""));
    assert_non_null(strstr(al.items[0].after, "\"member\""));
    store_audit_list_release(&al);
    assert_int_equal(store_role_grant(s, &tester, vid, prog, ROLE_ANON, &err), 0);
    assert_int_equal(store_audit_list(s, 0, 1, &al, &err), 0);
    assert_string_equal(al.items[0].action, "revoke");
    assert_non_null(strstr(al.items[0].before, "\"member\""));
    store_audit_list_release(&al);
}

int main(void)
{
    struct purpose_err err;
    if (secret_init(&err) < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults_and_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validation_names_the_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_and_cascade, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_is_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_organisations_programmes_and_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_theme_delete_audits_its_ambitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_changes_audit_what_they_end, setup, teardown),
    };
    return run_on_both_engines("store", tests);
}
