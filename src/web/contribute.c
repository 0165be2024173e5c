/* The public side of a conversation: its page (mobile-first, no JavaScript needed, the privacy
 * notice and house rules before the form), contributing an idea or a comment, voting, describing
 * oneself, and "my contributions" with withdraw. No account is needed: a contributor is a random
 * secret in a cookie, which the store only ever sees through keyed hashes (store/campaigns.h). The
 * secret is random for everyone, signed in or not, so nothing the server holds can re-derive it.
 * Rate limits per contributor and per address are kept in memory, never in the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/action.h"
#include "web/events.h"
#include "web/opinions.h"
#include "web/rlimit.h"
#include "core/banned.h"

#define B (&w->body)

/* ---- the server key ---------------------------------------------------------------------------- */

/* The one use of the server key in this file: BLAKE2b(key, msg) in hex. The rate limits' keys and
 * the contributor sessions' MACs both come from here. */
static void server_mac(const struct web_req *r, const char *msg, char out[SECRET_HEX_LEN + 1])
{
    secret_keyed_hash(r->ctx->key, msg, out);
}

/* ---- rate limits ------------------------------------------------------------------------------ */

#define RL_WINDOW 600 /* seconds */

/* Counts one action under (what, who); false when over `limit` in the window (web/rlimit.h). */
static bool rl_hit(struct web_req *r, const char *what, const char *who, int limit)
{
    char msg[200], key[SECRET_HEX_LEN + 1];
    snprintf(msg, sizeof msg, "rl:%s:%s", what, who);
    server_mac(r, msg, key);
    return web_rlimit_hit(key, (int64_t)time(NULL), RL_WINDOW, limit);
}

static bool allowed(struct web_req *r, const char *what, const char *secret, int per_session, int per_address)
{
    bool a = rl_hit(r, what, secret, per_session);
    bool b = rl_hit(r, what, r->ip ? r->ip : "", per_address);
    return a && b;
}

/* ---- the contributor -------------------------------------------------------------------------- */

/* A contributor session is "SECRET.EXPIRES.MAC", issued by the server, never chosen by the client:
 * SECRET 43 random url-safe characters (what the store sees, only through keyed hashes), EXPIRES
 * unix seconds, and MAC the first 32 hex digits of BLAKE2b(server key, "contributor:" SECRET ":"
 * EXPIRES ":" ACCOUNT), ACCOUNT the user id it was issued to (0: nobody signed in). A session issued
 * to one person is refused for anyone else, so on a shared PC the next person to sign in (or the
 * next visitor after a sign-out) never acts through the previous person's. */
#define CONTRIBUTOR_MAC_LEN 32

static void contributor_mac(const struct web_req *r, const char *secret, int64_t expires,
                            char out[CONTRIBUTOR_MAC_LEN + 1])
{
    char msg[160], h[SECRET_HEX_LEN + 1];
    snprintf(msg, sizeof msg, "contributor:%s:%lld:%lld", secret, (long long)expires, (long long)r->user.id);
    server_mac(r, msg, h);
    memcpy(out, h, CONTRIBUTOR_MAC_LEN);
    out[CONTRIBUTOR_MAC_LEN] = '\0';
}

/* 0 when tok is a session this server issued to the caller, unexpired at now (its secret into out). */
static int contributor_check(const struct web_req *r, const char *tok, int64_t now, char out[SECRET_TOKEN_LEN + 1],
                             struct purpose_err *err)
{
    const char *field = r->is_api ? "X-Contributor" : "contributor";
    const char *dot1 = strchr(tok, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    char secret[SECRET_TOKEN_LEN + 1], mac[CONTRIBUTOR_MAC_LEN + 1];
    long long expires = 0;
    bool ok = dot1 && dot2 && dot1 - tok == SECRET_TOKEN_LEN && strlen(dot2 + 1) == CONTRIBUTOR_MAC_LEN &&
              dot2 - dot1 > 1 && dot2 - dot1 <= 12;
    for (const char *p = dot1 ? dot1 + 1 : tok; ok && p < dot2; p++)
        ok = *p >= '0' && *p <= '9';
    if (ok) {
        snprintf(secret, sizeof secret, "%.*s", SECRET_TOKEN_LEN, tok);
        expires = strtoll(dot1 + 1, NULL, 10);
        ok = store_check_contributor(secret, err) == 0;
    }
    if (ok) {
        contributor_mac(r, secret, (int64_t)expires, mac);
        ok = secret_equal(mac, dot2 + 1);
    }
    if (!ok)
        return purpose_errk(err, PURPOSE_ERR_INPUT, field,
                            "%s: not a contributor session this server gave you (it may belong to someone who "
                            "signed in or out on this device): nothing was saved; try again",
                            field);
    if (expires <= now)
        return purpose_errk(err, PURPOSE_ERR_INPUT, field,
                            "%s: this contributor session has expired: nothing was saved; try again", field);
    snprintf(out, SECRET_TOKEN_LEN + 1, "%s", secret);
    return 0;
}

static void contributor_cookie(const struct web_req *r, struct web_resp *w, const char *tok, int max_age)
{
    if (!r->is_api && w->ncookies < WEB_COOKIES_MAX)
        snprintf(w->cookies[w->ncookies++], sizeof w->cookies[0],
                 "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", WEB_CONTRIBUTOR_COOKIE, tok, max_age,
                 r->ctx->secure_cookies ? "; Secure" : "");
}

int web_contributor(struct web_req *r, struct web_resp *w, enum web_contributor_use use, struct web_contributor *out,
                    struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    int64_t now = (int64_t)time(NULL);
    const char *sent = NULL;
    char cookie_tok[WEB_CONTRIBUTOR_TOKEN_MAX + 1];
    if (r->is_api) {
        sent = r->header(r->conn, "X-Contributor");
    } else {
        const char *cookie = r->header(r->conn, "Cookie");
        if (cookie && web_cookie_get(cookie, WEB_CONTRIBUTOR_COOKIE, cookie_tok, sizeof cookie_tok) == 0 &&
            cookie_tok[0])
            sent = cookie_tok;
    }
    if (sent) {
        if (contributor_check(r, sent, now, out->secret, err) == 0) {
            snprintf(out->token, sizeof out->token, "%s", sent);
            return 0;
        }
        out->secret[0] = '\0';
        contributor_cookie(r, w, "", 0); /* the browser forgets it */
        return use == WEB_CONTRIBUTOR_PEEK ? 0 : -1;
    }
    if (use != WEB_CONTRIBUTOR_WRITE)
        return 0;
    /* A new session: at most CONTRIBUTOR_ISSUE per address in the window, so that one script cannot
     * become many voters by dropping its cookie. */
    if (!rl_hit(r, "issue", r->ip ? r->ip : "", WEB_CONTRIBUTOR_ISSUE))
        return 1;
    int64_t expires = now + WEB_CONTRIBUTOR_SECONDS;
    char mac[CONTRIBUTOR_MAC_LEN + 1];
    secret_random_token(out->secret);
    contributor_mac(r, out->secret, expires, mac);
    snprintf(out->token, sizeof out->token, "%s.%lld.%s", out->secret, (long long)expires, mac);
    out->issued = true;
    contributor_cookie(r, w, out->token, WEB_CONTRIBUTOR_SECONDS);
    return 0;
}

/* ---- the public page -------------------------------------------------------------------------- */

void web_contribute_form(struct web_req *r, struct web_resp *w, const struct store_campaign *c, int64_t parent,
                         const struct purpose_err *fe)
{
    char action[200], p[24], name[32], label[64];
    web_campaign_href(r, c->id, "/contribute", action, sizeof action);
    kit_form_open(r, w, action);
    if (parent) {
        snprintf(p, sizeof p, "%lld", (long long)parent);
        kit_hidden(w, "parent_id", p);
        snprintf(name, sizeof name, "body-%lld", (long long)parent);
        snprintf(label, sizeof label, "Comment on idea %lld", (long long)parent);
    }
    kit_textarea(w, parent ? NULL : fe,
                 &(struct kit_field){.name = parent ? name : "body", .label = parent ? label : "Your idea",
                                     .hint = parent ? NULL : "Up to 2,000 characters. Do not name anyone.",
                                     .rows = parent ? 2 : 4});
    /* One default for ideas and comments: anonymous unless the person chooses to be named. */
    if (r->user.id) {
        char id[40];
        snprintf(id, sizeof id, "named-%lld", (long long)parent);
        kit_checkbox_id(w, id, "named", "1", "Show my name with it", false);
        buf_puts(B, "<p class=\"nhsuk-body-s\">It is sent anonymously unless you tick \"Show my name with it\": "
                    "your name is not stored with it.</p>");
    } else {
        buf_puts(B, "<p class=\"nhsuk-body-s\">It is sent anonymously: nothing that names you is stored with it.</p>");
    }
    kit_button(w, parent ? "Comment" : "Send your idea", parent != 0);
    kit_form_close(w);
}

/* Age and ethnic group take one answer each (radios; age with "Prefer not to say" first, as ethnic
 * group has its own "Not stated"); the others any. */
static bool one_answer(const char *cat)
{
    return strcmp(cat, "age") == 0 || strcmp(cat, "ethnicity") == 0;
}

static void groups_close(struct web_resp *w, const char *cat)
{
    if (!cat[0])
        return;
    if (one_answer(cat))
        buf_puts(B, "</div>");
    buf_puts(B, "</fieldset>");
}

static void groups_open(struct web_resp *w, const char *cat, const char *have)
{
    static const char *const cat_label[][2] = {
        {"who", "Are you"}, {"staff_group", "Staff group"}, {"age", "Age"}, {"ethnicity", "Ethnic group"}};
    buf_puts(B, "<fieldset class=\"nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend\">");
    for (size_t k = 0; k < 4; k++)
        if (strcmp(cat, cat_label[k][0]) == 0)
            html_esc(B, cat_label[k][1]);
    buf_puts(B, "</legend>");
    if (!one_answer(cat))
        return;
    buf_puts(B, "<div class=\"nhsuk-radios\">");
    if (strcmp(cat, "age") != 0)
        return;
    bool any = false; /* "Prefer not to say" is chosen while none of the category is */
    for (size_t i = 0; store_groups[i][0]; i++) {
        char want[48];
        snprintf(want, sizeof want, ",%s,", store_groups[i][0]);
        any |= strcmp(store_groups[i][2], cat) == 0 && strstr(have, want) != NULL;
    }
    char id[48], name[48];
    snprintf(id, sizeof id, "group-%s-none", cat);
    snprintf(name, sizeof name, "group-%s", cat);
    kit_radio_item(w, id, name, "", "Prefer not to say", !any);
}

static void groups_form(struct web_req *r, struct web_resp *w, const struct store_campaign *c, const char *mine)
{
    char action[200];
    web_campaign_href(r, c->id, "/about-me", action, sizeof action);
    buf_puts(B, "<details class=\"nhsuk-details\"><summary class=\"nhsuk-details__summary\">"
                "<span class=\"nhsuk-details__summary-text\">Tell us about yourself (optional)</span></summary>"
                "<div class=\"nhsuk-details__text\"><p>This helps us see whose voice is missing. It is kept apart "
                "from what you write, and groups with fewer than 5 people are never shown.</p>");
    kit_form_open(r, w, action);
    char have[420];
    snprintf(have, sizeof have, ",%s,", mine);
    const char *cat = "";
    for (size_t i = 0; store_groups[i][0]; i++) {
        if (strcmp(cat, store_groups[i][2]) != 0) {
            groups_close(w, cat);
            cat = store_groups[i][2];
            groups_open(w, cat, have);
        }
        char want[48];
        snprintf(want, sizeof want, ",%s,", store_groups[i][0]);
        if (one_answer(cat)) {
            char id[64], name[48];
            snprintf(id, sizeof id, "group-%s", store_groups[i][0]); /* as kit_checkbox names a box */
            for (char *p = id; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
                    *p = '-';
            snprintf(name, sizeof name, "group-%s", cat);
            kit_radio_item(w, id, name, store_groups[i][0], store_groups[i][1], strstr(have, want) != NULL);
        } else {
            kit_checkbox(w, "group", store_groups[i][0], store_groups[i][1], strstr(have, want) != NULL);
        }
    }
    groups_close(w, cat);
    kit_button(w, "Save", true);
    kit_form_close(w);
    buf_puts(B, "</div></details>");
}

static int campaign_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct web_contributor me;
    char groups[400] = "";
    const char *secret = me.secret;
    web_contributor(r, w, WEB_CONTRIBUTOR_PEEK, &me, err);
    if (secret[0] && store_participant_groups(r->ctx->store, &r->scope, c.id, secret, groups, sizeof groups, err) < 0)
        goto fail;
    web_auth_presession(r); /* the forms' CSRF token for people not signed in */
    html_begin(r, w, c.question);
    web_campaign_heading(r, w, &c);
    kit_paragraphs(w, c.description, NULL);
    char sent[16] = "";
    if (web_query_get(r, "sent", sent, sizeof sent) == 0)
        kit_inset(w, strcmp(sent, "queued") == 0 ? "Thank you. A moderator will check your contribution before it "
                                                   "appears; see its state under My contributions."
                                                 : "Thank you. Your contribution is published.",
                  NULL, NULL, NULL);
    if (web_query_get(r, "voted", sent, sizeof sent) == 0)
        kit_inset(w, "Thank you: your vote is counted.", NULL, NULL, NULL);
    char href[200];
    web_stamp_until_open(r, c.opens_at, c.closes_at);
    bool open = store_campaign_open(&c, (int64_t)time(NULL));
    if (open) {
        buf_puts(B, "<h2>Before you take part</h2>");
        kit_paragraphs(w, c.privacy, NULL);
        if (web_opinions_notice(r, w, c.id, err) < 0)
            goto fail;
        buf_puts(B, "<h3>House rules</h3>");
        kit_paragraphs(w, store_house_rules, NULL);
        buf_puts(B, "<h2>Add your idea</h2>");
        web_contribute_form(r, w, &c, 0, NULL);
        groups_form(r, w, &c, groups);
    } else {
        buf_puts(B, "<p>This conversation has closed: thank you to everyone who took part.</p>");
    }
    buf_puts(B, "<p>");
    web_campaign_href(r, c.id, "/mine", href, sizeof href);
    kit_link(w, href, "My contributions", NULL);
    buf_puts(B, " &middot; ");
    web_campaign_href(r, c.id, "/results", href, sizeof href);
    kit_link(w, href, "Results", NULL);
    buf_puts(B, " &middot; ");
    web_campaign_href(r, c.id, "/summary", href, sizeof href);
    kit_link(w, href, "Summary", NULL);
    {
        static const char *const lead[][2] = {{"/moderate", "Moderate"}, {"/report", "Who has been heard"},
                                              {"/export.csv", "Export (CSV)"}, {"/edit", "Change"}};
        for (size_t i = 0; i < 4; i++) {
            web_campaign_href(r, c.id, lead[i][0], href, sizeof href);
            if (!web_may(r, "GET", href))
                continue;
            buf_puts(B, " &middot; ");
            kit_link(w, href, lead[i][1], NULL);
        }
    }
    buf_puts(B, "</p>");
    if (web_events_section(r, w, &c, err) < 0)
        goto fail;
    if (web_ideas_section(r, w, &c, open, secret, err) < 0)
        goto fail;
    html_end(r, w);
    store_campaign_release(&c);
    return 0;
fail:
    store_campaign_release(&c);
    return -1;
}

/* ---- writes (action.h): {id} is the conversation, loaded in scope by the router ------------------- */

int web_contributor_act(struct web_req *r, struct web_resp *w, const struct web_action *a,
                        struct web_contributor *me, struct purpose_err *err)
{
    bool own = a->who == WEB_WHO_OWN_CONTRIBUTOR;
    int got = web_contributor(r, w, own ? WEB_CONTRIBUTOR_NEED : WEB_CONTRIBUTOR_WRITE, me, err);
    if (got < 0)
        return -1;
    if (got == 0 && (own || !a->limit ||
                     allowed(r, a->limit->what, me->secret, a->limit->per_session, a->limit->per_address)))
        return 0;
    if (r->is_api)
        web_json_error(w, 429, "too many in a short time: wait a few minutes and try again");
    else
        html_error_page(r, w, 429, "You have sent a lot in a short time. Please wait a few minutes and try again.");
    return 1;
}

static const struct web_rate contribute_rate = {"contribute", 10, 30};
static const struct web_rate vote_rate = {"vote", 300, 2000};

/* An idea, or a comment on one (parent_id). A page's comment box is called body-N after its idea,
 * so that each on a page has its own id; read here, after the declared fields passed. Anonymous
 * unless the person chooses: a page's "named" box, the API's "anonymous": false. */
static int contribute(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                      struct purpose_err *err)
{
    int64_t parent = web_in_i(in, "parent_id");
    const char *body = web_in_s(in, "body");
    bool anonymous = web_in_i(in, "anonymous") != 0;
    if (!r->is_api) {
        char name[32];
        snprintf(name, sizeof name, "body-%lld", (long long)parent);
        body = web_field(r, parent ? name : "body");
        anonymous = !r->user.id || !web_in_i(in, "named");
    }
    struct store_contribution_input c = {.parent_id = parent, .body = body, .secret = out->me.secret,
                                         .user = r->user.id ? &r->user : NULL, .anonymous = anonymous,
                                         .staff = r->role >= STORE_STAFF_ROLE};
    enum store_contribution_state st;
    if (store_contribution_add(r->ctx->store, &r->scope, r->id, &c, (int64_t)time(NULL), &out->id, &st, err) < 0)
        return -1;
    web_campaign_href(r, r->id, st == CONTRIB_QUEUED ? "?sent=queued" : "?sent=published", out->next,
                      sizeof out->next);
    return 0;
}

/* The contribution as the API shows it, with the session it was made through. */
static int contributed_answer(struct web_req *r, struct web_resp *w, const struct web_action_out *out, int status,
                              struct purpose_err *err)
{
    struct store_contribution x;
    if (store_contribution_get(r->ctx->store, &r->scope, r->id, out->id, &x, err) < 0)
        return -1;
    json_t *j = web_contribution_json(&x);
    json_object_set_new(j, "contributor", json_string(out->me.token));
    web_json(w, status, j);
    store_contribution_release(&x);
    return 0;
}

static const struct web_afield contribute_page_fields[] = {
    {.name = "parent_id", .kind = WEB_F_INT, .min = 1, .max = STORE_ID_MAX},
    {.name = "named", .kind = WEB_F_BOOL},
};
static const struct web_afield contribute_api_fields[] = {
    {.name = "body", .required = true},
    {.name = "parent_id", .kind = WEB_F_INT, .min = 1, .max = STORE_ID_MAX},
    {.name = "anonymous", .kind = WEB_F_BOOL},
};
static const struct web_action contribution_page = {.fields = contribute_page_fields, .nfields = 2,
                                                    .run = contribute, .who = WEB_WHO_CONTRIBUTOR,
                                                    .limit = &contribute_rate};
static const struct web_action contribution_add = {.fields = contribute_api_fields, .nfields = 3, .run = contribute,
                                                   .answer_made = contributed_answer, .api_status = 201,
                                                   .who = WEB_WHO_CONTRIBUTOR, .limit = &contribute_rate};

static int vote(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                struct purpose_err *err)
{
    out->id = web_in_i(in, "item");
    web_vote_back(r, r->id, out->id, out->next, sizeof out->next);
    return store_vote_by(r->ctx->store, &r->scope, r->id, out->id, out->me.secret, r->user.id, web_in_s(in, "vote"),
                         (int64_t)time(NULL), err);
}

static int voted_answer(struct web_req *r, struct web_resp *w, const struct web_action_out *out, int status,
                        struct purpose_err *err)
{
    (void)err; /* the vote was a string, or run would not have stored it */
    json_t *j = json_pack("{s:I, s:s, s:s}", "item", (json_int_t)out->id, "vote",
                          json_string_value(json_object_get(r->json, "vote")), "contributor", out->me.token);
    web_json(w, status, j);
    return 0;
}

static const struct web_afield vote_fields[] = {
    {.name = "item", .kind = WEB_F_INT, .required = true, .min = 1, .max = STORE_ID_MAX},
    {.name = "vote", .required = true},
};
static const struct web_action vote_cast = {.fields = vote_fields, .nfields = 2, .run = vote,
                                            .answer_made = voted_answer, .who = WEB_WHO_CONTRIBUTOR,
                                            .limit = &vote_rate};

/* Describing oneself: the ticked groups and the one answer of each radio group (none is "prefer
 * not to say"), read here as repeated fields; the store checks each and their count. */
static int about(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                 struct purpose_err *err)
{
    (void)in;
    const char *g[STORE_GROUPS_MAX + 1];
    size_t n = 0;
    for (size_t i = 0; i < r->form.n && n <= STORE_GROUPS_MAX; i++) {
        const struct web_field *f = &r->form.f[i];
        if (strcmp(f->name, "group") == 0 ||
            ((strcmp(f->name, "group-age") == 0 || strcmp(f->name, "group-ethnicity") == 0) && f->value[0]))
            g[n++] = f->value;
    }
    web_campaign_href(r, r->id, "", out->next, sizeof out->next);
    return store_participant_set(r->ctx->store, &r->scope, r->id, out->me.secret, g, n, err);
}

static const struct web_action about_me = {.run = about, .who = WEB_WHO_CONTRIBUTOR};

static int contribute_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &contribution_page, err);
}

static int contribution_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &contribution_add, err);
}

static int vote_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &vote_cast, err);
}

static int vote_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_api(r, w, &vote_cast, err);
}

static int about_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &about_me, err);
}
static int mine_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    char back[200], action[200];
    struct web_contributor me;
    const char *secret = me.secret;
    web_contributor(r, w, WEB_CONTRIBUTOR_PEEK, &me, err);
    struct store_contribution_list l = {0};
    if (secret[0] && store_contribution_mine(r->ctx->store, &r->scope, c.id, secret, &l, err) < 0) {
        store_campaign_release(&c);
        return -1;
    }
    html_begin(r, w, "My contributions");
    web_campaign_href(r, c.id, "", back, sizeof back);
    kit_back_link(w, back, "Back to the conversation");
    buf_puts(B, "<h1>My contributions</h1><p>Only this browser can see this list: it is found through a secret "
                "kept in a cookie, not through your name.</p>");
    if (l.n == 0)
        buf_puts(B, "<p>You have not contributed to this conversation from this browser.</p>");
    web_campaign_href(r, c.id, "/withdraw", action, sizeof action);
    static const char *const colours[] = {"yellow", "green", "red", "grey"};
    static const char *const labels[] = {"Waiting for a moderator", "Published", "Hidden", "Withdrawn"};
    for (size_t i = 0; i < l.n; i++) {
        const struct store_contribution *x = &l.items[i];
        buf_puts(B, "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\"><p>");
        html_esc(B, x->body);
        buf_puts(B, "</p><p>");
        kit_tag(w, labels[x->state], colours[x->state]);
        if (x->state == CONTRIB_HIDDEN) {
            buf_puts(B, " Reason: ");
            html_esc(B, x->reason);
        }
        buf_puts(B, "</p>");
        web_idea_response(r, w, x);
        if (x->state != CONTRIB_WITHDRAWN) {
            char href[240];
            snprintf(href, sizeof href, "%s?item=%lld", action, (long long)x->id);
            buf_puts(B, "<p>");
            kit_link(w, href, "Withdraw", " this contribution");
            buf_puts(B, "</p>");
        }
        buf_puts(B, "</div></div>");
    }
    html_end(r, w);
    store_contribution_list_release(&l);
    store_campaign_release(&c);
    return 0;
}

/* ---- API ------------------------------------------------------------------------------------ */

static int mine_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    struct web_contributor me;
    if (web_contributor(r, w, WEB_CONTRIBUTOR_NEED, &me, err) < 0) {
        store_campaign_release(&c);
        return web_api_fail(w, err);
    }
    struct store_contribution_list l = {0};
    int rc = me.secret[0] ? store_contribution_mine(r->ctx->store, &r->scope, c.id, me.secret, &l, err) : 0;
    store_campaign_release(&c);
    if (rc < 0)
        return -1;
    json_t *a = web_contributions_json(&l);
    store_contribution_list_release(&l);
    web_json(w, 200, json_pack("{s:o}", "contributions", a));
    return 0;
}

static const struct web_route routes[] = {
    WEB_CONVERSATION_PAGE("GET", "/{id}", ROLE_ANON, campaign_page),
    WEB_CONVERSATION_PAGE("POST", "/{id}/contribute", ROLE_ANON, contribute_post),
    WEB_CONVERSATION_PAGE("POST", "/{id}/vote", ROLE_ANON, vote_post),
    WEB_CONVERSATION_PAGE("POST", "/{id}/about-me", ROLE_ANON, about_post),
    WEB_CONVERSATION_PAGE("GET", "/{id}/mine", ROLE_ANON, mine_page),
    WEB_CONVERSATION_API("POST", "/{id}/contributions", ROLE_CONTRIBUTOR, contribution_api),
    WEB_CONVERSATION_API("POST", "/{id}/votes", ROLE_CONTRIBUTOR, vote_api),
    WEB_CONVERSATION_API("GET", "/{id}/mine", ROLE_CONTRIBUTOR, mine_api),
};

WEB_FEATURE_ROUTES(web_contribute, routes);
