/* The well-led self-assessment's statements and ratings (wellled.h): CQC's eight quality
 * statements, and the history of the ratings a lead gives each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"
#include "core/banned.h"

/* CQC, "Well-led" key question: the eight quality statements and their "we statements" (shortened),
 * www.cqc.org.uk/assessment/quality-statements/well-led. */
const struct store_wl_statement store_wl_statements[STORE_WL_STATEMENTS] = {
    {1, "shared-direction", "Shared direction and culture",
     "We have a shared vision, strategy and culture, based on transparency, equity, equality and human rights, "
     "diversity and inclusion, engagement, and understanding challenges and the needs of people and communities."},
    {2, "leaders", "Capable, compassionate and inclusive leaders",
     "We have inclusive leadership at all levels who understand the context in which we deliver care, treatment "
     "and support, embody the culture and values of their workforce and organisation, and have the skills, "
     "knowledge, experience and credibility to lead effectively."},
    {3, "speak-up", "Freedom to speak up",
     "We foster a positive culture where people feel that they can speak up and that their voice will be heard."},
    {4, "workforce-edi", "Workforce equality, diversity and inclusion",
     "We value diversity in our workforce. We work towards an inclusive and fair culture by improving equality "
     "and equity for people who work for us."},
    {5, "governance", "Governance, management and sustainability",
     "We have clear responsibilities, roles, systems of accountability and good governance. We use these to "
     "manage and deliver good quality, sustainable care, treatment and support."},
    {6, "partnerships", "Partnerships and communities",
     "We understand our duty to collaborate and work in partnership, so our services work seamlessly for "
     "people. We share information and learning with partners and collaborate for improvement."},
    {7, "learning", "Learning, improvement and innovation",
     "We focus on continuous learning, innovation and improvement across our organisation and the local "
     "system. We encourage creative ways of delivering equality of experience, outcome and quality of life."},
    {8, "environment", "Environmental sustainability",
     "We understand any negative impact of our activities on the environment and we strive to make a positive "
     "contribution in reducing it and support people to do the same."},
};

const struct store_wl_statement *store_wl_statement(int64_t number)
{
    return number >= 1 && number <= STORE_WL_STATEMENTS ? &store_wl_statements[number - 1] : NULL;
}

const char *const store_wl_rating_names[STORE_WL_RATINGS] = {"outstanding", "good", "requires_improvement", "inadequate"};
static const char *const rating_labels[STORE_WL_RATINGS] = {"Outstanding", "Good", "Requires improvement",
                                                            "Inadequate"};

const char *store_wl_rating_label(const char *rating)
{
    for (size_t i = 0; rating && i < STORE_WL_RATINGS; i++)
        if (strcmp(rating, store_wl_rating_names[i]) == 0)
            return rating_labels[i];
    return NULL;
}

void store_wl_rating_release(struct store_wl_rating *r)
{
    free(r->rating);
    free(r->narrative);
    free(r->actions);
    free(r->actor);
    free(r->project_ids);
    for (size_t i = 0; i < r->n_projects; i++)
        free(r->project_titles[i]);
    free(r->project_titles);
    memset(r, 0, sizeof *r);
}

void store_wl_rating_list_release(struct store_wl_rating_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        store_wl_rating_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int store_wl_check_rating(const char *name, const char *rating, struct purpose_err *err)
{
    if (!store_wl_rating_label(rating))
        return purpose_errk(err, PURPOSE_ERR_INPUT, name,
                            "%s: choose Outstanding, Good, Requires improvement or Inadequate", name);
    return 0;
}

static int check_input(const struct store_wl_rating_input *in, struct purpose_err *err)
{
    if (store_wl_check_rating("rating", in->rating, err) < 0 ||
        store_check_text("narrative", in->narrative, STORE_TEXT_MAX, true, err) < 0 ||
        store_check_text("actions", in->actions ? in->actions : "", STORE_TEXT_MAX, false, err) < 0)
        return -1;
    if (in->n_projects > STORE_WL_PROJECTS_MAX)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "projects", "projects: link at most %d projects",
                            STORE_WL_PROJECTS_MAX);
    for (size_t i = 0; i < in->n_projects; i++)
        for (size_t j = 0; j < i; j++)
            if (in->project_ids[i] == in->project_ids[j])
                return purpose_errk(err, PURPOSE_ERR_INPUT, "projects", "projects: project %lld is named twice",
                                    (long long)in->project_ids[i]);
    return 0;
}

static json_t *rating_json(int statement, const struct store_wl_rating_input *in)
{
    json_t *ids = json_array();
    for (size_t i = 0; ids && i < in->n_projects; i++)
        if (json_array_append_new(ids, json_integer(in->project_ids[i])) < 0) {
            json_decref(ids);
            return NULL;
        }
    return ids ? json_pack("{s:i, s:s, s:s, s:s, s:o}", "statement", statement, "rating", in->rating, "narrative",
                           in->narrative, "actions", in->actions ? in->actions : "", "projects", ids)
               : NULL;
}

int store_wl_rate(struct store *s, const struct store_actor *by, const struct store_scope *scope, int statement,
                  const struct store_wl_rating_input *in, int64_t *id, struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope);
    if (!org_id)
        return store_not_found(err, "organisation");
    if (!store_wl_statement(statement))
        return store_not_found(err, "quality statement");
    if (check_input(in, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t new_id = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < in->n_projects; i++) {
        int64_t found = 0;
        rc = db_run_i64(c, &found, err, "SELECT id FROM projects WHERE org_id = ? AND id = ?", "ii", org_id,
                        in->project_ids[i]);
        if (rc == 0 && !found)
            rc = purpose_errk(err, PURPOSE_ERR_INPUT, "projects", "projects: %lld is not a project of this organisation",
                              (long long)in->project_ids[i]);
    }
    if (rc == 0)
        rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO wellled_ratings(org_id, statement, rating, narrative, actions, actor, at) "
                        "VALUES(?,?,?,?,?,?,?) RETURNING id",
                        "intttti", org_id, statement, in->rating, in->narrative, in->actions ? in->actions : "",
                        by->name, (int64_t)time(NULL));
    for (size_t i = 0; rc == 0 && i < in->n_projects; i++)
        rc = db_run(c, err, "INSERT INTO wellled_rating_projects(rating_id, project_id, position) VALUES(?,?,?)",
                    "iin", new_id, in->project_ids[i], (int)i);
    if (rc == 0)
        rc = store_audit(c, by, "rate", "wellled_rating", new_id, NULL, rating_json(statement, in), false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

static int row_rating(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_wl_rating *r = item;
    bool oom = false;
    r->id = db_col_i64(st, 0);
    r->org_id = db_col_i64(st, 1);
    r->statement = (int)db_col_i64(st, 2);
    r->rating = db_col_dup(st, 3, &oom);
    r->narrative = db_col_dup(st, 4, &oom);
    r->actions = db_col_dup(st, 5, &oom);
    r->actor = db_col_dup(st, 6, &oom);
    r->at = db_col_i64(st, 7);
    if (oom) {
        store_wl_rating_release(r);
        return store_oom(err);
    }
    return 0;
}

struct link_row {
    int64_t rating_id, project_id;
    char *title;
};

static int row_link(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct link_row *l = item;
    bool oom = false;
    l->rating_id = db_col_i64(st, 0);
    l->project_id = db_col_i64(st, 1);
    l->title = db_col_dup(st, 2, &oom);
    return oom ? store_oom(err) : 0;
}

/* Gives each rating its linked projects (links ordered by rating, then position). */
static int attach_links(struct store_wl_rating_list *out, struct link_row *links, size_t n, struct purpose_err *err)
{
    for (size_t i = 0; i < out->n; i++) {
        struct store_wl_rating *r = &out->items[i];
        size_t k = 0;
        for (size_t j = 0; j < n; j++)
            k += links[j].rating_id == r->id;
        if (!k)
            continue;
        r->project_ids = calloc(k, sizeof *r->project_ids);
        r->project_titles = calloc(k, sizeof *r->project_titles);
        if (!r->project_ids || !r->project_titles)
            return store_oom(err);
        for (size_t j = 0; j < n; j++)
            if (links[j].rating_id == r->id) {
                r->project_ids[r->n_projects] = links[j].project_id;
                r->project_titles[r->n_projects++] = links[j].title;
                links[j].title = NULL; /* moved */
            }
    }
    return 0;
}

int store_wl_ratings(struct store *s, const struct store_scope *scope, int statement, struct store_wl_rating_list *out,
                     struct purpose_err *err)
{
    const int64_t org_id = STORE_SCOPE_ORG_ID(scope); /* a programme's: 0, none */
    memset(out, 0, sizeof *out);
    if (statement && !store_wl_statement(statement))
        return store_not_found(err, "quality statement");
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_rating, err,
                        "SELECT id, org_id, statement, rating, narrative, actions, actor, at FROM wellled_ratings "
                        "WHERE org_id = ? AND (? = 0 OR statement = ?) ORDER BY id DESC",
                        "inn", org_id, statement, statement);
    struct link_row *links = NULL;
    size_t n = 0;
    if (rc == 0)
        rc = store_list(s, (void **)&links, &n, sizeof *links, row_link, err,
                        "SELECT l.rating_id, l.project_id, p.title FROM wellled_rating_projects l "
                        "JOIN wellled_ratings w ON w.id = l.rating_id JOIN projects p ON p.id = l.project_id "
                        "WHERE w.org_id = ? AND (? = 0 OR w.statement = ?) ORDER BY l.rating_id, l.position",
                        "inn", org_id, statement, statement);
    if (rc == 0)
        rc = attach_links(out, links, n, err);
    for (size_t i = 0; i < n; i++)
        free(links[i].title);
    free(links);
    if (rc < 0)
        store_wl_rating_list_release(out);
    return rc;
}
