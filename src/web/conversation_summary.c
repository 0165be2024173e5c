/* A conversation's summary, written in plain sentences a board paper can lift: the question, its
 * dates and audience; who took part and what they contributed; who has been heard against the
 * intended audience; the engagement events held; the themes, with where people agree and where
 * they are divided; and what changed as a result (the vision or purpose versions its contributions
 * shaped, through the provenance links). One page, printable, and the same as JSON. Every count
 * passes through the disclosure rule (store/disclose.h): 1 to 4 read "fewer than 5", and a total
 * that would let one be worked out by subtraction reads "about N". The counts say the day they
 * were taken ("As at ..."), since they move while the conversation is open. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/events.h"
#include "core/banned.h"

#define B (&w->body)
#define MAX_SENTENCES 40
#define SENTENCE_MAX 16384
#define TOP_THEMES 5

struct sentence {
    const char *section;
    struct buf text;
};

struct summary {
    struct store_campaign c;
    struct store_heard_list heard;
    int64_t participants, contributions;
    struct store_conversation_totals totals;
    struct store_event_list events;
    struct store_contribution_list ideas;
    struct store_conversation_change_list changes;
    int64_t responses[3]; /* ideas adopted, in progress, not taken forward */
    struct store_events_heard eh;
    struct store_shown people, attendees; /* the totals as the disclosure rule shows them */
    char as_at[40];                       /* the day the counts were taken */
    struct sentence s[MAX_SENTENCES];
    size_t n;
};

static void summary_release(struct summary *m)
{
    store_campaign_release(&m->c);
    store_heard_list_release(&m->heard);
    store_event_list_release(&m->events);
    store_contribution_list_release(&m->ideas);
    store_conversation_change_list_release(&m->changes);
    store_events_heard_release(&m->eh);
    for (size_t i = 0; i < m->n; i++)
        buf_release(&m->s[i].text);
}

/* A count and a total as a page shows them (kit_count, kit_shown), into out of cap bytes. */
static const char *num(int64_t n, char *out, size_t cap)
{
    char k[KIT_NUMBER_MAX];
    snprintf(out, cap, "%s", kit_count(k, n));
    return out;
}

static const char *shown(const struct store_shown *s, char *out, size_t cap)
{
    char k[KIT_NUMBER_MAX];
    snprintf(out, cap, "%s", kit_shown(k, s));
    return out;
}

/* Starts a sentence of section; the caller writes it with buf_printf. */
static struct buf *sentence(struct summary *m, const char *section)
{
    if (m->n == MAX_SENTENCES) { /* more versions changed than fit: the last slot is written again */
        buf_reset(&m->s[m->n - 1].text);
        return &m->s[m->n - 1].text;
    }
    struct sentence *s = &m->s[m->n++];
    s->section = section;
    buf_init(&s->text, SENTENCE_MAX);
    return &s->text;
}

/* The separator after item i of n in a list read "A, B and C". */
static void join_end(struct buf *b, size_t i, size_t n)
{
    if (i + 2 < n)
        buf_puts(b, ", ");
    else if (i + 2 == n)
        buf_puts(b, " and ");
}

static const char *audience_words(const char *a)
{
    if (strcmp(a, "staff") == 0)
        return "staff";
    if (strcmp(a, "public") == 0)
        return "patients, carers, people with lived experience and the public";
    if (strcmp(a, "partners") == 0)
        return "partner organisations and staff";
    return "everyone: staff, patients, carers, people with lived experience, the public and partner organisations";
}

static void about(struct summary *m)
{
    char a[40], b[40];
    web_long_day(a, sizeof a, m->c.opens_at);
    web_long_day(b, sizeof b, m->c.closes_at - 1); /* closes_at is the first day it is closed */
    bool open = store_campaign_open(&m->c, (int64_t)time(NULL));
    struct buf *t = sentence(m, "about");
    buf_printf(t, "The conversation asked \"%s\" of %s. ", m->c.question, audience_words(m->c.audience));
    buf_printf(t, open ? "It opened on %s and stays open until %s." : "It ran from %s to %s.", a, b);
    if (m->c.links[0])
        buf_printf(sentence(m, "about"), "It informs: %s.", m->c.links);
}

static void took_part(struct summary *m)
{
    char p[32], i[32], c[32], v[32], e[32];
    buf_printf(sentence(m, "participation"),
               "As at %s, %s people had taken part. They had contributed %s published %s and %s published %s, "
               "and cast %s %s on them.",
               m->as_at, shown(&m->people, p, sizeof p), num(m->totals.ideas, i, sizeof i),
               m->totals.ideas == 1 ? "idea" : "ideas", num(m->totals.comments, c, sizeof c),
               m->totals.comments == 1 ? "comment" : "comments", num(m->totals.votes, v, sizeof v),
               m->totals.votes == 1 ? "vote" : "votes");
    if (m->totals.from_events)
        buf_printf(sentence(m, "participation"),
                   "As at %s, %s of the published contributions %s recorded at %zu engagement %s and count with "
                   "the rest.",
                   m->as_at, num(m->totals.from_events, e, sizeof e), m->totals.from_events == 1 ? "was" : "were",
                   m->events.n, m->events.n == 1 ? "event" : "events");
}

static void heard(struct summary *m)
{
    size_t intended = 0, took = 0;
    for (size_t i = 0; i < m->heard.n; i++)
        if (m->heard.items[i].in_audience) {
            intended++;
            took += m->heard.items[i].participants > 0;
        }
    char n[32], x[32];
    struct buf *t = sentence(m, "heard");
    buf_printf(t, "As at %s, of the %s groups it set out to hear, %s took part", m->as_at, num((int64_t)intended, n, sizeof n),
               took == intended ? "all" : num((int64_t)took, x, sizeof x));
    size_t k = 0;
    for (size_t i = 0; i < m->heard.n; i++) {
        const struct store_heard *h = &m->heard.items[i];
        if (!h->in_audience || !h->participants)
            continue;
        buf_puts(t, k++ ? "" : ": ");
        buf_printf(t, "%s (%s people)", h->label, num(h->participants, n, sizeof n));
        join_end(t, k - 1, took);
    }
    buf_puts(t, ".");
    if (took < intended) {
        t = sentence(m, "heard");
        buf_printf(t, "As at %s, not yet heard: ", m->as_at);
        k = 0;
        for (size_t i = 0; i < m->heard.n; i++)
            if (m->heard.items[i].in_audience && !m->heard.items[i].participants) {
                buf_puts(t, m->heard.items[i].label);
                join_end(t, k++, intended - took);
            }
        buf_puts(t, ".");
    }
    static const char *const cats[][2] = {
        {"who", "beyond the intended audience, people also described themselves as"},
        {"staff_group", "by staff group"}, {"age", "by age"}, {"ethnicity", "by ethnic group"}};
    for (size_t c = 0; c < 4; c++) {
        size_t total = 0;
        for (size_t i = 0; i < m->heard.n; i++)
            total += strcmp(m->heard.items[i].category, cats[c][0]) == 0 && !m->heard.items[i].in_audience &&
                     m->heard.items[i].participants > 0;
        if (!total)
            continue;
        t = sentence(m, "heard");
        buf_printf(t, "As at %s, %s: ", m->as_at, cats[c][1]);
        k = 0;
        for (size_t i = 0; i < m->heard.n; i++) {
            const struct store_heard *h = &m->heard.items[i];
            if (strcmp(h->category, cats[c][0]) != 0 || h->in_audience || !h->participants)
                continue;
            buf_printf(t, "%s (%s)", h->label, num(h->participants, n, sizeof n));
            join_end(t, k++, total);
        }
        buf_puts(t, ".");
    }
    buf_puts(sentence(m, "heard"), "People describe themselves only if they choose to, so groups need not add up "
                                   "to everyone who took part; counts of 1 to 4 are shown as \"fewer than 5\".");
}

static void events(struct summary *m)
{
    char n[32], d[40];
    if (m->events.n == 0) {
        buf_printf(sentence(m, "events"), "As at %s, no engagement events had been recorded for this conversation.",
                   m->as_at);
        return;
    }
    struct buf *t = sentence(m, "events");
    char ne[KIT_NUMBER_MAX];
    buf_printf(t, "As at %s, %s engagement %s been held, attended by %s people in all: ", m->as_at,
               kit_number(ne, (double)m->events.n, 0), m->events.n == 1 ? "event had" : "events had",
               shown(&m->attendees, d, sizeof d));
    for (size_t i = 0; i < m->events.n; i++) {
        const struct store_event *e = &m->events.items[i];
        const char *f = store_event_format_label(e->format);
        char kind[64];
        snprintf(kind, sizeof kind, "%s", f ? f : e->format);
        kind[0] = (char)tolower((unsigned char)kind[0]);
        web_long_day(d, sizeof d, e->held_on);
        struct store_shown a;
        store_event_attendees(e, &a);
        buf_printf(t, "%s (%s %s at %s on %s, attended by %s)", e->title, strchr("aeiou", kind[0]) ? "an" : "a",
                   kind, e->place, d, shown(&a, n, sizeof n));
        join_end(t, i, m->events.n);
    }
    buf_puts(t, ".");
}

/* An idea ranked only with at least 5 votes. */
static bool ranked(const struct store_contribution *x)
{
    return x->agree + x->disagree + x->unsure >= STORE_SUPPRESS_BELOW;
}

static void division_words(struct buf *t, const struct store_contribution *x);

static void agreement_words(struct buf *t, const struct store_contribution *x)
{
    char v[32];
    int64_t n = x->agree + x->disagree + x->unsure, parts[3] = {x->agree, x->disagree, x->unsure};
    if (store_total_form(n, parts, 3) != STORE_TOTAL_EXACT) {
        /* A share of an exact total would give a suppressed count back: the counts alone. */
        division_words(t, x);
        return;
    }
    buf_printf(t, "\"%s\" (%d%% of %s votes agree)", x->body, (int)lround(100.0 * store_agreement(x)),
               num(n, v, sizeof v));
}

static void division_words(struct buf *t, const struct store_contribution *x)
{
    char a[32], d[32], u[32];
    buf_printf(t, "\"%s\" (%s agree, %s disagree, %s unsure)", x->body, num(x->agree, a, sizeof a),
               num(x->disagree, d, sizeof d), num(x->unsure, u, sizeof u));
}

/* The ranked ideas of theme (NULL: all) with the most agreement (ties: more votes) and the most division
 * (NULL if none). Division is ranked only where both sides have 5 or more votes, so that the sentence
 * can give both counts. */
static void best(const struct store_contribution_list *l, const char *theme, const struct store_contribution **agree,
                 const struct store_contribution **divided)
{
    *agree = *divided = NULL;
    for (size_t i = 0; i < l->n; i++) {
        const struct store_contribution *x = &l->items[i];
        if (!ranked(x) || (theme && strcmp(x->theme, theme) != 0))
            continue;
        int64_t n = x->agree + x->disagree + x->unsure;
        if (!*agree || store_agreement(x) > store_agreement(*agree) ||
            (store_agreement(x) == store_agreement(*agree) &&
             n > (*agree)->agree + (*agree)->disagree + (*agree)->unsure))
            *agree = x;
        if (x->agree >= STORE_SUPPRESS_BELOW && x->disagree >= STORE_SUPPRESS_BELOW &&
            (!*divided || store_division(x) > store_division(*divided)))
            *divided = x;
    }
}

struct theme_count {
    const char *name;
    int64_t ideas;
};

static int by_ideas(const void *a, const void *b)
{
    const struct theme_count *x = a, *y = b;
    return x->ideas < y->ideas ? 1 : x->ideas > y->ideas ? -1 : strcmp(x->name, y->name);
}

static int themes(struct summary *m, struct theme_count **out, size_t *nout, struct purpose_err *err)
{
    struct theme_count *tc = m->ideas.n ? calloc(m->ideas.n, sizeof *tc) : NULL;
    if (m->ideas.n && !tc)
        return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "summary: out of memory");
    size_t nt = 0;
    int64_t untagged = 0;
    for (size_t i = 0; i < m->ideas.n; i++) {
        const char *th = m->ideas.items[i].theme;
        if (!th[0]) {
            untagged++;
            continue;
        }
        size_t k = 0;
        while (k < nt && strcmp(tc[k].name, th) != 0)
            k++;
        if (k == nt)
            tc[nt++] = (struct theme_count){th, 0};
        tc[k].ideas++;
    }
    if (nt)
        qsort(tc, nt, sizeof *tc, by_ideas);
    char n[32], u[32];
    struct buf *t = sentence(m, "themes");
    if (nt == 0) {
        buf_printf(t, "As at %s, no ideas had been given a theme.", m->as_at);
    } else {
        buf_printf(t, "As at %s, the ideas fall under %zu themes; the largest are ", m->as_at, nt);
        size_t top = nt < TOP_THEMES ? nt : TOP_THEMES;
        for (size_t i = 0; i < top; i++) {
            buf_printf(t, "%s (%s ideas)", tc[i].name, num(tc[i].ideas, n, sizeof n));
            join_end(t, i, top);
        }
        buf_printf(t, ". %s ideas have no theme.", num(untagged, u, sizeof u));
    }
    const struct store_contribution *a, *d;
    best(&m->ideas, NULL, &a, &d);
    t = sentence(m, "themes");
    if (!a) {
        buf_printf(t, "As at %s, no idea has 5 or more votes, so none is ranked.", m->as_at);
    } else {
        buf_printf(t, "As at %s, across all ideas, the strongest agreement is with ", m->as_at);
        agreement_words(t, a);
        if (d) {
            buf_puts(t, ", and opinion is most divided on ");
            division_words(t, d);
        }
        buf_puts(t, ".");
    }
    for (size_t i = 0; i < nt && i < TOP_THEMES; i++) {
        best(&m->ideas, tc[i].name, &a, &d);
        t = sentence(m, "themes");
        if (!a) {
            buf_printf(t, "As at %s, %s: no idea has 5 or more votes yet.", m->as_at, tc[i].name);
            continue;
        }
        buf_printf(t, "As at %s, %s: most agreement with ", m->as_at, tc[i].name);
        agreement_words(t, a);
        if (d && d != a) {
            buf_puts(t, "; most divided on ");
            division_words(t, d);
        }
        buf_puts(t, ".");
    }
    *out = tc;
    *nout = nt < TOP_THEMES ? nt : TOP_THEMES;
    return 0;
}

static void changes(struct summary *m, const char *owner)
{
    if (m->changes.n == 0) {
        buf_puts(sentence(m, "changes"),
                 "No version of the vision or purpose has yet been linked to contributions from this conversation.");
        return;
    }
    char n[32], d[40];
    for (size_t i = 0; i < m->changes.n; i++) {
        const struct store_conversation_change *c = &m->changes.items[i];
        web_long_day(d, sizeof d, c->created_at);
        buf_printf(sentence(m, "changes"),
                   "%s's %s was changed on %s; the new version was shaped by %s contributions from this conversation"
                   "%s. It reads: \"%s\"",
                   owner, c->kind, d, num(c->contributions, n, sizeof n),
                   c->current ? " and is the current one" : ", and has since been revised", c->text);
    }
}

/* "You said, we did": how many of the published ideas a lead has answered, and how. */
static void responses(struct summary *m, int64_t by_state[3])
{
    static const char *const states[] = {"adopted", "in_progress", "not_taken_forward"};
    int64_t responded = 0;
    for (size_t i = 0; i < m->ideas.n; i++)
        for (size_t k = 0; k < 3; k++)
            if (strcmp(m->ideas.items[i].response.state, states[k]) == 0) {
                by_state[k]++;
                responded++;
            }
    char a[32], b[32], c[32], d[32], e[32];
    if (responded == 0) {
        buf_printf(sentence(m, "responses"), "As at %s, none of the %s published ideas had had a response.",
                   m->as_at, num((int64_t)m->ideas.n, a, sizeof a));
        return;
    }
    buf_printf(sentence(m, "responses"),
               "As at %s, %s of %s ideas have had a response: %s adopted, %s in progress and %s not taken forward.",
               m->as_at, num(responded, a, sizeof a), num((int64_t)m->ideas.n, b, sizeof b), num(by_state[0], c, sizeof c),
               num(by_state[1], d, sizeof d), num(by_state[2], e, sizeof e));
}

static void capitalise(struct summary *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->s[i].text.len && !m->s[i].text.failed)
            m->s[i].text.data[0] = (char)toupper((unsigned char)m->s[i].text.data[0]);
}

/* Reads everything and writes the sentences; *answered when an error page or answer was written. */
static int build(struct web_req *r, struct web_resp *w, struct summary *m, struct theme_count **tc, size_t *nt,
                 bool *answered, struct purpose_err *err)
{
    memset(m, 0, sizeof *m);
    *tc = NULL;
    *nt = 0;
    if (web_campaign_load(r, w, &m->c, answered, err) < 0)
        return -1;
    /* It says whether the conversation is open and the day it was taken: a cached copy lasts until
     * the one or the other changes, whatever is written meanwhile. */
    int64_t now = (int64_t)time(NULL);
    web_stamp_until_open(r, m->c.opens_at, m->c.closes_at);
    web_stamp_until_open(r, 0, now - now % 86400 + 86400);
    struct store *s = r->ctx->store;
    if (store_campaign_heard(s, &r->scope, m->c.id, &m->heard, &m->participants, &m->contributions, err) < 0 ||
        store_conversation_totals(s, &r->scope, m->c.id, &m->totals, err) < 0 || store_event_list(s, &r->scope, m->c.id, &m->events, err) < 0 ||
        store_contribution_list(s, &r->scope, m->c.id, true, 0, &m->ideas, err) < 0 ||
        store_conversation_changes(s, &r->scope, m->c.id, &m->changes, err) < 0)
        return -1;
    if (store_events_heard(s, &r->scope, m->c.id, &m->eh, err) < 0)
        return -1;
    store_heard_total(&m->heard, m->participants, false, &m->people);
    store_events_attendees(&m->eh, &m->events, &m->attendees);
    web_long_day(m->as_at, sizeof m->as_at, now);
    about(m);
    took_part(m);
    heard(m);
    events(m);
    if (themes(m, tc, nt, err) < 0)
        return -1;
    responses(m, m->responses);
    changes(m, r->programme.id ? r->programme.name : r->org.name);
    capitalise(m);
    for (size_t i = 0; i < m->n; i++)
        if (m->s[i].text.failed)
            return purpose_errk(err, PURPOSE_ERR_INTERNAL, NULL, "summary: a sentence did not fit");
    return 0;
}

static void section(struct web_resp *w, const struct summary *m, const char *name, const char *heading)
{
    buf_printf(B, "<h2>%s</h2>", heading);
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->s[i].section, name) == 0 && m->s[i].text.len) {
            buf_puts(B, "<p>");
            html_esc(B, m->s[i].text.data);
            buf_puts(B, "</p>");
        }
}

static int summary_page(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct summary m;
    struct theme_count *tc;
    size_t nt;
    bool answered = false;
    if (build(r, w, &m, &tc, &nt, &answered, err) < 0) {
        free(tc);
        summary_release(&m);
        return answered ? 0 : -1;
    }
    html_begin(r, w, "Summary");
    char href[200];
    web_campaign_href(r, m.c.id, "", href, sizeof href);
    kit_back_link(w, href, "Back to the conversation");
    buf_puts(B, "<span class=\"nhsuk-caption-l\">Summary of a conversation</span><h1>");
    html_esc(B, m.c.question);
    buf_puts(B, "</h1><p class=\"nhsuk-body-s\">Each paragraph stands on its own, to be quoted in a board paper. "
                "Print this page, or save it as a PDF, from your browser.</p>");
    section(w, &m, "about", "The conversation");
    section(w, &m, "participation", "Who took part");
    section(w, &m, "heard", "Who has been heard");
    section(w, &m, "events", "Engagement events");
    section(w, &m, "themes", "What people said");
    section(w, &m, "responses", "You said, we did");
    section(w, &m, "changes", "What changed as a result");
    for (size_t i = 0; i < m.changes.n; i++)
        if (m.changes.items[i].current) {
            web_href(r, href, sizeof href, "/shaped/{kind}", m.changes.items[i].kind);
            buf_puts(B, "<p>");
            kit_link(w, href, strcmp(m.changes.items[i].kind, "vision") == 0
                                  ? "See the contributions that shaped the vision"
                                  : "See the contributions that shaped the purpose",
                     NULL);
            buf_puts(B, "</p>");
        }
    html_end(r, w);
    free(tc);
    summary_release(&m);
    return 0;
}

static json_t *idea_json(const struct store_contribution *x)
{
    if (!x)
        return json_null();
    json_t *j = json_pack("{s:I, s:s, s:f}", "id", (json_int_t)x->id, "body", x->body, "agreement",
                          round(1000.0 * store_agreement(x)) / 1000.0);
    web_jset(&j, "agree", web_count_json(x->agree));
    web_jset(&j, "disagree", web_count_json(x->disagree));
    web_jset(&j, "unsure", web_count_json(x->unsure));
    return j;
}

static int summary_api(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct summary m;
    struct theme_count *tc;
    size_t nt;
    bool answered = false;
    if (build(r, w, &m, &tc, &nt, &answered, err) < 0) {
        free(tc);
        summary_release(&m);
        return answered ? 0 : -1;
    }
    json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:I, s:b}", "id", (json_int_t)m.c.id, "question", m.c.question,
                          "audience", m.c.audience, "opens_at", (json_int_t)m.c.opens_at, "closes_at",
                          (json_int_t)m.c.closes_at, "open", store_campaign_open(&m.c, (int64_t)time(NULL)));
    web_jset(&j, "participants", web_shown_json(&m.people));
    web_jset(&j, "as_at", json_string(m.as_at));
    web_jset(&j, "ideas", web_count_json(m.totals.ideas));
    web_jset(&j, "comments", web_count_json(m.totals.comments));
    web_jset(&j, "votes", web_count_json(m.totals.votes));
    web_jset(&j, "from_events", web_count_json(m.totals.from_events));
    json_t *heard = json_array();
    for (size_t i = 0; i < m.heard.n; i++) {
        const struct store_heard *h = &m.heard.items[i];
        json_t *g = json_pack("{s:s, s:s, s:s, s:b}", "code", h->code, "label", h->label, "category", h->category,
                              "in_audience", h->in_audience);
        web_jset(&g, "participants", web_count_json(h->participants));
        web_jpush(&heard, g);
    }
    web_jset(&j, "heard", heard);
    json_t *ev = json_array();
    for (size_t i = 0; i < m.events.n; i++)
        web_jpush(&ev, web_event_json(&m.events.items[i]));
    web_jset(&j, "events", ev);
    json_t *th = json_array();
    for (size_t i = 0; i < nt; i++) {
        const struct store_contribution *a, *d;
        best(&m.ideas, tc[i].name, &a, &d);
        json_t *t = json_pack("{s:s}", "theme", tc[i].name);
        web_jset(&t, "ideas", web_count_json(tc[i].ideas));
        web_jset(&t, "most_agreed", idea_json(a));
        web_jset(&t, "most_divided", idea_json(d));
        web_jpush(&th, t);
    }
    web_jset(&j, "themes", th);
    json_t *ch = json_array();
    for (size_t i = 0; i < m.changes.n; i++) {
        const struct store_conversation_change *c = &m.changes.items[i];
        json_t *x = json_pack("{s:I, s:s, s:s, s:I, s:b}", "statement_id", (json_int_t)c->statement_id, "kind",
                              c->kind, "text", c->text, "created_at", (json_int_t)c->created_at, "current", c->current);
        web_jset(&x, "contributions", web_count_json(c->contributions));
        web_jpush(&ch, x);
    }
    web_jset(&j, "changes", ch);
    json_t *resp = json_object();
    web_jset(&resp, "responded", web_count_json(m.responses[0] + m.responses[1] + m.responses[2]));
    web_jset(&resp, "adopted", web_count_json(m.responses[0]));
    web_jset(&resp, "in_progress", web_count_json(m.responses[1]));
    web_jset(&resp, "not_taken_forward", web_count_json(m.responses[2]));
    web_jset(&j, "responses", resp);
    json_t *sent = json_array();
    for (size_t i = 0; i < m.n; i++)
        web_jpush(&sent, json_pack("{s:s, s:s}", "section", m.s[i].section, "text", m.s[i].text.data));
    web_jset(&j, "sentences", sent);
    web_json(w, 200, j);
    free(tc);
    summary_release(&m);
    return 0;
}

static const struct web_route routes[] = {
    {.method = "GET", .path = "/conversations/{id}/summary", .role = ROLE_ANON, .scope = WEB_ORG, .handler = summary_page, .cache = WEB_CACHE_ANON, .deps = WEB_DEP_CONVERSATION_ID | WEB_DEPS_STRATEGY | WEB_DEP(STORE_TOPIC_WORK), .load = WEB_LOAD_CONVERSATION},
    {.method = "GET", .path = "/programmes/{programme}/conversations/{id}/summary", .role = ROLE_ANON, .scope = WEB_PROGRAMME, .handler = summary_page, .cache = WEB_CACHE_ANON, .deps = WEB_DEP_CONVERSATION_ID | WEB_DEPS_STRATEGY | WEB_DEP(STORE_TOPIC_WORK), .load = WEB_LOAD_CONVERSATION},
    WEB_CONVERSATION_API("GET", "/{id}/summary", ROLE_ANON, summary_api),
};

WEB_FEATURE_ROUTES(web_conversation_summary, routes);
