/* The route declarations read both ways: typed parameters matched as declared, the reverse router
 * (web_href) building a link in the request's scope, and the permission question (web_may) where
 * no role needs reading from the store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/web_int.h"
#include "core/banned.h"

static void test_params(void **state)
{
    (void)state;
    struct web_req r = {0};
    assert_true(web_route_match("/strategy/{kind}/edit", "/strategy/purpose/edit", &r));
    assert_string_equal(r.kind, "purpose");
    assert_false(web_route_match("/strategy/{kind}/edit", "/strategy/purposes/edit", &r));
    assert_false(web_route_match("/strategy/{kind}/edit", "/strategy/mission/edit", &r));
    assert_true(web_route_match("/projects/{id}", "/projects/9007199254740991", &r));
    assert_int_equal(r.id, 9007199254740991LL);
    assert_false(web_route_match("/projects/{id}", "/projects/0", &r));
    assert_false(web_route_match("/projects/{id}", "/projects/12345678901234567", &r)); /* 17 digits */
    assert_true(web_route_match("/programmes/{programme}", "/programmes/north-2", &r));
    assert_string_equal(r.slug, "north-2");
    assert_false(web_route_match("/programmes/{programme}", "/programmes/North", &r));
    assert_true(web_route_match("/icons/variation/{id}.svg", "/icons/variation/3.svg", &r));
}

static void test_href(void **state)
{
    (void)state;
    char out[200];
    struct web_req r = {0};
    assert_string_equal(web_href(&r, out, sizeof out, "/projects/{id}/edit", (int64_t)42), "/projects/42/edit");
    assert_string_equal(web_href(&r, out, sizeof out, "/conversations/{id}?sent=queued", (int64_t)7),
                        "/conversations/7?sent=queued");
    assert_string_equal(web_href(&r, out, sizeof out, "/no/such/route"), ""); /* never a guessed path */
    /* On another organisation's pages, its own routes carry its prefix (the API its own) */
    snprintf(r.base, sizeof r.base, "/organisations/%s", "ambulance");
    assert_string_equal(web_href(&r, out, sizeof out, "/projects/{id}", (int64_t)5), "/organisations/ambulance/projects/5");
    assert_string_equal(web_href(&r, out, sizeof out, "/api/v1/purpose"), "/api/v1/organisations/ambulance/purpose");
    assert_string_equal(web_href(&r, out, sizeof out, "/organisations"), "/organisations"); /* the installation's */
    /* On a programme's pages, a feature's link is the programme's own route when it declares one */
    struct web_req p = {.programme = {.id = 3, .slug = (char *)"handovers"}};
    assert_string_equal(web_href(&p, out, sizeof out, "/conversations/{id}/summary", (int64_t)2),
                        "/programmes/handovers/conversations/2/summary");
    assert_string_equal(web_href(&p, out, sizeof out, "/projects/{id}", (int64_t)2), "/projects/2"); /* none */
    assert_string_equal(web_href(&p, out, sizeof out, "/programmes/{programme}/{kind}/history", "chronic-pain", "vision"),
                        "/programmes/chronic-pain/vision/history");
    char small[8];
    assert_string_equal(web_href(&r, small, sizeof small, "/projects/{id}", (int64_t)5), ""); /* too long: none */
}

static void test_may_without_store(void **state)
{
    (void)state;
    struct web_req anon = {0};
    assert_true(web_may(&anon, "GET", "/"));
    assert_true(web_may(&anon, "GET", "/values?x=1"));
    assert_false(web_may(&anon, "GET", "/admin/users"));
    assert_false(web_may(&anon, "POST", "/projects/new"));
    assert_false(web_may(&anon, "GET", "/no/such/route"));
    struct web_req admin = {.user = {.id = 1, .role = ROLE_ADMIN}};
    assert_true(web_may(&admin, "GET", "/admin/users")); /* an installation route: the user's own role */
    struct web_req member = {.user = {.id = 2, .role = ROLE_MEMBER}};
    assert_false(web_may(&member, "GET", "/admin/users"));
}

/* A secret id is declared in the route table (web_route.id_type) and masked wherever the request is
 * logged, under either scope and an organisation's prefix, whatever follows it; other ids stay. */
static void test_secret_ids_masked(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"/conversations/ideas/8923372756481982", "/conversations/ideas/{id}"},
        {"/conversations/ideas/12/respond", "/conversations/ideas/{id}/respond"},
        {"/conversations/ideas/12/no-such-page", "/conversations/ideas/{id}/no-such-page"},
        {"/programmes/handovers/conversations/ideas/77/respond", "/programmes/handovers/conversations/ideas/{id}/respond"},
        {"/organisations/northgate/conversations/ideas/5", "/organisations/northgate/conversations/ideas/{id}"},
        {"/api/v1/conversations/ideas/5/response", "/api/v1/conversations/ideas/{id}/response"},
        {"/api/v1/organisations/northgate/conversations/ideas/5", "/api/v1/organisations/northgate/conversations/ideas/{id}"},
        {"/api/v1/programmes/p1/conversations/ideas/9", "/api/v1/programmes/p1/conversations/ideas/{id}"},
        {"/conversations/7", "/conversations/7"},
        {"/projects/12", "/projects/12"},
        {"/conversations/ideas/", "/conversations/ideas/"},
        {"/", "/"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[600];
        web_route_mask(out, sizeof out, cases[i][0]);
        assert_string_equal(out, cases[i][1]);
    }
    /* Every route of one idea declares its id secret. */
    for (size_t f = 0; f < web_nfeatures; f++)
        for (size_t i = 0; i < web_features[f]->nroutes; i++)
            if (strstr(web_features[f]->routes[i].path, "/ideas/{id}"))
                assert_int_equal(web_features[f]->routes[i].id_type, WEB_PARAM_SECRET_ID);
}

/* A route whose {id} names an event, a measure or a node of a driver diagram declares that the router
 * loads it (in the request's scope) before the handler runs: an organisation's measure routes and a
 * programme's own (/programmes/{programme}/measures/{id}) alike, each scope-checked in the store
 * (test_scope_measures.c). */
static void test_object_loads(void **state)
{
    (void)state;
    static const struct {
        const char *segment;
        enum web_load load;
    } kinds[] = {{"/events/{id}", WEB_LOAD_EVENT}, {"/measures/{id}", WEB_LOAD_MEASURE}, {"/drivers/{id}", WEB_LOAD_DRIVER}};
    size_t seen[3] = {0};
    for (size_t f = 0; f < web_nfeatures; f++)
        for (size_t i = 0; i < web_features[f]->nroutes; i++)
            for (size_t k = 0; k < 3; k++)
                if (strstr(web_features[f]->routes[i].path, kinds[k].segment)) {
                    assert_int_equal(web_features[f]->routes[i].load, kinds[k].load);
                    seen[k]++;
                }
    assert_true(seen[0] && seen[1] && seen[2]);
    assert_string_equal(web_load_name(WEB_LOAD_MEASURE), "measure");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_href),
        cmocka_unit_test(test_may_without_store),
        cmocka_unit_test(test_secret_ids_masked),
        cmocka_unit_test(test_object_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
