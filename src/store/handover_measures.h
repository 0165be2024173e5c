#ifndef PURPOSE_STORE_HANDOVER_MEASURES_H
#define PURPOSE_STORE_HANDOVER_MEASURES_H
/* Handover measures (handover_measures.c): an improvement measure whose points are a daily or
 * weekly handover metric (shared/spec/handovers.md) of a site, an organisation's sites or a
 * programme's partners' sites, computed from the stored per-site-day aggregates. Its points are
 * never entered by hand (store_points_put, store_points_csv and store_point_delete refuse them)
 * and are refreshed inside the transaction of every import that touches its sites, so each
 * point equals the value `purpose handovers report --by day|week` prints for that period (site
 * scope: the site's row; organisation or programme: the `all` row). A period without handovers
 * has no value for a percentage, mean or quantile and so no point. Included by store/store.h;
 * the same ownership and error rules apply. */

struct db_conn;

enum store_hom_scope { STORE_HOM_SITE, STORE_HOM_ORG, STORE_HOM_PROGRAMME };

#define STORE_HOM_NAME_MAX 200

struct store_hom_source {
    enum store_hom_scope scope;
    int64_t scope_id;      /* a site's, an organisation's or a programme's id */
    char metric[24];       /* a report column: "pct_within_60", "hours_lost_15", ... */
    bool weekly;           /* by ISO week (the point is on its Monday), else by local day */
    char scope_name[STORE_HOM_NAME_MAX + 1]; /* filled by store_hom_source_get: the site, org or programme */
};

/* The metrics a measure can follow, in the report's column order: key (the report's column),
 * words for people, and the measure it makes: unit, direction and the standard as its target
 * where the spec sets one. */
struct store_hom_metric {
    const char *key, *label, *unit, *direction, *kind;
    bool has_target;
    double target;
};
extern const struct store_hom_metric store_hom_metrics[];
extern const size_t store_hom_n_metrics;
const struct store_hom_metric *store_hom_metric_find(const char *key); /* NULL: none */

/* Handover measures are an organisation's: a programme's scope makes and finds none (NOT_FOUND).
 * Makes a measure in project_id (of the scope's organisation) following src, with the metric's unit, direction and
 * target; name NULL or "" takes a name made from the source. The source must be the
 * organisation's own (one of its sites, itself, or a programme it is a partner of). Its points
 * are computed at once from what is stored. */
int store_hom_create(struct store *s, const struct store_actor *by, const struct store_scope *scope, int64_t project_id,
                     const struct store_hom_source *src, const char *name, int64_t *measure_id,
                     struct purpose_err *err);
/* The source of measure_id of the scope's organisation: 1 with out filled, 0 when the measure has none (its points
 * are entered by hand), -1 on error. */
int store_hom_source_get(struct store *s, const struct store_scope *scope, int64_t measure_id, struct store_hom_source *out,
                         struct purpose_err *err);

/* The demo's handovers (demo_handovers.c): six months of synthetic rows for the trust's two sites
 * and the ambulance service's one, quicker from half way, and a measure of the trust that follows
 * the programme's daily % within 60 minutes. Inside store_demo's transaction. */
int store_demo_handovers(struct store *s, int64_t trust, int64_t ambulance, int64_t programme,
                         struct purpose_err *err);

/* Private to src/store (called from handovers.c and measures.c, inside their transaction on c):
 * refreshes every handover measure whose source includes a site of the scope's organisation over the local days
 * first..last (an import's range), and refuses, as a CONFLICT naming "points", to change a
 * handover measure's points by hand. */
int store_hom_refresh_import(struct store *s, struct db_conn *c, const struct store_actor *by,
                             const struct store_scope *scope,
                             int32_t first, int32_t last, struct purpose_err *err);
int store_hom_guard(struct db_conn *c, int64_t measure_id, struct purpose_err *err);

#endif
