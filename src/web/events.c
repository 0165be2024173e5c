/* Engagement events (store/events.h): the list on a conversation's page, the event page with its
 * attendance and what was said there, leads' forms to add, change and delete an event and to enter
 * its outputs, and the "heard at events" part of the who-has-been-heard report. The API is in
 * events_api.c. Counts pass through store_count_text (1 to 4: "fewer than 5") on every public page. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "web/action.h"
#include "web/events.h"
#include "core/banned.h"

#define B (&w->body)

void web_event_href(const struct web_req *r, int64_t id, const char *rest, char *out, size_t n)
{
    char pattern[128];
    snprintf(pattern, sizeof pattern, "/conversations/events/{id}%s", rest);
    web_href(r, out, n, pattern, id);
}

void web_long_day(char *out, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char s[40];
    if (!gmtime_r(&tt, &tm) || strftime(s, sizeof s, "%d %B %Y", &tm) == 0)
        s[0] = '\0';
    snprintf(out, n, "%s", s[0] == '0' ? s + 1 : s);
}

void web_event_iso_day(char *out, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(out, n, "%Y-%m-%d", &tm) == 0)
        out[0] = '\0';
}

/* One line about an event: "Workshop, 12 March 2026, at the library. 34 people attended." */
static void event_line(struct web_resp *w, const struct store_event *e)
{
    char d[40], n[KIT_NUMBER_MAX], at[KIT_NUMBER_MAX];
    web_long_day(d, sizeof d, e->held_on);
    const char *f = store_event_format_label(e->format);
    html_esc(B, f ? f : e->format);
    buf_printf(B, ", %s, at ", d);
    html_esc(B, e->place);
    struct store_shown a;
    store_event_attendees(e, &a);
    kit_shown(at, &a);
    at[0] = (char)toupper((unsigned char)at[0]); /* it starts a sentence */
    buf_printf(B, ". %s attended", at);
    buf_printf(B, "; %s %s from it.", kit_count(n, e->outputs),
               e->outputs == 1 ? "contribution" : "contributions");
}

int web_events_section(struct web_req *r, struct web_resp *w, const struct store_campaign *c, struct purpose_err *err)
{
    struct store_event_list l;
    if (store_event_list(r->ctx->store, &r->scope, c->id, &l, err) < 0)
        return -1;
    char add[200];
    web_campaign_href(r, c->id, "/events/new", add, sizeof add);
    bool may_add = web_may(r, "POST", add);
    if (l.n == 0 && !may_add) {
        store_event_list_release(&l);
        return 0;
    }
    buf_puts(B, "<h2>Engagement events</h2>");
    if (l.n == 0)
        buf_puts(B, "<p>No events have been recorded yet.</p>");
    buf_puts(B, "<ul class=\"nhsuk-list\">");
    for (size_t i = 0; i < l.n; i++) {
        char href[220];
        web_event_href(r, l.items[i].id, "", href, sizeof href);
        buf_puts(B, "<li>");
        kit_link(w, href, l.items[i].title, NULL);
        buf_puts(B, "<br><span class=\"nhsuk-body-s\">");
        event_line(w, &l.items[i]);
        buf_puts(B, "</span></li>");
    }
    buf_puts(B, "</ul>");
    store_event_list_release(&l);
    if (may_add) {
        buf_puts(B, "<p>");
        kit_link(w, add, "Add an event", NULL);
        buf_puts(B, "</p>");
    }
    return 0;
}

static void attendance_table(struct web_resp *w, const char *caption, const struct store_attendance *a, size_t n)
{
    static const char *const heads[] = {"Group", "Attended"};
    kit_table_open(w, caption, heads, 2, NULL);
    for (size_t i = 0; i < n; i++) {
        char t[KIT_NUMBER_MAX];
        kit_row_open(w);
        kit_cell(w, a[i].label);
        kit_cell(w, kit_count(t, a[i].count));
        kit_row_close(w);
    }
    kit_table_close(w);
}

int web_events_heard(struct web_req *r, struct web_resp *w, int64_t campaign_id, struct purpose_err *err)
{
    struct store_events_heard h;
    if (store_events_heard(r->ctx->store, &r->scope, campaign_id, &h, err) < 0)
        return -1;
    struct store_event_list l;
    if (store_event_list(r->ctx->store, &r->scope, campaign_id, &l, err) < 0) {
        store_events_heard_release(&h);
        return -1;
    }
    struct store_shown a;
    store_events_attendees(&h, &l, &a);
    store_event_list_release(&l);
    char c[KIT_NUMBER_MAX], at[KIT_NUMBER_MAX], ev[KIT_NUMBER_MAX];
    buf_printf(B, "<h2>Heard at events</h2><p>Engagement events held: %s; %s people attended, and %s "
                  "%s came from them. Attendance is counted by the event's lead, not by people "
                  "describing themselves.</p>",
               kit_number(ev, (double)h.events, 0), kit_shown(at, &a), kit_count(c, h.outputs),
               h.outputs == 1 ? "contribution" : "contributions");
    if (h.ngroups)
        attendance_table(w, "Attendance at events by group", h.groups, h.ngroups);
    store_events_heard_release(&h);
    return 0;
}

int web_events_heard_json(struct web_req *r, int64_t campaign_id, json_t **out, struct purpose_err *err)
{
    *out = NULL;
    struct store_events_heard h;
    if (store_events_heard(r->ctx->store, &r->scope, campaign_id, &h, err) < 0)
        return -1;
    json_t *groups = json_array();
    for (size_t i = 0; i < h.ngroups; i++) {
        json_t *g = json_pack("{s:s, s:s}", "code", h.groups[i].code, "label", h.groups[i].label);
        web_jset(&g, "attended", web_count_json(h.groups[i].count));
        web_jpush(&groups, g);
    }
    struct store_event_list l;
    if (store_event_list(r->ctx->store, &r->scope, campaign_id, &l, err) < 0) {
        json_decref(groups);
        store_events_heard_release(&h);
        return -1;
    }
    struct store_shown a;
    store_events_attendees(&h, &l, &a);
    store_event_list_release(&l);
    json_t *j = json_object();
    web_jset(&j, "events", json_integer((json_int_t)h.events)); /* events, not people: not suppressed */
    web_jset(&j, "attendees", web_shown_json(&a));
    web_jset(&j, "contributions", web_count_json(h.outputs));
    web_jset(&j, "groups", groups);
    store_events_heard_release(&h);
    *out = j;
    return 0;
}

json_t *web_event_json(const struct store_event *e)
{
    char d[16];
    web_event_iso_day(d, sizeof d, e->held_on);
    json_t *att = json_array();
    for (size_t i = 0; i < e->nattendance; i++) {
        json_t *g = json_pack("{s:s, s:s}", "code", e->attendance[i].code, "label", e->attendance[i].label);
        web_jset(&g, "attended", web_count_json(e->attendance[i].count));
        web_jpush(&att, g);
    }
    json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)e->id, "conversation_id",
                          (json_int_t)e->campaign_id, "title", e->title, "format", e->format, "place", e->place,
                          "notes", e->notes, "held_on", (json_int_t)e->held_on, "date", d);
    struct store_shown a;
    store_event_attendees(e, &a);
    web_jset(&j, "attendees", web_shown_json(&a));
    web_jset(&j, "contributions", web_count_json(e->outputs));
    web_jset(&j, "attendance", att);
    return j;
}

/* ---- the event page ------------------------------------------------------------------------- */

int web_event_load(struct web_req *r, struct web_resp *w, struct store_event *e, bool *answered,
                   struct purpose_err *err)
{
    *answered = false;
    if (web_event_take(r, e, err) == 0)
        return 0;
    *answered = web_fail(r, w, err) == 0;
    return -1;
}

static void output_form(struct web_req *r, struct web_resp *w, const struct store_event *e,
                        const struct purpose_err *fe, const char *body, const char *theme)
{
    char action[220];
    web_event_href(r, e->id, "/outputs", action, sizeof action);
    buf_puts(B, "<h2>Enter what was said</h2><p>Each idea is published at once as a contribution from this "
                "event, not from you, and counts in the results like any other.</p>");
    kit_form_open(r, w, action);
    kit_textarea(w, fe, &(struct kit_field){.name = "body", .label = "An idea from the event",
                                            .hint = "Up to 2,000 characters. Do not name anyone.", .value = body,
                                            .rows = 3});
    kit_input(w, fe, &(struct kit_field){.name = "theme", .label = "Theme (optional)", .value = theme});
    kit_button(w, "Add it", false);
    kit_form_close(w);
}

static int render_event(struct web_req *r, struct web_resp *w, const struct store_event *e,
                        const struct purpose_err *fe, const char *body, const char *theme, struct purpose_err *err)
{
    struct store_contribution_list out;
    if (store_event_outputs(r->ctx->store, &r->scope, e, &out, err) < 0)
        return -1;
    html_begin(r, w, e->title);
    char href[220], d[40];
    web_campaign_href(r, e->campaign_id, "", href, sizeof href);
    kit_back_link(w, href, "Back to the conversation");
    kit_error_summary(w, fe);
    buf_puts(B, "<span class=\"nhsuk-caption-l\">Engagement event</span><h1>");
    html_esc(B, e->title);
    buf_puts(B, "</h1>");
    web_long_day(d, sizeof d, e->held_on);
    const char *f = store_event_format_label(e->format);
    kit_summary_open(w);
    kit_summary_row(w, "Format", f ? f : e->format, NULL, NULL, NULL);
    kit_summary_row(w, "Date", d, NULL, NULL, NULL);
    kit_summary_row(w, "Place", e->place, NULL, NULL, NULL);
    struct store_shown att;
    store_event_attendees(e, &att);
    char atn[KIT_NUMBER_MAX];
    kit_summary_row(w, "Attended", kit_shown(atn, &att), NULL, NULL, NULL);
    kit_summary_close(w);
    if (e->notes[0]) {
        buf_puts(B, "<h2>Notes</h2>");
        kit_paragraphs(w, e->notes, NULL);
    }
    if (e->nattendance)
        attendance_table(w, "Attendance by group", e->attendance, e->nattendance);
    char said[KIT_NUMBER_MAX];
    buf_printf(B, "<h2>What was said (%s)</h2>", kit_number(said, (double)out.n, 0)); /* the cards below: nothing to suppress */
    if (out.n == 0)
        buf_puts(B, "<p>Nothing has been entered from this event yet.</p>");
    for (size_t i = 0; i < out.n; i++) {
        const struct store_contribution *x = &out.items[i];
        char a[KIT_NUMBER_MAX], g[KIT_NUMBER_MAX], u[KIT_NUMBER_MAX];
        buf_puts(B, "<div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\"><p class=\"nhsuk-card__description\">");
        html_esc(B, x->body);
        buf_printf(B, "</p><p class=\"nhsuk-body-s\">Agree %s &middot; Disagree %s &middot; Unsure %s",
                   kit_count(a, x->agree), kit_count(g, x->disagree), kit_count(u, x->unsure));
        if (x->theme[0]) {
            buf_puts(B, " &middot; Theme: ");
            html_esc(B, x->theme);
        }
        buf_puts(B, "</p></div></div>");
    }
    store_contribution_list_release(&out);
    web_event_href(r, e->id, "/edit", href, sizeof href);
    if (web_may(r, "POST", href)) {
        output_form(r, w, e, fe, body, theme);
        buf_puts(B, "<h2>Change or delete this event</h2><p>");
        kit_link(w, href, "Change the event", NULL);
        buf_puts(B, "</p><p>Deleting it also hides what was said there, everywhere.</p>");
        web_event_href(r, e->id, "/delete", href, sizeof href);
        buf_puts(B, "<p>");
        kit_link(w, href, "Delete the event", NULL);
        buf_puts(B, "</p>");
    }
    html_end(r, w);
    return 0;
}

static int event_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_event e;
    bool answered;
    if (web_event_load(r, w, &e, &answered, err) < 0)
        return answered ? 0 : -1;
    int rc = render_event(r, w, &e, NULL, "", "", err);
    store_event_release(&e);
    return rc;
}

/* What was said at event {id}: a contribution from the event (its body, theme and, by the API, the
 * idea it answers), by page and API. */
static int output_run(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                      struct purpose_err *err)
{
    struct store_actor by = web_actor(r);
    if (store_event_output_add(r->ctx->store, &by, &r->scope, r->id, web_in_i(in, "parent_id"), web_in_s(in, "body"),
                               web_in_s(in, "theme"), &out->id, err) < 0)
        return -1;
    web_event_href(r, r->id, "", out->next, sizeof out->next);
    return 0;
}

static int output_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                        const struct purpose_err *fe, struct purpose_err *err)
{
    struct store_event e;
    bool answered;
    if (web_event_load(r, w, &e, &answered, err) < 0)
        return answered ? 0 : -1;
    int rc = render_event(r, w, &e, fe, web_in_s(in, "body"), web_in_s(in, "theme"), err);
    store_event_release(&e);
    return rc;
}

static const struct web_afield output_fields[] = {
    {.name = "body", .required = true},
    {.name = "theme"},
    {.name = "parent_id", .kind = WEB_F_INT, .min = 1, .max = STORE_ID_MAX},
};

const struct web_action web_event_output = {.fields = output_fields, .nfields = 3, .run = output_run,
                                            .form = output_again, .answer = web_event_output_answer,
                                            .api_status = 201};

static int output_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_event_output, err);
}

static const struct web_route routes[] = {
    WEB_CONVERSATION_PAGE("GET", "/events/{id}", ROLE_ANON, event_page),
    WEB_CONVERSATION_PAGE("POST", "/events/{id}/outputs", ROLE_LEAD, output_post),
};

WEB_FEATURE_ROUTES(web_events, routes);
