/* The well-led self-assessment as a PDF for a board paper: a cover with the eight statements, their
 * ratings and the gaps, then one page per statement (its words, our rating, its evidence), in the
 * board pack's page format (chart/report_text.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart/report_text.h"
#include "web/wellled.h"
#include "core/banned.h"

#define WL_PDF_CAP (8u << 20)
#define WL_BLOCKS 96 /* per page: more than a page holds, the rest is on the web page */

/* The document's strings and blocks, freed together. */
struct doc {
    struct report_text_page pages[1 + STORE_WL_STATEMENTS];
    struct report_block blocks[1 + STORE_WL_STATEMENTS][WL_BLOCKS];
    char **strings;
    size_t n_strings;
    bool oom;
};

static const char *keep(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *keep(struct doc *d, const char *fmt, ...)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char **grown = b.failed ? NULL : realloc(d->strings, (d->n_strings + 1) * sizeof *grown);
    if (!grown) {
        buf_release(&b);
        d->oom = true;
        return "";
    }
    d->strings = grown;
    d->strings[d->n_strings++] = b.data ? b.data : strdup("");
    if (!d->strings[d->n_strings - 1])
        d->oom = true;
    return d->strings[d->n_strings - 1] ? d->strings[d->n_strings - 1] : "";
}

static void block(struct doc *d, size_t page, enum report_block_kind kind, const char *text)
{
    struct report_text_page *p = &d->pages[page];
    if (p->n < WL_BLOCKS)
        d->blocks[page][p->n++] = (struct report_block){kind, text};
}

static void cover(struct doc *d, const struct web_req *r, const struct web_wl *a)
{
    char day[64];
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) || !strftime(day, sizeof day, "%d %B %Y", &tm))
        day[0] = '\0';
    d->pages[0] = (struct report_text_page){.title = "Well-led self-assessment",
                                            .subtitle = keep(d, "%s, %s", r->org.name, day[0] == '0' ? day + 1 : day),
                                            .blocks = d->blocks[0]};
    block(d, 0, REPORT_BLOCK_PARA,
          "CQC's eight well-led quality statements, each with the evidence Purpose holds today and our own rating. "
          "The evidence is computed from the platform's records when this document is made.");
    block(d, 0, REPORT_BLOCK_HEADING, "The statements");
    for (int n = 1; n <= STORE_WL_STATEMENTS; n++) {
        const struct store_wl_rating *rt = web_wl_current(a, n);
        block(d, 0, REPORT_BLOCK_BULLET,
              keep(d, "%d. %s: %s; %s", n, store_wl_statement(n)->title,
                   rt ? store_wl_rating_label(rt->rating) : "not rated yet",
                   store_wl_has_evidence(&a->ev, n) ? "evidence on its page" : "no evidence yet"));
    }
    for (int pass = 0; pass < 2; pass++) {
        bool any = false;
        for (int n = 1; n <= STORE_WL_STATEMENTS; n++) {
            bool gap = pass ? !web_wl_current(a, n) : !store_wl_has_evidence(&a->ev, n);
            if (!gap)
                continue;
            if (!any)
                block(d, 0, REPORT_BLOCK_HEADING, pass ? "Not rated yet" : "No evidence yet");
            any = true;
            block(d, 0, REPORT_BLOCK_BULLET, store_wl_statement(n)->title);
        }
    }
}

static void statement(struct doc *d, const struct web_wl *a, int n)
{
    const struct store_wl_statement *st = store_wl_statement(n);
    const struct store_wl_rating *rt = web_wl_current(a, n);
    d->pages[n] = (struct report_text_page){
        .title = keep(d, "%d. %s", n, st->title),
        .subtitle = rt ? keep(d, "Our rating: %s", store_wl_rating_label(rt->rating)) : "Not rated yet",
        .blocks = d->blocks[n]};
    block(d, n, REPORT_BLOCK_NOTE, st->we);
    block(d, n, REPORT_BLOCK_HEADING, "Our rating");
    if (!rt)
        block(d, n, REPORT_BLOCK_PARA, "Not rated yet.");
    else {
        char when[32];
        time_t t = (time_t)rt->at;
        struct tm tm;
        if (!gmtime_r(&t, &tm) || !strftime(when, sizeof when, "%d %B %Y", &tm))
            when[0] = '\0';
        block(d, n, REPORT_BLOCK_PARA, keep(d, "%s, by %s on %s.", store_wl_rating_label(rt->rating), rt->actor,
                                            when[0] == '0' ? when + 1 : when));
        block(d, n, REPORT_BLOCK_PARA, rt->narrative);
        if (rt->actions[0])
            block(d, n, REPORT_BLOCK_PARA, keep(d, "Actions: %s", rt->actions));
        for (size_t i = 0; i < rt->n_projects; i++)
            block(d, n, REPORT_BLOCK_BULLET, keep(d, "Linked project: %s", rt->project_titles[i]));
    }
    block(d, n, REPORT_BLOCK_HEADING, "Evidence");
    if (!store_wl_has_evidence(&a->ev, n)) {
        block(d, n, REPORT_BLOCK_PARA, "No evidence yet: Purpose holds nothing for this statement so far.");
        return;
    }
    for (size_t i = 0; i < a->ev.n; i++) {
        const struct store_wl_evidence *e = &a->ev.items[i];
        if ((e->statements & (1u << (n - 1))) && e->count)
            block(d, n, REPORT_BLOCK_BULLET, keep(d, "%s (%s): %s", e->title, e->category, e->text));
    }
}

int web_wl_pdf(struct web_req *r, struct web_resp *w, struct purpose_err *err)
{
    struct web_wl a;
    if (web_wl_load(r, 0, &a, err) < 0)
        return -1;
    struct doc *d = calloc(1, sizeof *d);
    int rc = d ? 0 : purpose_errf(err, "well-led: out of memory");
    if (rc == 0) {
        cover(d, r, &a);
        for (int n = 1; n <= STORE_WL_STATEMENTS; n++)
            statement(d, &a, n);
        if (d->oom)
            rc = purpose_errf(err, "well-led: out of memory");
    }
    struct buf pdf;
    buf_init(&pdf, WL_PDF_CAP);
    if (rc == 0) {
        char title[STORE_NAME_MAX + 40];
        snprintf(title, sizeof title, "Well-led self-assessment: %s", r->org.name);
        struct report_text_doc doc = {.title = title, .pages = d->pages, .n = 1 + STORE_WL_STATEMENTS};
        rc = report_text_pdf(&pdf, &doc, err);
    }
    if (rc == 0) {
        w->content_type = "application/pdf";
        buf_release(&w->body);
        w->body = pdf; /* taken over */
    } else {
        buf_release(&pdf);
    }
    for (size_t i = 0; d && i < d->n_strings; i++)
        free(d->strings[i]);
    if (d)
        free(d->strings);
    free(d);
    web_wl_release(&a);
    return rc;
}
