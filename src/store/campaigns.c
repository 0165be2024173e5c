/* Campaigns ("conversations"), the self-described groups, count suppression and the "who has been
 * heard" report. Contributions and votes are in contributions.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"
#include "core/banned.h"

/* Append only: a contribution keeps the groups it counts under as bit positions in this list
 * (heard.c). */
const char *const store_groups[][3] = {
    {"staff", "Staff", "who"},
    {"patient", "Patient or service user", "who"},
    {"carer", "Carer, family or friend", "who"},
    {"lived", "Lived experience", "who"},
    {"partner", "Partner organisation", "who"},
    {"public", "Member of the public", "who"},
    {"sg-nursing", "Nursing and midwifery", "staff_group"},
    {"sg-medical", "Medical and dental", "staff_group"},
    {"sg-ahp", "Allied health professionals", "staff_group"},
    {"sg-ambulance", "Ambulance staff", "staff_group"},
    {"sg-admin", "Administrative and clerical", "staff_group"},
    {"sg-estates", "Estates and ancillary", "staff_group"},
    {"age-16", "Aged 16 to 24", "age"},
    {"age-25", "Aged 25 to 44", "age"},
    {"age-45", "Aged 45 to 64", "age"},
    {"age-65", "Aged 65 or over", "age"},
    {"eth-A", "White: British", "ethnicity"},
    {"eth-B", "White: Irish", "ethnicity"},
    {"eth-C", "White: any other White background", "ethnicity"},
    {"eth-D", "Mixed: White and Black Caribbean", "ethnicity"},
    {"eth-E", "Mixed: White and Black African", "ethnicity"},
    {"eth-F", "Mixed: White and Asian", "ethnicity"},
    {"eth-G", "Mixed: any other mixed background", "ethnicity"},
    {"eth-H", "Asian or Asian British: Indian", "ethnicity"},
    {"eth-J", "Asian or Asian British: Pakistani", "ethnicity"},
    {"eth-K", "Asian or Asian British: Bangladeshi", "ethnicity"},
    {"eth-L", "Asian or Asian British: any other Asian background", "ethnicity"},
    {"eth-M", "Black or Black British: Caribbean", "ethnicity"},
    {"eth-N", "Black or Black British: African", "ethnicity"},
    {"eth-P", "Black or Black British: any other Black background", "ethnicity"},
    {"eth-R", "Other ethnic groups: Chinese", "ethnicity"},
    {"eth-S", "Other ethnic groups: any other ethnic group", "ethnicity"},
    {"eth-Z", "Not stated", "ethnicity"},
    {NULL, NULL, NULL},
};

const char *const store_house_rules =
    "Be respectful: criticise ideas, not people. Do not name or identify patients, staff or anyone else. "
    "No abuse, discrimination, threats or advertising. Keep to the question. Posts that break these rules "
    "are hidden, and the reason is shown to whoever wrote them.";

/* docs/privacy.md ("The privacy notice") quotes it: exactly what is and is not kept, in a
 * contributor's words. Paragraphs are split by a blank line. */
const char *const store_privacy_notice =
    "We keep what you write, your votes and any groups you tell us about, and nothing else about you. If "
    "you post anonymously (the default), we keep your words, the day you posted and whether you were signed "
    "in as staff: not your name or account, not the time, not your address. If you choose to show your "
    "name, we keep your name and the time with your words.\n\n"
    "Votes and groups are kept without your name and without a time. If you are signed in, your vote is "
    "kept under a code made from your account, so that you have one vote per idea. The groups you describe "
    "yourself by are kept with each of your posts under a code, so that the counts stay right if a post is "
    "hidden or withdrawn. Counts under 5 are never shown.\n\n"
    "These codes are made with a key kept apart from the database: nobody holding the database alone can "
    "tell who wrote an anonymous post, how anyone voted or who is in which group. Whoever holds the key as "
    "well (the server that runs this site) can tell how a signed-in person voted, and which anonymous posts "
    "in this conversation came from the same browser and the groups given with them, but not who wrote "
    "them. Our server's log records that something was posted to this conversation, never what or by whom. "
    "You can see and withdraw what you wrote from this browser until you sign in or out on it.";

const char *store_group_label(const char *code)
{
    for (size_t i = 0; store_groups[i][0]; i++)
        if (strcmp(store_groups[i][0], code) == 0)
            return store_groups[i][1];
    return NULL;
}

double store_agreement(const struct store_contribution *c)
{
    int64_t n = c->agree + c->disagree + c->unsure;
    return n ? (double)c->agree / (double)n : 0.0;
}

double store_division(const struct store_contribution *c)
{
    int64_t n = c->agree + c->disagree;
    return n ? 4.0 * (double)c->agree * (double)c->disagree / ((double)n * (double)n) : 0.0;
}

/* ---- campaigns ------------------------------------------------------------------------------ */

void store_campaign_release(struct store_campaign *c)
{
    free(c->question);
    free(c->description);
    free(c->audience);
    free(c->phases);
    free(c->phase);
    free(c->links);
    free(c->privacy);
    memset(c, 0, sizeof *c);
}

void store_campaign_list_release(struct store_campaign_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        store_campaign_release(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

#define CAMPAIGN_COLS                                                                                  \
    "id, org_id, programme_id, question, description, audience, opens_at, closes_at, phases, phase, links, " \
    "privacy, queue_public, created_at"

static int row_campaign(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct store_campaign *c = item;
    bool oom = false;
    c->id = db_col_i64(st, 0);
    c->scope = db_col_null(st, 1) ? (struct store_scope){STORE_SCOPE_PROGRAMME, db_col_i64(st, 2)}
                                  : (struct store_scope){STORE_SCOPE_ORG, db_col_i64(st, 1)};
    c->question = db_col_dup(st, 3, &oom);
    c->description = db_col_dup(st, 4, &oom);
    c->audience = db_col_dup(st, 5, &oom);
    c->opens_at = db_col_i64(st, 6);
    c->closes_at = db_col_i64(st, 7);
    c->phases = db_col_dup(st, 8, &oom);
    c->phase = db_col_dup(st, 9, &oom);
    c->links = db_col_dup(st, 10, &oom);
    c->privacy = db_col_dup(st, 11, &oom);
    c->queue_public = db_col_i64(st, 12) != 0;
    c->created_at = db_col_i64(st, 13);
    if (oom) {
        store_campaign_release(c);
        return store_oom(err);
    }
    return 0;
}

bool store_campaign_open(const struct store_campaign *c, int64_t now)
{
    return now >= c->opens_at && now < c->closes_at;
}

static int campaign_check(const struct store_campaign_input *in, struct purpose_err *err)
{
    if (store_check_text("question", in->question, STORE_QUESTION_MAX, true, err) < 0 ||
        store_check_text("description", in->description ? in->description : "", STORE_TEXT_MAX, false, err) < 0 ||
        store_check_text("phases", in->phases ? in->phases : "", 1000, false, err) < 0 ||
        store_check_text("phase", in->phase ? in->phase : "", STORE_TITLE_MAX, false, err) < 0 ||
        store_check_text("links", in->links ? in->links : "", 1000, false, err) < 0 ||
        store_check_text("privacy", in->privacy, STORE_TEXT_MAX, true, err) < 0)
        return -1;
    const char *a = in->audience ? in->audience : "";
    if (strcmp(a, "staff") != 0 && strcmp(a, "public") != 0 && strcmp(a, "partners") != 0 && strcmp(a, "all") != 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "audience", "audience: must be staff, public, partners or all");
    if (in->opens_at <= 0)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "opens_at", "opens_at: give the date it opens");
    if (in->closes_at <= in->opens_at)
        return purpose_errk(err, PURPOSE_ERR_INPUT, "closes_at", "closes_at: must be after it opens");
    return 0;
}

static json_t *campaign_json(const struct store_campaign_input *in)
{
    return json_pack("{s:s, s:s, s:I, s:I, s:s, s:b}", "question", in->question, "audience", in->audience,
                     "opens_at", (json_int_t)in->opens_at, "closes_at", (json_int_t)in->closes_at, "phase",
                     in->phase ? in->phase : "", "queue_public", in->queue_public);
}

int store_campaign_add(struct store *s, const struct store_actor *by, const struct store_scope *scope,
                       const struct store_campaign_input *in, int64_t *id, struct purpose_err *err)
{
    if (campaign_check(in, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    int64_t new_id = 0;
    bool org = scope->kind == STORE_SCOPE_ORG;
    int rc = db_run_i64(c, &new_id, err,
                        "INSERT INTO campaigns(org_id, programme_id, question, description, audience, opens_at, "
                        "closes_at, phases, phase, links, privacy, queue_public, created_at) "
                        "VALUES(NULLIF(?,0),NULLIF(?,0),?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                        "iitttiittttni", org ? scope->id : 0, org ? 0 : scope->id, in->question,
                        in->description ? in->description : "", in->audience, in->opens_at, in->closes_at,
                        in->phases ? in->phases : "", in->phase ? in->phase : "", in->links ? in->links : "",
                        in->privacy, (int)in->queue_public, (int64_t)time(NULL));
    if (rc == 0)
        rc = store_audit(c, by, "create", "campaign", new_id, NULL, campaign_json(in), false, true, err);
    rc = store_write_end(s, rc, err);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

#define SCOPE_WHERE "COALESCE(org_id, 0) = ? AND COALESCE(programme_id, 0) = ?"
#define SCOPE_ARGS(sc) STORE_SCOPE_ORG_ID(sc), STORE_SCOPE_PROGRAMME_ID(sc)

int store_campaign_update(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t id,
                          const struct store_campaign_input *in, struct purpose_err *err)
{
    if (campaign_check(in, err) < 0)
        return -1;
    struct db_conn *c;
    if (store_write(s, &c, err) < 0)
        return -1;
    struct store_campaign old = {0};
    struct db_stmt *st = NULL;
    int rc = db_query(c, &st, err, "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE id = ? AND " SCOPE_WHERE, "iii",
                      id, SCOPE_ARGS(scope));
    rc = store_read_one(st, rc, &old, row_campaign, "campaign", err);
    if (rc == 0)
        rc = db_run(c, err,
                    "UPDATE campaigns SET question = ?, description = ?, audience = ?, opens_at = ?, closes_at = ?, "
                    "phases = ?, phase = ?, links = ?, privacy = ?, queue_public = ? WHERE id = ?",
                    "tttiittttni", in->question, in->description ? in->description : "", in->audience,
                    in->opens_at, in->closes_at, in->phases ? in->phases : "", in->phase ? in->phase : "",
                    in->links ? in->links : "", in->privacy, (int)in->queue_public, id);
    if (rc == 0) {
        struct store_campaign_input was = {old.question, old.description, old.audience, old.phases, old.phase,
                                           old.links, old.privacy, old.opens_at, old.closes_at, old.queue_public};
        rc = store_audit(c, by, "update", "campaign", id, campaign_json(&was), campaign_json(in), true, true, err);
    }
    rc = store_write_end(s, rc, err);
    store_campaign_release(&old);
    return rc;
}

int store_campaign_get(struct store *s, const struct store_scope *scope, int64_t id, struct store_campaign *out,
                       struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    return store_get(s, out, row_campaign, "campaign", err,
                     "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE id = ? AND " SCOPE_WHERE, "iii", id,
                     SCOPE_ARGS(scope));
}

int store_campaign_in(struct db_conn *c, const struct store_scope *scope, int64_t id, struct purpose_err *err)
{
    int64_t ok = 0;
    if (db_run_i64(c, &ok, err, "SELECT 1 FROM campaigns WHERE id = " STORE_CAMPAIGN_OF, "ii", id,
                   STORE_SCOPE_KEY(scope)) < 0)
        return -1;
    return ok ? 0 : store_not_found(err, "campaign");
}

int store_campaign_list(struct store *s, const struct store_scope *scope, struct store_campaign_list *out,
                        struct purpose_err *err)
{
    int rc = store_list(s, (void **)&out->items, &out->n, sizeof *out->items, row_campaign, err,
                        "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE " SCOPE_WHERE " ORDER BY closes_at DESC, id",
                        "ii", SCOPE_ARGS(scope));
    if (rc < 0)
        store_campaign_list_release(out);
    return rc;
}

/* ---- who has been heard --------------------------------------------------------------------- */

void store_heard_list_release(struct store_heard_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* Whether the group is one the campaign set out to hear. */
static bool in_audience(const char *audience, const char *code, const char *category)
{
    if (strcmp(audience, "all") == 0)
        return strcmp(category, "who") == 0;
    if (strcmp(audience, "staff") == 0)
        return strcmp(code, "staff") == 0 || strcmp(category, "staff_group") == 0;
    if (strcmp(audience, "partners") == 0)
        return strcmp(code, "partner") == 0 || strcmp(code, "staff") == 0;
    return strcmp(code, "patient") == 0 || strcmp(code, "carer") == 0 || strcmp(code, "lived") == 0 ||
           strcmp(code, "public") == 0;
}

struct tally_row {
    char *grp;
    int64_t participants, contributions;
};

static int row_tally(struct db_stmt *st, void *item, struct purpose_err *err)
{
    struct tally_row *t = item;
    bool oom = false;
    t->grp = db_col_dup(st, 0, &oom);
    t->participants = db_col_i64(st, 1);
    t->contributions = db_col_i64(st, 2);
    return oom ? store_oom(err) : 0;
}

struct two_counts {
    int64_t a, b;
};

static int row_two(struct db_stmt *st, void *item, struct purpose_err *err)
{
    (void)err;
    struct two_counts *t = item;
    t->a = db_col_i64(st, 0);
    t->b = db_col_i64(st, 1);
    return 0;
}

/* Participants, and contributions the public can see. */
static int store_get_counts(struct store *s, int64_t campaign_id, int64_t *np, int64_t *nc, struct purpose_err *err)
{
    struct two_counts t = {0};
    if (store_get(s, &t, row_two, "campaign", err,
                  "SELECT (SELECT COUNT(*) FROM participants WHERE campaign_id = ?),"
                  " (SELECT COUNT(*) FROM contributions WHERE campaign_id = ? AND state = 'published')",
                  "ii", campaign_id, campaign_id) < 0)
        return -1;
    *np = t.a;
    *nc = t.b;
    return 0;
}

int store_campaign_heard(struct store *s, const struct store_scope *scope, int64_t campaign_id,
                         struct store_heard_list *out, int64_t *participants, int64_t *contributions,
                         struct purpose_err *err)
{
    memset(out, 0, sizeof *out);
    struct store_campaign cam = {0};
    int rc = store_get(s, &cam, row_campaign, "campaign", err,
                       "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE id = " STORE_CAMPAIGN_OF, "ii", campaign_id,
                       STORE_SCOPE_KEY(scope));
    if (rc < 0)
        return -1;
    struct tally_row *rows = NULL;
    size_t nrows = 0;
    rc = store_list(s, (void **)&rows, &nrows, sizeof *rows, row_tally, err,
                    "SELECT grp, participants, contributions FROM campaign_tally WHERE campaign_id = ?", "i",
                    campaign_id);
    int64_t np = 0, nc = 0;
    if (rc == 0)
        rc = store_get_counts(s, campaign_id, &np, &nc, err);
    size_t ngroups = 0;
    while (store_groups[ngroups][0])
        ngroups++;
    if (rc == 0 && !(out->items = calloc(ngroups, sizeof *out->items)))
        rc = store_oom(err);
    for (size_t i = 0; rc == 0 && i < ngroups; i++) {
        struct store_heard h = {store_groups[i][0], store_groups[i][1], store_groups[i][2], 0, 0,
                                in_audience(cam.audience, store_groups[i][0], store_groups[i][2])};
        for (size_t j = 0; j < nrows; j++)
            if (rows[j].grp && strcmp(rows[j].grp, h.code) == 0) {
                h.participants = rows[j].participants;
                h.contributions = rows[j].contributions;
            }
        if (h.in_audience || h.participants || h.contributions)
            out->items[out->n++] = h;
    }
    for (size_t j = 0; j < nrows; j++)
        free(rows[j].grp);
    free(rows);
    store_campaign_release(&cam);
    if (rc < 0) {
        store_heard_list_release(out);
        return -1;
    }
    if (participants)
        *participants = np;
    if (contributions)
        *contributions = nc;
    return 0;
}
