/* Adding and changing an engagement event (events.c has its page): the form, with attendance by
 * group (a field per group, the ethnic groups as lines), and the actions the page and the API
 * (events_api.c) share (action.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "web/action.h"
#include "web/events.h"
#include "core/banned.h"

#define B (&w->body)

/* ---- adding, changing and deleting ----------------------------------------------------------- */

/* The groups with a field each on the form (the rest, the ethnic groups, are lines of a textarea:
 * a form takes at most WEB_FORM_FIELDS fields). */
static bool own_field(const char *category)
{
    return strcmp(category, "ethnicity") != 0;
}

struct event_form {
    const char *title, *format, *place, *notes, *day, *attendees, *other;
    const char *counts[48]; /* per store_groups index, own_field groups only */
    char day_sent[WEB_DATE_MAX]; /* the date input's day as sent (web_date_field) */
};

static void event_form(struct web_req *r, struct web_resp *w, const char *action, const char *back,
                       const char *heading, const struct event_form *v, const struct purpose_err *fe)
{
    html_begin(r, w, heading);
    kit_narrow_open(w);
    kit_back_link(w, back, "Back");
    kit_error_summary(w, fe);
    buf_printf(B, "<h1>%s</h1>", heading);
    kit_form_open(r, w, action);
    kit_input(w, fe, &(struct kit_field){.name = "title", .label = "Name of the event", .value = v->title,
                                         .hint = "For example, Listening event at the central library"});
    struct kit_option fmt[8];
    size_t nf = 0;
    for (; store_event_formats[nf][0] && nf < 8; nf++)
        fmt[nf] = (struct kit_option){store_event_formats[nf][0], store_event_formats[nf][1],
                                      strcmp(store_event_formats[nf][0], v->format) == 0};
    kit_radios(w, fe, &(struct kit_field){.name = "format", .label = "Format"}, fmt, nf);
    kit_date_input(w, fe, &(struct kit_field){.name = "held_on", .label = "Date", .hint = "For example, 12 3 2026",
                                              .value = v->day});
    kit_input(w, fe, &(struct kit_field){.name = "place", .label = "Place", .value = v->place});
    kit_input(w, fe, &(struct kit_field){.name = "attendees", .label = "How many people attended",
                                         .value = v->attendees, .width = "nhsuk-input--width-4"});
    bool bad = kit_fault(w, fe, "attendance") != NULL;
    buf_printf(B, "<div class=\"nhsuk-form-group%s\"><fieldset class=\"nhsuk-fieldset\" id=\"attendance\">"
                  "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">Attendance by group</legend>"
                  "<div class=\"nhsuk-hint\">How many people in each group attended, as far as you know. Leave "
                  "blank if none or not known; one person can be in several groups.</div>",
               bad ? " nhsuk-form-group--error" : "");
    for (size_t i = 0; store_groups[i][0] && i < 48; i++)
        if (own_field(store_groups[i][2])) {
            char name[40];
            snprintf(name, sizeof name, "att-%s", store_groups[i][0]);
            kit_input(w, NULL, &(struct kit_field){.name = name, .label = store_groups[i][1], .value = v->counts[i],
                                                   .width = "nhsuk-input--width-4"});
        }
    kit_textarea(w, NULL, &(struct kit_field){.name = "attendance_other", .label = "Ethnic groups",
                                              .hint = "One a line, as the group's name, a colon and the number, "
                                                      "for example: White: British: 12",
                                              .value = v->other, .rows = 3});
    buf_puts(B, "</fieldset></div>");
    kit_textarea(w, fe, &(struct kit_field){.name = "notes", .label = "Notes",
                                            .hint = "Shown to everyone on the event's page. Do not name anyone.",
                                            .value = v->notes, .rows = 4});
    kit_button(w, "Save", false);
    kit_form_close(w);
    kit_narrow_close(w);
    html_end(r, w);
}

static int parse_count(const char *s, const char *field, int64_t *out, struct purpose_err *err)
{
    long v = 0;
    while (*s == ' ')
        s++;
    if (*s && web_parse_long(s, field, 0, STORE_EVENT_ATTENDANCE_MAX, &v, err) < 0)
        return -1;
    *out = v;
    return 0;
}

/* A day from the date input ("YYYY-MM-DD") on a page; a Unix time in seconds in the API, as it
 * answers. 0, or -1 with err on held_on. */
static int held_on_time(const char *s, int64_t *t, struct purpose_err *err)
{
    if (s && *s && strspn(s, "0123456789") == strlen(s)) {
        long v;
        if (web_parse_long(s, "held_on", 1, 4102444800L, &v, err) < 0)
            return -1;
        *t = v;
        return 0;
    }
    int y, m, d;
    char tail;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < STORE_YEAR_MIN || y > STORE_YEAR_MAX ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "held_on", "Enter the date of the event, for example 12 3 2026");
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    *t = (int64_t)timegm(&tm);
    return 0;
}

static int held_on_check(const char *name, const char *s, struct purpose_err *err)
{
    (void)name;
    int64_t t;
    return held_on_time(s, &t, err);
}

/* The page's attendance into in (att at least 48 long): a field per group, and the ethnic groups as
 * "Label: n" lines. */
static int attendance_form(struct web_req *r, struct store_event_input *in, struct store_attendance *att,
                           struct purpose_err *err)
{
    for (size_t i = 0; store_groups[i][0] && i < 48; i++) {
        if (!own_field(store_groups[i][2]))
            continue;
        char name[40];
        snprintf(name, sizeof name, "att-%s", store_groups[i][0]);
        int64_t n = 0;
        if (parse_count(web_field(r, name), "attendance", &n, err) < 0)
            return -1;
        if (n)
            att[in->nattendance++] = (struct store_attendance){store_groups[i][0], store_groups[i][1], n};
    }
    /* "Label: n" lines; the label may itself hold a colon, so the number follows the last one. */
    char line[200];
    for (const char *p = web_field(r, "attendance_other"); *p;) {
        size_t len = strcspn(p, "\r\n");
        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
        p += len;
        p += strspn(p, "\r\n");
        char *colon = strrchr(line, ':');
        if (!line[strspn(line, " \t")])
            continue;
        if (!colon)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "attendance",
                                "attendance: write each ethnic group as its name, a colon and the number");
        *colon = '\0';
        const char *label = line + strspn(line, " \t");
        size_t k = strlen(label);
        while (k && label[k - 1] == ' ')
            k--;
        const char *code = NULL, *lab = NULL;
        for (size_t i = 0; store_groups[i][0] && !code; i++)
            if (strcmp(store_groups[i][2], "ethnicity") == 0 &&
                ((strlen(store_groups[i][1]) == k && strncasecmp(store_groups[i][1], label, k) == 0) ||
                 (strlen(store_groups[i][0]) == k && strncasecmp(store_groups[i][0], label, k) == 0)))
                code = store_groups[i][0], lab = store_groups[i][1];
        if (!code)
            return purpose_errk(err, PURPOSE_ERR_INPUT, "attendance", "attendance: \"%.60s\" is not an ethnic group",
                                label);
        int64_t n = 0;
        if (parse_count(colon + 1, "attendance", &n, err) < 0)
            return -1;
        if (n && in->nattendance < 48)
            att[in->nattendance++] = (struct store_attendance){code, lab, n};
    }
    return 0;
}

static int new_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_campaign c;
    bool answered;
    if (web_campaign_load(r, w, &c, &answered, err) < 0)
        return answered ? 0 : -1;
    char action[200], back[200], today[16];
    web_campaign_href(r, c.id, "/events/new", action, sizeof action);
    web_campaign_href(r, c.id, "", back, sizeof back);
    web_event_iso_day(today, sizeof today, (int64_t)time(NULL));
    struct event_form v = {"", "workshop", "", "", today, "", "", {0}, {0}};
    for (size_t i = 0; i < 48; i++)
        v.counts[i] = "";
    event_form(r, w, action, back, "Add an event", &v, NULL);
    store_campaign_release(&c);
    return 0;
}

/* ---- adding and changing an event: one action each for page and API (action.h) ------------------- */

static const struct web_afield event_fields[] = {
    {.name = "title", .required = true, .max = STORE_TITLE_MAX},
    {.name = "format", .required = true},
    {.name = "place", .required = true, .max = STORE_TITLE_MAX},
    {.name = "notes", .max = STORE_TEXT_MAX},
    {.name = "held_on", .kind = WEB_F_DATE, .required = true, .number = true, .label = "Date", .check = held_on_check},
    {.name = "attendees", .kind = WEB_F_INT, .required = true, .min = 0, .max = STORE_EVENT_ATTENDANCE_MAX},
};

/* {id} is the conversation of a new event, or the event changed. Attendance by group is read here
 * (a field per group on the page, an object in the API), after the declared fields passed. */
static int event_save(struct web_req *r, const struct web_action_in *in, struct web_action_out *out,
                      struct purpose_err *err)
{
    struct store_attendance att[64];
    struct store_event_input e = {web_in_s(in, "title"), web_in_s(in, "format"), web_in_s(in, "place"),
                                  web_in_s(in, "notes"), 0, web_in_i(in, "attendees"), att, 0};
    if (held_on_time(web_in_s(in, "held_on"), &e.held_on, err) < 0 ||
        (r->is_api ? web_event_attendance_json(r, &e, att, 64, err) : attendance_form(r, &e, att, err)) < 0)
        return -1;
    struct store_actor by = web_actor(r);
    bool create = in->a == &web_event_add;
    int rc = create ? store_event_add(r->ctx->store, &by, &r->scope, r->id, &e, &out->id, err)
                    : store_event_update(r->ctx->store, &by, &r->scope, r->id, &e, err);
    if (rc == 0)
        web_event_href(r, out->id, "", out->next, sizeof out->next);
    return rc;
}

static int event_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                       const struct purpose_err *fe, struct purpose_err *err)
{
    (void)err;
    bool create = in->a == &web_event_add;
    struct event_form v = {web_in_s(in, "title"),   web_in_s(in, "format"),    web_in_s(in, "place"),
                           web_in_s(in, "notes"),   web_in_s(in, "held_on"),   web_in_s(in, "attendees"),
                           web_field(r, "attendance_other"), {0}, {0}};
    for (size_t i = 0; i < 48; i++)
        v.counts[i] = "";
    for (size_t i = 0; store_groups[i][0] && i < 48; i++) {
        char name[40];
        snprintf(name, sizeof name, "att-%s", store_groups[i][0]);
        v.counts[i] = web_field(r, name);
    }
    char action[220], back[220];
    if (create) {
        web_campaign_href(r, r->id, "/events/new", action, sizeof action);
        web_campaign_href(r, r->id, "", back, sizeof back);
    } else {
        web_event_href(r, r->id, "/edit", action, sizeof action);
        web_event_href(r, r->id, "", back, sizeof back);
    }
    event_form(r, w, action, back, create ? "Add an event" : "Change an event", &v, fe);
    return 0;
}

const struct web_action web_event_add = {.fields = event_fields, .nfields = 6, .run = event_save, .form = event_again,
                                         .answer = web_event_answer, .api_status = 201};
const struct web_action web_event_change = {.fields = event_fields, .nfields = 6, .run = event_save,
                                            .form = event_again, .answer = web_event_answer};

static int create_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_event_add, err);
}

static int edit_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct store_event e;
    bool answered;
    if (web_event_load(r, w, &e, &answered, err) < 0)
        return answered ? 0 : -1;
    char action[220], back[220], day[16], total[24], nums[48][24], other[1200] = "";
    web_event_href(r, e.id, "/edit", action, sizeof action);
    web_event_href(r, e.id, "", back, sizeof back);
    web_event_iso_day(day, sizeof day, e.held_on);
    snprintf(total, sizeof total, "%lld", (long long)e.attendees);
    struct event_form v = {e.title, e.format, e.place, e.notes, day, total, other, {0}, {0}};
    size_t used = 0;
    for (size_t i = 0; i < 48; i++)
        v.counts[i] = "";
    for (size_t i = 0; store_groups[i][0] && i < 48; i++) {
        for (size_t k = 0; k < e.nattendance; k++)
            if (strcmp(e.attendance[k].code, store_groups[i][0]) == 0) {
                snprintf(nums[i], sizeof nums[i], "%lld", (long long)e.attendance[k].count);
                if (own_field(store_groups[i][2]))
                    v.counts[i] = nums[i];
                else if (used < sizeof other)
                    used += (size_t)snprintf(other + used, sizeof other - used, "%s: %s\n", store_groups[i][1],
                                             nums[i]);
            }
    }
    event_form(r, w, action, back, "Change an event", &v, NULL);
    store_event_release(&e);
    return 0;
}

static int update_post(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    return web_action_page(r, w, &web_event_change, err);
}

static const struct web_route routes[] = {
    WEB_CONVERSATION_PAGE("GET", "/{id}/events/new", ROLE_LEAD, new_page),
    WEB_CONVERSATION_PAGE("POST", "/{id}/events/new", ROLE_LEAD, create_post),
    WEB_CONVERSATION_PAGE("GET", "/events/{id}/edit", ROLE_LEAD, edit_page),
    WEB_CONVERSATION_PAGE("POST", "/events/{id}/edit", ROLE_LEAD, update_post),
};

WEB_FEATURE_ROUTES(web_events_form, routes);
