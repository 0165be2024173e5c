/* The page frame (head, header with every feature's navigation, footer) and the error pages. Every
 * dynamic value goes through html_esc, the one escaping writer. */
#include <string.h>
#include <time.h>

#include "web/confirm.h"
#include "web/web_int.h"
#include "core/banned.h"

void html_esc(struct buf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_append(b, run, (size_t)(p - run));
        buf_puts(b, rep);
        run = p + 1;
    }
    buf_puts(b, run);
}

void html_date(struct buf *b, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char s[64];
    if (!gmtime_r(&tt, &tm) || strftime(s, sizeof s, "%d %B %Y, %H:%M UTC", &tm) == 0)
        s[0] = '\0';
    html_esc(b, s[0] == '0' ? s + 1 : s);
}

static const char logo[] =
    "<svg class=\"nhsuk-logo\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 16\" height=\"40\" "
    "width=\"100\" aria-hidden=\"true\" focusable=\"false\"><path class=\"nhsuk-logo__background\" fill=\"#005eb8\" "
    "d=\"M0 0h40v16H0z\"></path><path class=\"nhsuk-logo__text\" fill=\"#fff\" d=\"M3.9 1.5h4.4l2.6 "
    "9h.1l1.8-9h3.3l-2.8 13H9l-2.7-9h-.1l-1.8 9H1.1M17.3 1.5h3.6l-1 4.9h4L25 1.5h3.5l-2.7 13h-3.5l1.1-5.6h-4.1l-1.2 "
    "5.6h-3.4M37.7 4.4c-.7-.3-1.6-.6-2.9-.6-1.4 0-2.5.2-2.5 1.3 0 1.8 5.1 1.2 5.1 5.1 0 3.6-3.3 4.5-6.4 4.5-1.3 "
    "0-2.9-.3-4-.7l.8-2.7c.7.4 2.1.7 3.2.7s2.8-.2 2.8-1.5c0-2.1-5.1-1.3-5.1-5 0-3.4 2.9-4.4 5.8-4.4 1.6 0 3.1.2 4 "
    ".6\"></path></svg>";

static void nav_item(struct web_resp *w, const char *href, const char *label, const char *path)
{
    struct buf *b = &w->body;
    bool current = strcmp(href, path) == 0 || (strcmp(href, "/") != 0 && strncmp(path, href, strlen(href)) == 0);
    buf_puts(b, "<li class=\"nhsuk-header__navigation-item\"><a class=\"nhsuk-header__navigation-link\" href=\"");
    web_href_esc(w, href);
    buf_puts(b, current ? "\" aria-current=\"page\">" : "\">");
    html_esc(b, label);
    buf_puts(b, "</a></li>");
}

/* Every feature's entries the caller may see, in rank order. */
static void navigation(struct web_resp *w, struct web_req *r)
{
    const struct web_nav *shown[64];
    size_t n = 0;
    for (size_t i = 0; i < web_nfeatures; i++) {
        const struct web_feature *f = web_features[i];
        for (size_t j = 0; j < f->nnav && n < sizeof shown / sizeof shown[0]; j++) {
            const struct web_nav *e = &f->nav[j];
            if (e->anonymous_only ? r->role != ROLE_ANON : !web_may(r, "GET", e->href))
                continue;
            size_t k = n++;
            for (; k > 0 && shown[k - 1]->rank > e->rank; k--)
                shown[k] = shown[k - 1];
            shown[k] = e;
        }
    }
    for (size_t i = 0; i < n; i++)
        nav_item(w, shown[i]->href, shown[i]->label, r->route_path ? r->route_path : r->path);
}

void html_csrf(struct web_req *r, struct web_resp *w)
{
    buf_puts(&w->body, "<input type=\"hidden\" name=\"csrf\" value=\"");
    html_esc(&w->body, r->csrf);
    buf_puts(&w->body, "\">");
}

void html_begin(struct web_req *r, struct web_resp *w, const char *title)
{
    struct buf *b = &w->body;
    w->content_type = "text/html; charset=utf-8";
    buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    html_esc(b, title);
    buf_puts(b, " - Purpose</title>"
                "<link rel=\"stylesheet\" href=\"/assets/nhsuk.min.css\">"
                "<link rel=\"stylesheet\" href=\"/assets/app.css\">"
                "<link rel=\"icon\" href=\"/assets/favicon.ico\">"
                "<script src=\"/assets/nhsuk.min.js\" defer></script></head><body>"
                "<a class=\"nhsuk-skip-link\" href=\"#maincontent\">Skip to main content</a>"
                "<header class=\"nhsuk-header\" role=\"banner\"><div class=\"nhsuk-header__container\">"
                "<div class=\"nhsuk-header__logo\"><a class=\"nhsuk-header__link nhsuk-header__link--service\" "
                "href=\"");
    web_href_esc(w, "/");
    buf_puts(b, "\" aria-label=\"Purpose homepage\">");
    buf_puts(b, logo);
    buf_puts(b, "<span class=\"nhsuk-header__service-name\">Purpose</span></a></div></div>"
                "<div class=\"nhsuk-navigation-container\"><nav class=\"nhsuk-navigation\" "
                "id=\"header-navigation\" role=\"navigation\" aria-label=\"Primary navigation\">"
                "<ul class=\"nhsuk-header__navigation-list nhsuk-header__navigation-list--left-aligned\">");
    navigation(w, r);
    buf_puts(b, "<li class=\"nhsuk-mobile-menu-container\"><button class=\"nhsuk-header__menu-toggle "
                "nhsuk-header__navigation-link\" id=\"toggle-menu\" aria-expanded=\"false\">"
                "<span class=\"nhsuk-u-visually-hidden\">Browse</span> More</button></li>"
                "</ul></nav></div></header>");
    if (r->role >= ROLE_CONTRIBUTOR) {
        buf_puts(b, "<div class=\"app-account-bar\"><div class=\"nhsuk-width-container\">"
                    "<form method=\"post\" action=\"/sign-out\" class=\"app-sign-out\">Signed in as ");
        html_esc(b, r->user.display_name);
        buf_puts(b, " (");
        html_esc(b, store_role_name(r->role));
        /* The role is this organisation's or programme's: say which, as one may hold others elsewhere. */
        const char *where = !r->scope.id ? NULL : r->scope.kind == STORE_SCOPE_PROGRAMME ? r->programme.name : r->org.name;
        if (where) {
            buf_puts(b, " in ");
            html_esc(b, where);
        }
        buf_puts(b, ") ");
        html_csrf(r, w);
        buf_puts(b, "<button type=\"submit\" class=\"app-link-button\">Sign out</button></form>");
        web_switcher(r, w);
        buf_puts(b, "</div></div>");
    }
    buf_puts(b, "<div class=\"nhsuk-width-container\"><main class=\"nhsuk-main-wrapper\" "
                "id=\"maincontent\" role=\"main\">");
    web_done_banner(r, w);
}

void html_end(struct web_req *r, struct web_resp *w)
{
    (void)r;
    buf_puts(&w->body,
             "</main></div><footer role=\"contentinfo\"><div class=\"nhsuk-footer-container\">"
             "<div class=\"nhsuk-width-container\"><h2 class=\"nhsuk-u-visually-hidden\">Support links</h2>"
             "<div class=\"nhsuk-footer\"><ul class=\"nhsuk-footer__list\">"
             "<li class=\"nhsuk-footer__list-item nhsuk-footer-default__list-item\">"
             "<a class=\"nhsuk-footer__list-item-link\" href=\"");
    web_href_esc(w, "/");
    buf_puts(&w->body, "\">Our purpose</a></li>"
             "<li class=\"nhsuk-footer__list-item nhsuk-footer-default__list-item\">"
             "<a class=\"nhsuk-footer__list-item-link\" href=\"");
    web_href_esc(w, "/api/v1/purpose");
    buf_puts(&w->body, "\">Open data (JSON)</a></li>"
             "</ul><div><p class=\"nhsuk-footer__copyright\">Purpose, an improvement platform for the NHS</p>"
             "</div></div></div></div></footer></body></html>\n");
}

static void way(struct web_resp *w, const char *href, bool raw, const char *label)
{
    buf_puts(&w->body, "<li><a href=\"");
    if (raw) /* another organisation's or a programme's page: as it is, not under this page's prefix */
        html_esc(&w->body, href);
    else
        web_href_esc(w, href);
    buf_puts(&w->body, "\">");
    html_esc(&w->body, label);
    buf_puts(&w->body, "</a></li>");
}

/* An error page is no dead end: what to do next, as links (a failed GET may be tried again; a
 * refused person is pointed to where their work is). */
static void ways_back(struct web_req *r, struct web_resp *w, int status)
{
    buf_puts(&w->body, "<h2 class=\"nhsuk-heading-s\">What you can do</h2><ul class=\"nhsuk-list\">");
    bool get = r->method && strcmp(r->method, "GET") == 0 && r->path;
    if ((status == 500 || status == 503) && get)
        way(w, r->path, true, "Try again");
    if (status == 400 && get) /* what was entered in the address (a filter's day) was wrong: the page without it */
        way(w, r->path, true, "Start this page again");
    char href[200];
    if (status != 403 && r->programme.id && r->programme.name && r->programme.slug &&
        web_href(r, href, sizeof href, "/programmes/{programme}", r->programme.slug)[0]) {
        char label[STORE_NAME_MAX + 8]; /* the programme the page was in, its hub */
        snprintf(label, sizeof label, "Go to %s", r->programme.name);
        way(w, href, true, label);
    }
    struct web_place p[WEB_PLACES_MAX];
    struct purpose_err e = {0};
    int n = status == 403 && r->user.id ? web_places(r, &r->user, p, WEB_PLACES_MAX, &e) : 0;
    if (n > 0) {
        char label[STORE_NAME_MAX + 32];
        const struct web_place *home = &p[web_home_place(p, (size_t)n)];
        snprintf(label, sizeof label, "Go to %s, where your work is", home->name);
        way(w, home->href, true, label);
    } else {
        way(w, "/", false, "Go to the home page");
    }
    if (status == 404 || status == 403)
        way(w, "/organisations", true, "Find an organisation or programme");
    buf_puts(&w->body, "</ul>");
}

static void error_frame(struct web_req *r, struct web_resp *w, int status, const char *title, const char *text,
                        const char *detail)
{
    buf_reset(&w->body);
    w->status = status;
    w->cacheable = false;
    html_begin(r, w, title);
    buf_puts(&w->body, "<div class=\"nhsuk-grid-row\"><div class=\"nhsuk-grid-column-two-thirds\"><h1>");
    html_esc(&w->body, title);
    buf_puts(&w->body, "</h1><p>");
    html_esc(&w->body, text);
    buf_puts(&w->body, "</p>");
    if (detail) {
        buf_puts(&w->body, "<p>");
        html_esc(&w->body, detail);
        buf_puts(&w->body, "</p>");
    }
    ways_back(r, w, status);
    buf_puts(&w->body, "</div></div>");
    html_end(r, w);
}

void html_error_page(struct web_req *r, struct web_resp *w, int status, const char *detail)
{
    const char *title, *text;
    switch (status) {
    case 400: title = "There is a problem with the request"; text = "Check what you entered and try again."; break;
    case 403: title = "You do not have permission to view this page";
        text = "Your account cannot open this page. If you think it should, ask an administrator."; break;
    case 404: title = "Page not found";
        text = "If you typed the web address, check it was correct. If you pasted the web address, check you copied the entire address."; break;
    case 405: title = "That action is not available here"; text = "Go back and try again."; break;
    case 409: title = "That has changed since you opened the page"; text = "Go back, reload the page and try again."; break;
    case 413: title = "What you sent is too large"; text = "Send less text and try again."; break;
    case 429: title = "Too many attempts"; text = "Wait 15 minutes and try again."; break;
    case 501: title = "That is not supported"; text = "Your browser sent the page in a way this service does not accept. Try again."; break;
    case 503: title = "Sorry, the service is unavailable";
        text = "Try again in a few minutes. What you entered has not been saved."; break;
    default: status = 500; title = "Sorry, there is a problem with the service";
        text = "Try again later. What you entered has not been saved."; break;
    }
    error_frame(r, w, status, title, text, detail);
}

void html_saved_error_page(struct web_req *r, struct web_resp *w)
{
    error_frame(r, w, 500, "Sorry, there is a problem with the service",
                "Your change was saved, but this page could not be shown. Go back and reload the page to see it: "
                "do not send the change again.",
                NULL);
}
