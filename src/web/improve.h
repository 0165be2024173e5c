#ifndef PURPOSE_WEB_IMPROVE_H
#define PURPOSE_WEB_IMPROVE_H
/* Private to src/web: what the improvement features share (projects.c, drivers.c, measures.c,
 * alignment.c, summary.c): a measure's series computed by the SPC engine and drawn by the chart
 * layout exactly as `purpose spc --format svg` draws it (mchart.c), and the icons as images. */

#include "chart/chart.h"
#include "store/annotations.h"
#include "web/kit.h"

extern const struct web_feature web_projects, web_projects_delete, web_drivers, web_drivers_delete, web_measures, web_measures_delete, web_alignment, web_summary,
    web_icons, web_projects_api,
    web_cases, web_programme_sight, web_drivers_api, web_measures_api,
    web_rebases, web_programme_work, web_summary_pdf, web_annotations, web_celebrate,
    web_measures_programme, web_measures_form;
extern const struct web_feature web_system_view;

/* A measure with its points and rebases, computed. Owns everything; web_mseries_release frees it. */
struct web_mseries {
    struct store_measure m;
    struct store_point_list pts;
    struct store_rebase_list rebases;
    double *y, *x;
    double *den; /* the points' denominators (P, P', U and U' charts), else NULL */
    const char **xt;
    size_t *breaks, n_breaks;
    struct spc_options opt;
    struct spc_result res;
    bool computed;           /* false with fewer than 2 points, or when the engine refused them */
    char problem[300];       /* why the engine refused them ("" when it did not) */
    struct chart_series cs;  /* borrows the arrays above */
    char y_label[STORE_UNIT_MAX + 8];
    struct store_annotation_list notes_src; /* its annotations (annotations.c), drawn as cs.notes */
    struct chart_note *notes;
};

/* Rebase k names the point at this index (SIZE_MAX: the measure has no point on its day). As purpose
 * spc --rebase X: a rebase starts a group at its point, unless that is the first or there is none. */
size_t web_rebase_point(const struct web_mseries *ms, size_t k);
static inline bool web_rebase_starts(const struct web_mseries *ms, size_t k)
{
    size_t at = web_rebase_point(ms, k);
    return ms->computed && at != SIZE_MAX && at > 0;
}

/* The measure page's rebase parts (rebases.c): the select of the points a rebase may start at (the
 * measure of the request's {id}; fe: the form's error, when it is on "date" or "reason"), and the
 * rebases with what each does to the chart, with forms to delete a rebase or a point. */
/* responses.c: "Started from N ideas", linking to the ideas a project started from (nothing when
 * none). */
int web_project_ideas_line(struct web_req *r, struct web_resp *w, int64_t project_id, struct purpose_err *err);
void web_rebase_date_select(struct web_req *r, struct web_resp *w, const struct purpose_err *fe);
void web_rebases_section(struct web_req *r, struct web_resp *w, const struct web_mseries *ms);

/* Loads measure id of the request's organisation and computes it when it has 2 points or more. */
int web_mseries_load(struct web_req *r, int64_t id, struct web_mseries *ms, struct purpose_err *err);
/* The same for measure id of scope sc (an organisation's, or a programme's own), with its annotations;
 * not found for another scope's. */
int web_mseries_load_in(struct web_req *r, const struct store_scope *sc, int64_t id, struct web_mseries *ms,
                        struct purpose_err *err);
/* A programme's line of sight: the programme's own measures of ml that are aim's (0: the programme as a
 * whole's), with their icons, as a list (nothing when there are none). */
int web_programme_aim_measures(struct web_req *r, struct web_resp *w, const struct store_measure_list *ml,
                               int64_t aim, struct purpose_err *err);
/* The programme's summary: its own measures of kind ("": any) as summary tables, the whole
 * programme's and then one per aim of aims that has any (nothing when there are none). */
int web_programme_own_summary(struct web_req *r, struct web_resp *w, const struct store_aim_list *aims,
                              const char *kind, struct purpose_err *err);
/* The same as JSON: each of them (web_mseries_json, level "programme" or "aim", organisation and
 * project "") appended to *a. */
int web_programme_own_json(struct web_req *r, json_t **a, const char *kind, struct purpose_err *err);
/* The same from rows already read (takes ownership of m, pts and rebases, leaving them empty). */
int web_mseries_from(struct store_measure *m, struct store_point_list *pts, struct store_rebase_list *rebases,
                     struct web_mseries *ms, struct purpose_err *err);
void web_mseries_release(struct web_mseries *ms);
/* The chart as SVG: the same bytes as purpose spc --format svg for the same data, plus a dashed
 * line and a number for each PDSA cycle (pdsa may be NULL) that starts within the series. */
int web_mseries_svg(struct buf *out, const struct web_mseries *ms, const struct store_pdsa_list *pdsa,
                    struct purpose_err *err);
/* The measure page's chart: the icons, the chart (with pdsa's cycles, may be NULL) and what it says,
 * or why there is none. */
int web_mseries_show(struct web_resp *w, const struct web_mseries *ms, const struct store_pdsa_list *pdsa,
                     struct purpose_err *err);
/* A list's item for the measure: its icons and its name linking to href. */
void web_mseries_item(struct web_resp *w, const struct web_mseries *ms, const char *href);
/* "Needs at least 2 points", or why the stored points cannot be charted (a series stored before the
 * store's check, or changed behind it), as an input error naming the measure's points. */
int web_mseries_need(const struct web_mseries *ms, struct purpose_err *err);
/* The latest value, the last group's mean and limits (NaN when none). */
/* Point i's charted value: value / denominator * per on P, P', U and U' charts, else the value
 * (times per); NaN when it has none. */
double web_mseries_value(const struct web_mseries *ms, size_t i);
void web_mseries_figures(const struct web_mseries *ms, double *latest, double *mean, double *lpl, double *upl);
/* The integrated performance summary's table (summary.c), for an organisation's page and a
 * programme's: its head, and one measure's row (latest, mean, limits, target, icons) linking to
 * href, with its project's title under the name when project is not NULL. */
void web_summary_table_open(struct web_resp *w, const char *title);
void web_summary_row(struct web_resp *w, const struct web_mseries *ms, const char *href, const char *project);
/* The summary's CSV: its head, the first column named group (theme, organisation), and a row. */
void web_summary_csv_head(struct buf *b, const char *group);
void web_summary_csv_row(struct buf *b, const char *group, const char *project, const struct web_mseries *ms);

/* The variation and assurance icons as images with their meaning as alternative text. */
void web_icon_variation(struct web_resp *w, enum spc_variation v);
void web_icon_assurance(struct web_resp *w, enum spc_assurance a);
const char *web_variation_words(enum spc_variation v);
const char *web_assurance_words(enum spc_assurance a);
/* A number as the reading writes it, with the unit; "-" for NaN. */
void web_value_text(char *out, size_t n, double v, const char *unit);

/* Every measure of the request's organisation, computed (summary.c). */
struct web_org_measures {
    struct web_mseries *items;
    size_t n;
};
int web_org_measures_load(struct web_req *r, struct web_org_measures *out, struct purpose_err *err);
/* The same from measures and their points already read (a programme's): takes and releases both. */
int web_org_measures_build(struct store_measure_list *ml, struct store_measure_data_list *dl,
                           struct web_org_measures *out, struct purpose_err *err);
void web_org_measures_release(struct web_org_measures *m);
/* Annotations (annotations.c): takes al over (left empty) as ms's, drawn on its chart and named by
 * its reading; every measure of m its own of organisation org_id's (one query); the measure page's
 * section (the list, a delete button each, the form to add one, as the viewer may). */
int web_mseries_annotate(struct web_mseries *ms, struct store_annotation_list *al, struct purpose_err *err);
int web_org_measures_annotate(struct store *s, int64_t org_id, struct web_org_measures *m, struct purpose_err *err);
void web_annotations_section(struct web_req *r, struct web_resp *w, const struct web_mseries *ms);
/* The home page's celebrations (celebrate.c), for the organisation's leads: each project measure
 * whose chart proves a sustained improvement (spc_celebrate), linking its chart, PDSA cycles and
 * team, and a case study draft. Writes nothing for anyone else. */
int web_celebrations_home(struct web_req *r, struct web_resp *w, struct purpose_err *err);
/* The project's theme ids (through the ambitions it serves), into ids (at most n); returns the count. */
size_t web_project_themes(const struct store_project *p, const struct store_ambition_list *al, int64_t *ids, size_t n);

/* The colour of a project status's tag (projects.c). */
const char *web_status_colour(const char *status);
json_t *web_project_json(const struct store_project *p);
/* A project's actions (projects_action.c, action.h) and what they share with its pages and API:
 * the form shown again (projects.c), the project as the API answers it (projects_api.c). */
struct web_action;
struct web_action_in;
extern const struct web_action web_project_add, web_project_change, web_project_approve, web_project_delete;
void web_project_input(const struct web_action_in *in, struct store_project_input *p);
int web_project_form(struct web_req *r, struct web_resp *w, const struct web_action_in *in, const struct purpose_err *fe,
                     struct purpose_err *err);
int web_project_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);
/* The driver diagram's and PDSA cycles' actions (drivers_action.c); their forms (drivers.c) and
 * answers (drivers_api.c: a node, a cycle, the project {id}'s diagram). */
extern const struct web_action web_driver_add, web_driver_change, web_driver_move, web_driver_delete, web_pdsa_add,
    web_pdsa_change, web_pdsa_delete;
int web_driver_form(struct web_req *r, struct web_resp *w, const struct store_driver *d, const char *text,
                    const char *child, const struct purpose_err *fe);
void web_pdsa_input(const struct web_action_in *in, struct store_pdsa_input *c);
int web_pdsa_form_again(struct web_req *r, struct web_resp *w, const struct web_action_in *in,
                        const struct purpose_err *fe, struct purpose_err *err);
int web_driver_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);
int web_pdsa_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);
int web_diagram_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);
json_t *web_mseries_json(const struct web_mseries *ms, bool with_points);

/* Where a measure belongs (measures_level.c): "project", "ambition", "organisation", "programme" or "aim"; a form's
 * "owner" ("organisation", "ambition:ID" or "project:ID") or the API's project_id and ambition_id
 * (absent or null: none) as an owner; the select of the organisation's ambitions (and, with projects,
 * its projects) with cur chosen; and the measure page's form to move it (for those who may). */
const char *web_measure_level(const struct store_measure *m);
/* summary.c: the ambition a measure is shown under (its own, else its project p's first of al; 0 for
 * none), and that ambition's theme (0 for none). p may be NULL. */
int64_t web_measure_ambition(const struct store_measure *m, const struct store_project *p,
                             const struct store_ambition_list *al);
int64_t web_measure_theme(const struct store_measure *m, const struct store_project *p,
                          const struct store_ambition_list *al);
int web_measure_owner_parse(const char *v, struct store_measure_owner *to, struct purpose_err *err);
/* The API's ids of an owner, declared with a measure action's fields; web_measure_owner_in reads them
 * (an API request) or the form's "owner" (a page) as an owner of the request's scope. */
#define WEB_MEASURE_OWNER_FIELDS                                                                       \
    {.name = "project_id", .kind = WEB_F_INT, .min = 1, .max = STORE_ID_MAX},                          \
        {.name = "ambition_id", .kind = WEB_F_INT, .min = 1, .max = STORE_ID_MAX},                     \
        {.name = "aim_id", .kind = WEB_F_INT, .min = 1, .max = STORE_ID_MAX}
int web_measure_owner_in(const struct web_req *r, const struct web_action_in *in, struct store_measure_owner *to,
                         struct purpose_err *err);
/* A measure action's API answer (action.h): measure id of the request's scope with its points. */
int web_measure_answer(struct web_req *r, struct web_resp *w, int64_t id, int status, struct purpose_err *err);
/* The choices of the select (the organisation's ambitions, and with projects its projects), read
 * before a page is begun so that a failed read fails the request. */
struct web_measure_owners {
    struct store_theme_list themes;
    struct store_ambition_list ambitions;
    struct store_project_list projects;
};
int web_measure_owners_load(struct web_req *r, bool projects, struct web_measure_owners *o, struct purpose_err *err);
void web_measure_owners_release(struct web_measure_owners *o);
void web_measure_owner_select(struct web_resp *w, const struct purpose_err *fe, const struct web_measure_owners *o,
                              const struct store_measure_owner *cur);
bool web_measure_may_move(struct web_req *r, int64_t id);
void web_measure_move_form(struct web_req *r, struct web_resp *w, const struct store_measure *m,
                           const struct web_measure_owners *o, const struct purpose_err *fe);

#endif
