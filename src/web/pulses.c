/* Purpose pulses (store/pulses.h), the pages: a scope's pulses, a lead's form to start one, a
 * pulse's page with its waves and the forms to open and close them, and the answer page staff
 * reach signed in or by the pulse's link: plain radios, no JavaScript. Results are in
 * pulses_results.c, the API in pulses_api.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/action.h"
#include "web/pulses.h"
#include "core/banned.h"

#define B (&w->body)

const char *web_pulse_group_label(const char *code)
{
    if (!code || !code[0])
        return "Everyone";
    const char *l = store_group_label(code);
    return l ? l : code;
}

int web_pulse_load(struct web_req *r, struct web_resp *w, struct store_pulse *p, int *rc, struct purpose_err *err)
{
    if (store_pulse_get(r->ctx->store, web_scope(r), r->id, p, err) == 0)
        return 0;
    *rc = web_fail(r, w, err);
    return -1;
}

int web_pulse_load_waves(struct web_req *r, struct web_resp *w, struct store_pulse *p,
                         struct store_pulse_wave_list *waves, int *rc, struct purpose_err *err)
{
    if (web_pulse_load(r, w, p, rc, err) < 0)
        return -1;
    if (store_pulse_waves(r->ctx->store, p->id, waves, err) == 0)
        return 0;
    store_pulse_release(p);
    *rc = -1;
    return -1;
}

const struct store_pulse_wave *web_pulse_open_wave(const struct store_pulse_wave_list *l)
{
    return l->n && l->items[l->n - 1].closed_at == 0 ? &l->items[l->n - 1] : NULL;
}

int web_pulse_answer(struct web_req *r, struct web_resp *w, const struct store_pulse *p, const struct web_pulse_answer *a,
                     bool *limited, struct purpose_err *err)
{
    *limited = false;
    struct web_contributor me = {0};
    if (!r->user.id) {
        /* Not signed in: only through the pulse's link, and through a contributor session the server
         * issues (one per address in a window: web_contributor), which is the person in this wave. */
        if (!a->key || !secret_equal(a->key, p->link_key))
            return purpose_errk(err, PURPOSE_ERR_NOT_FOUND, NULL, "pulse: not found");
        int got = web_contributor(r, w, WEB_CONTRIBUTOR_WRITE, &me, err);
        if (got > 0)
            *limited = true;
        if (got != 0)
            return -1;
    }
    struct store_pulse_answer in = {.wave_id = a->wave_id, .account = r->user.id, .secret = me.secret,
                                    .values = a->values, .nvalues = a->nvalues, .groups = a->groups,
                                    .ngroups = a->ngroups};
    return store_pulse_answer(r->ctx->store, p->id, &in, err);
}

static void long_day(char *out, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(out, n, "%e %B %Y", &tm) == 0)
        out[0] = '\0';
    if (out[0] == ' ')
        memmove(out, out + 1, strlen(out));
}

/* ---- a scope's pulses ---------------------------------------------------------------------- */

static int list_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_pulse_list l;
    if (store_pulse_list(r->ctx->store, web_scope(r), &l, err) < 0)
        return -1;
    html_begin(r, w, "Pulses");
    buf_puts(B, "<h1>Purpose pulses</h1><p>A few statements about our purpose, answered every month, so that we "
                "can see whether it is known, believed and lived. Answers are anonymous and results appear only "
                "when a wave closes.</p>");
    char href[200];
    web_href(r, href, sizeof href, "/pulses/new");
    if (web_may(r, "POST", href)) {
        buf_puts(B, "<p>");
        kit_link(w, href, "Start a pulse", NULL);
        buf_puts(B, "</p>");
    }
    if (l.n == 0)
        buf_puts(B, "<p>There are no pulses yet.</p>");
    else {
        static const char *const heads[] = {"Pulse", "How often", "Statements"};
        kit_table_open(w, "Pulses", heads, 3, NULL);
        for (size_t i = 0; i < l.n; i++) {
            kit_row_open(w);
            kit_cell_open(w);
            web_href(r, href, sizeof href, "/pulses/{id}", l.items[i].id);
            kit_link(w, href, l.items[i].title, NULL);
            kit_cell_close(w);
            kit_cell(w, l.items[i].cadence);
            char n[8];
            snprintf(n, sizeof n, "%zu", l.items[i].nstatements);
            kit_cell(w, n);
            kit_row_close(w);
        }
        kit_table_close(w);
    }
    html_end(r, w);
    store_pulse_list_release(&l);
    return 0;
}

/* ---- starting a pulse ------------------------------------------------------------------------ */

struct pulse_form {
    const char *title, *cadence, *audience;
    const char *statements[STORE_PULSE_STATEMENTS_MAX];
};

static void pulse_form(struct web_req *r, struct web_resp *w, const struct pulse_form *v, const struct purpose_err *fe)
{
    char action[200], back[200];
    web_href(r, action, sizeof action, "/pulses/new");
    web_href(r, back, sizeof back, "/pulses");
    html_begin(r, w, "Start a pulse");
    kit_narrow_open(w);
    kit_back_link(w, back, "Back to pulses");
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>Start a pulse</h1>");
    kit_form_open(r, w, action);
    kit_input(w, fe, &(struct kit_field){.name = "title", .label = "Name", .value = v->title});
    struct kit_option cad[3] = {{"monthly", "Every month", strcmp(v->cadence, "monthly") == 0},
                                {"quarterly", "Every quarter", strcmp(v->cadence, "quarterly") == 0},
                                {"weekly", "Every week", strcmp(v->cadence, "weekly") == 0}};
    kit_radios(w, fe, &(struct kit_field){.name = "cadence", .label = "How often"}, cad, 3);
    kit_input(w, fe, &(struct kit_field){.name = "audience", .label = "How many people it is sent to",
                                         .hint = "For the response rate of each wave", .value = v->audience,
                                         .width = "nhsuk-input--width-5"});
    bool bad = fe && fe->msg[0] && strcmp(fe->field, "statements") == 0;
    buf_printf(B, "<div class=\"nhsuk-form-group%s\"><fieldset class=\"nhsuk-fieldset\" id=\"statements\">"
                  "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">Statements</legend>"
                  "<div class=\"nhsuk-hint\">%d to %d statements, each answered from strongly disagree to strongly "
                  "agree. Leave a box blank to leave it out.</div>",
               bad ? " nhsuk-form-group--error" : "", STORE_PULSE_STATEMENTS_MIN, STORE_PULSE_STATEMENTS_MAX);
    if (bad) {
        struct buf msg;
        buf_init(&msg, 400);
        kit_error_text(&msg, fe);
        buf_puts(B, "<span class=\"nhsuk-error-message\"><span class=\"nhsuk-u-visually-hidden\">Error:</span> ");
        html_esc(B, msg.data ? msg.data : "");
        buf_puts(B, "</span>");
        buf_release(&msg);
    }
    for (int i = 0; i < STORE_PULSE_STATEMENTS_MAX; i++) {
        char name[24], label[32];
        snprintf(name, sizeof name, "statement%d", i + 1);
        snprintf(label, sizeof label, "Statement %d", i + 1);
        kit_input(w, fe, &(struct kit_field){.name = name, .label = label, .value = v->statements[i]});
    }
    buf_puts(B, "</fieldset></div>");
    kit_button(w, "Start the pulse", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
}

static int new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    (void)err;
    struct pulse_form v = {"Purpose pulse", "monthly", "", {"", "", "", "", "", ""}};
    for (int i = 0; i < 4; i++)
        v.statements[i] = store_pulse_defaults[i];
    pulse_form(r, w, &v, NULL);
    return 0;
}

/* ---- starting a pulse: an action (action.h); a page's statements are six boxes, the API's an array -- */

static int cadence_check(const char *name, const char *s, struct purpose_err *err)
{
    if (strcmp(s, "monthly") == 0 || strcmp(s, "quarterly") == 0 || strcmp(s, "weekly") == 0)
        return 0;
    return purpose_errk(err, PURPOSE_ERR_INPUT, name, "%s: must be monthly, quarterly or weekly", name);
}

#define PULSE_FIELDS                                                                                               \
    {.name = "title", .required = true, .max = STORE_TITLE_MAX}, {.name = "cadence", .check = cadence_check},       \
    {.name = "audience", .kind = WEB_F_INT, .required = true, .min = 1, .max = STORE_PULSE_AUDIENCE_MAX}
#define STATEMENT(n) {.name = "statement" #n, .max = STORE_PULSE_STATEMENT_MAX}

static const struct web_afield page_fields[] = {PULSE_FIELDS, STATEMENT(1), STATEMENT(2), STATEMENT(3),
                                                STATEMENT(4), STATEMENT(5), STATEMENT(6)};
static const struct web_afield api_fields[] = {PULSE_FIELDS};

/* The API's "statements": absent, the default set about the purpose; else 3 to 6 strings. */
static int statements_json(struct web_req *r, const char **texts, size_t *n, struct purpose_err *err)
{
    json_t *st = r->json ? json_object_get(r->json, "statements") : NULL;
    if (!st) {
        for (*n = 0; *n < 4; (*n)++)
            texts[*n] = store_pulse_defaults[*n];
        return 0;
    }
    if (!json_is_array(st) || json_array_size(st) < STORE_PULSE_STATEMENTS_MIN ||
        json_array_size(st) > STORE_PULSE_STATEMENTS_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "statements", "statements: an array of 3 to 6 strings");
    for (*n = 0; *n < json_array_size(st); (*n)++)
        if (!(texts[*n] = json_string_value(json_array_get(st, *n))))
            return purpose_errk(err, PURPOSE_ERR_INPUT, "statements", "statements: each must be a string");
    return 0;
}

static int pulse_create(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                        struct purpose_err *err)
{
    const char *texts[STORE_PULSE_STATEMENTS_MAX];
    size_t n = 0;
    if (r->is_api && statements_json(r, texts, &n, err) < 0)
        return -1;
    for (int i = 0; !r->is_api && i < STORE_PULSE_STATEMENTS_MAX; i++) {
        char name[24];
        snprintf(name, sizeof name, "statement%d", i + 1);
        if (web_in_s(in, name)[0])
            texts[n++] = web_in_s(in, name);
    }
    struct store_pulse_input p = {.title = web_in_s(in, "title"), .cadence = web_in_s(in, "cadence"),
                                  .audience = web_in_i(in, "audience"), .statements = texts, .nstatements = n};
    struct store_actor by = web_actor(r);
    if (store_pulse_add(r->ctx->store, &by, web_scope(r), &p, &out->id, err) < 0)
        return -1;
    web_href(r, out->next, sizeof out->next, "/pulses/{id}", out->id);
    return 0;
}

static int pulse_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                       const struct purpose_err *fe, struct purpose_err *err)
{
    (void)err;
    const char *cadence = web_in_s(in, "cadence");
    struct pulse_form v = {web_in_s(in, "title"), cadence[0] ? cadence : "monthly", web_in(in, "audience")->s, {0}};
    for (int i = 0; i < STORE_PULSE_STATEMENTS_MAX; i++) {
        char name[24];
        snprintf(name, sizeof name, "statement%d", i + 1);
        v.statements[i] = web_in_s(in, name);
    }
    pulse_form(r, w, &v, fe);
    return 0;
}

#define FIELDS(f) .fields = f, .nfields = sizeof f / sizeof f[0]

static const struct web_action pulse_add_page = {FIELDS(page_fields), .run = pulse_create, .form = pulse_again};
const struct web_action web_pulse_add = {FIELDS(api_fields), .run = pulse_create, .answer = web_pulse_json_answer,
                                         .api_status = 201};

static int create_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &pulse_add_page, err);
}

/* ---- a pulse's page ----------------------------------------------------------------------- */

static void waves_table(struct web_resp *w, const struct store_pulse_wave_list *l)
{
    static const char *const heads[] = {"Wave", "Opened", "Closed", "Answers", "Response rate"};
    kit_table_open(w, "Waves", heads, 5, NULL);
    for (size_t i = l->n; i-- > 0;) {
        const struct store_pulse_wave *v = &l->items[i];
        char num[16], opened[40], closed[40], answers[32], rate[48];
        snprintf(num, sizeof num, "%d", v->number);
        long_day(opened, sizeof opened, v->opened_at);
        if (v->closed_at)
            long_day(closed, sizeof closed, v->closed_at);
        else
            snprintf(closed, sizeof closed, "Open");
        /* While a wave runs nothing about its answers is shown: no tracking of early answers. */
        if (!v->closed_at)
            snprintf(answers, sizeof answers, "When it closes");
        else
            store_count_text(v->answers, answers, sizeof answers);
        if (v->closed_at && !store_count_suppressed(v->answers) && v->audience > 0) {
            char pct[KIT_NUMBER_MAX];
            snprintf(rate, sizeof rate, "%s%% of %lld", kit_number(pct, 100.0 * (double)v->answers / (double)v->audience, 0),
                     (long long)v->audience);
        } else {
            snprintf(rate, sizeof rate, "-");
        }
        kit_row_open(w);
        kit_cell(w, num);
        kit_cell(w, opened);
        kit_cell(w, closed);
        kit_cell(w, answers);
        kit_cell(w, rate);
        kit_row_close(w);
    }
    kit_table_close(w);
}

static int pulse_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_pulse p;
    struct store_pulse_wave_list waves;
    int rc;
    if (web_pulse_load_waves(r, w, &p, &waves, &rc, err) < 0)
        return rc;
    const struct store_pulse_wave *open = web_pulse_open_wave(&waves);
    char href[300], back[200];
    web_href(r, back, sizeof back, "/pulses");
    html_begin(r, w, p.title);
    kit_back_link(w, back, "Back to pulses");
    char q[16] = "";
    if (web_query_get(r, "done", q, sizeof q) == 0 && strcmp(q, "opened") == 0)
        kit_banner_success(w, "The wave is open: send the link to the people it is for.");
    else if (strcmp(q, "closed") == 0)
        kit_banner_success(w, "The wave is closed and its results are published.");
    buf_puts(B, "<h1>");
    html_esc(B, p.title);
    buf_printf(B, "</h1><p>Sent %s to %lld people.</p><h2>Statements</h2><ol>", p.cadence, (long long)p.audience);
    for (size_t i = 0; i < p.nstatements; i++) {
        buf_puts(B, "<li>");
        html_esc(B, p.statements[i].text);
        buf_puts(B, "</li>");
    }
    buf_puts(B, "</ol>");
    web_href(r, href, sizeof href, "/pulses/{id}/results", p.id);
    buf_puts(B, "<p>");
    kit_link(w, href, "Results", NULL);
    buf_puts(B, " &middot; ");
    web_href(r, href, sizeof href, "/pulses/{id}/export.csv", p.id);
    kit_link(w, href, "Download the wave counts (CSV)", NULL);
    buf_puts(B, "</p><h2>Waves</h2>");
    char open_href[200], close_href[200];
    web_href(r, open_href, sizeof open_href, "/pulses/{id}/open", p.id);
    web_href(r, close_href, sizeof close_href, "/pulses/{id}/close", p.id);
    if (open) {
        char answer[300], link[400];
        web_href(r, answer, sizeof answer, "/pulses/{id}/answer", p.id);
        snprintf(link, sizeof link, "%s%s?k=%s", r->ctx->opt->public_url ? r->ctx->opt->public_url : "", answer,
                 p.link_key);
        buf_puts(B, "<p>Wave ");
        buf_printf(B, "%d is open. Staff answer here when signed in: ", open->number);
        kit_link(w, answer, "answer the pulse", NULL);
        buf_puts(B, ".</p>");
        if (web_may(r, "POST", close_href)) {
            kit_inset(w, "Anyone with this link can answer, once per browser, without signing in:", link, "pulse-link", NULL);
            kit_form_open(r, w, close_href);
            kit_button(w, "Close this wave and publish its results", false);
            kit_form_close(w);
        }
    } else if (web_may(r, "POST", open_href)) {
        kit_form_open(r, w, open_href);
        char aud[24];
        snprintf(aud, sizeof aud, "%lld", (long long)p.audience);
        kit_input(w, NULL, &(struct kit_field){.name = "audience", .label = "How many people this wave is sent to",
                                               .value = aud, .width = "nhsuk-input--width-5"});
        kit_button(w, "Open the next wave", false);
        kit_form_close(w);
    }
    if (waves.n)
        waves_table(w, &waves);
    else
        buf_puts(B, "<p>No wave has been opened yet.</p>");
    html_end(r, w);
    store_pulse_wave_list_release(&waves);
    store_pulse_release(&p);
    return 0;
}

static int open_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_pulse_open, err);
}

/* ---- answering ------------------------------------------------------------------------------ */

/* The answer form; a (may be NULL) the answers sent, to keep them when fe names one at fault. */
static void answer_form(struct web_req *r, struct web_resp *w, const struct store_pulse *p,
                        const struct store_pulse_wave *open, const char *key, const struct web_pulse_answer *a,
                        const struct purpose_err *fe)
{
    char action[200];
    web_href(r, action, sizeof action, "/pulses/{id}/answer", p->id);
    kit_error_summary(w, fe);
    buf_puts(B, "<h1>");
    html_esc(B, p->title);
    buf_puts(B, "</h1><p>How far do you agree? It takes about two minutes. Your answers are counted, not kept: "
                "no name, account, time or order is stored with them, and results are shown only for groups of 5 "
                "or more once the wave closes.</p>");
    kit_form_open(r, w, action);
    char wave[24];
    snprintf(wave, sizeof wave, "%lld", (long long)open->id);
    kit_hidden(w, "wave", wave);
    if (key && key[0])
        kit_hidden(w, "k", key);
    for (size_t i = 0; i < p->nstatements; i++) {
        char name[32], sel[2] = "";
        snprintf(name, sizeof name, "s%lld", (long long)p->statements[i].id);
        for (size_t k = 0; a && k < a->nvalues; k++)
            if (a->values[k].statement_id == p->statements[i].id && a->values[k].value >= 1 && a->values[k].value <= 5)
                sel[0] = (char)('0' + a->values[k].value);
        struct kit_option opt[STORE_PULSE_VALUES];
        static const char *const values[] = {"1", "2", "3", "4", "5"};
        for (int v = STORE_PULSE_VALUES; v-- > 0;) /* strongly agree first, as the NHS staff survey asks */
            opt[STORE_PULSE_VALUES - 1 - v] = (struct kit_option){values[v], store_pulse_scale[v], sel[0] == values[v][0]};
        kit_radios(w, fe, &(struct kit_field){.name = name, .label = p->statements[i].text}, opt, STORE_PULSE_VALUES);
    }
    buf_puts(B, "<details class=\"nhsuk-details\"><summary class=\"nhsuk-details__summary\">"
                "<span class=\"nhsuk-details__summary-text\">Tell us about yourself (optional)</span></summary>"
                "<div class=\"nhsuk-details__text\"><p>This lets us see whether some groups feel differently. "
                "Groups with fewer than 5 answers are never shown.</p>");
    const char *cat = "";
    for (size_t i = 0; store_groups[i][0]; i++) {
        if (strcmp(store_groups[i][2], "who") == 0 || strcmp(store_groups[i][2], "ethnicity") == 0)
            continue; /* staff answer: their staff group and age */
        if (strcmp(cat, store_groups[i][2]) != 0) {
            if (cat[0])
                buf_puts(B, "</fieldset>");
            cat = store_groups[i][2];
            buf_printf(B, "<fieldset class=\"nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend\">%s</legend>",
                       strcmp(cat, "age") == 0 ? "Age" : "Staff group");
        }
        bool checked = false;
        for (size_t k = 0; a && k < a->ngroups; k++)
            checked |= strcmp(a->groups[k], store_groups[i][0]) == 0;
        kit_checkbox(w, "group", store_groups[i][0], store_groups[i][1], checked);
    }
    if (cat[0])
        buf_puts(B, "</fieldset>");
    buf_puts(B, "</div></details>");
    kit_button(w, "Send my answers", false);
    kit_form_close(w);
}

/* The page for someone answering: the form, or why there is none. */
static int answer_render(struct web_req *r, struct web_resp *w, const struct store_pulse *p, const char *key,
                         const struct web_pulse_answer *a, const struct purpose_err *fe, struct purpose_err *err)
{
    struct store_pulse_wave_list waves;
    if (store_pulse_waves(r->ctx->store, p->id, &waves, err) < 0)
        return -1;
    const struct store_pulse_wave *open = web_pulse_open_wave(&waves);
    bool done = false;
    int rc = 0;
    if (open && !fe) {
        struct web_contributor me = {0};
        if (!r->user.id)
            web_contributor(r, w, WEB_CONTRIBUTOR_PEEK, &me, err);
        rc = store_pulse_answered(r->ctx->store, open->id, r->user.id, me.secret, &done, err);
    }
    if (rc == 0) {
        web_auth_presession(r); /* the form's CSRF token for people not signed in */
        html_begin(r, w, p->title);
        kit_narrow_open(w);
        if (!open) {
            buf_puts(B, "<h1>");
            html_esc(B, p->title);
            buf_puts(B, "</h1><p>This pulse is not open at the moment. Thank you for looking: the next wave will "
                        "come to you when it opens.</p>");
        } else if (done) {
            buf_puts(B, "<h1>Thank you</h1><p>Your answers to this wave are counted. Results are published when "
                        "the wave closes.</p>");
        } else {
            answer_form(r, w, p, open, key, a, fe);
        }
        kit_narrow_close(w);
        html_end(r, w);
    }
    store_pulse_wave_list_release(&waves);
    return rc;
}

/* The pulse for the answer routes: of the request's scope, and for someone not signed in only with
 * the link's key (else it is not found: the link is the way in). */
static int answer_pulse(struct web_req *r, struct web_resp *w, const char *key, struct store_pulse *p, int *rc,
                        struct purpose_err *err)
{
    if (web_pulse_load(r, w, p, rc, err) < 0)
        return -1;
    if (r->user.id || secret_equal(key, p->link_key))
        return 0;
    store_pulse_release(p);
    *rc = web_fail(r, w, &(struct purpose_err){.kind = PURPOSE_ERR_NOT_FOUND, .msg = "pulse: not found"});
    return -1;
}

static int answer_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    char key[SECRET_TOKEN_LEN + 1] = "";
    web_query_get(r, "k", key, sizeof key);
    struct store_pulse p;
    int rc;
    if (answer_pulse(r, w, key, &p, &rc, err) < 0)
        return rc;
    rc = answer_render(r, w, &p, key, NULL, NULL, err);
    store_pulse_release(&p);
    return rc;
}

/* The answer fields of a form: wave, k, s<statement id> and group (each checked by the store). */
static int read_answer(struct web_req *r, struct web_pulse_answer *a, struct purpose_err *err)
{
    memset(a, 0, sizeof *a);
    a->key = web_field(r, "k");
    long wave = 0;
    if (web_parse_long(web_field(r, "wave"), "wave", 1, STORE_ID_MAX, &wave, err) < 0)
        return -1;
    a->wave_id = wave;
    for (size_t i = 0; i < r->form.n; i++) {
        const struct web_field *f = &r->form.f[i];
        if (strcmp(f->name, "group") == 0) {
            if (a->ngroups == STORE_GROUPS_MAX)
                return purpose_errk(err, PURPOSE_ERR_INPUT, "group", "group: choose at most %d groups", STORE_GROUPS_MAX);
            a->groups[a->ngroups++] = f->value;
        } else if (f->name[0] == 's' && f->name[1] >= '0' && f->name[1] <= '9') {
            long id = 0, v = 0;
            if (web_parse_long(f->name + 1, "statement", 1, STORE_ID_MAX, &id, err) < 0)
                return -1;
            if (a->nvalues == sizeof a->values / sizeof a->values[0])
                return purpose_errk(err, PURPOSE_ERR_INPUT, "statement", "statement: more answers than statements");
            if (web_parse_long(f->value, f->name, 1, STORE_PULSE_VALUES, &v, err) < 0)
                return purpose_errk(err, PURPOSE_ERR_INPUT, "statement", "%s: an answer is 1 (strongly disagree) to 5 "
                                    "(strongly agree)", f->name);
            a->values[a->nvalues++] = (struct store_pulse_value){id, (int)v};
        }
    }
    return 0;
}

static int answer_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct web_pulse_answer a;
    struct store_pulse p;
    int rc;
    if (answer_pulse(r, w, web_field(r, "k"), &p, &rc, err) < 0)
        return rc;
    bool limited = false;
    rc = read_answer(r, &a, err);
    if (rc == 0)
        rc = web_pulse_answer(r, w, &p, &a, &limited, err);
    if (rc < 0 && limited) {
        html_error_page(r, w, 429, "You have sent a lot in a short time. Please wait a few minutes and try again.");
        rc = 0;
    } else if (rc < 0 && web_err_in_form(err)) {
        rc = answer_render(r, w, &p, a.key, &a, err, err);
        w->status = web_err_status(err->kind);
    } else if (rc < 0) {
        rc = web_page_fail(r, w, err);
    } else {
        char href[300], base[200];
        web_href(r, base, sizeof base, "/pulses/{id}/answer", p.id);
        snprintf(href, sizeof href, "%s%s%s", base, r->user.id ? "" : "?k=", r->user.id ? "" : p.link_key);
        web_redirect(w, href);
    }
    store_pulse_release(&p);
    return rc;
}

static const struct web_route routes[] = {
    WEB_PULSE_PAGE("GET", "", ROLE_MEMBER, list_page),
    WEB_PULSE_PAGE("GET", "/new", ROLE_LEAD, new_page),
    WEB_PULSE_PAGE("POST", "/new", ROLE_LEAD, create_post),
    WEB_PULSE_PAGE("GET", "/{id}", ROLE_MEMBER, pulse_page),
    WEB_PULSE_PAGE("POST", "/{id}/open", ROLE_LEAD, open_post),
    WEB_PULSE_PAGE("GET", "/{id}/answer", ROLE_ANON, answer_page),
    WEB_PULSE_PAGE("POST", "/{id}/answer", ROLE_ANON, answer_post),
};

static const struct web_nav nav[] = {
    {.href = "/pulses", .label = "Pulses", .rank = 27},
};

WEB_FEATURE(web_pulses, routes, nav);
