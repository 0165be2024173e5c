/* The demo's annotations (store/annotations.h): the falls bundle on the falls measure, two weeks
 * before its shift, so that the demo's chart, reading and board pack show one. */
#include <string.h>

#include "store/annotations.h"
#include "store/store_int.h"
#include "core/banned.h"

int store_demo_annotations(struct store *s, int64_t org_id, struct purpose_err *err)
{
    static const struct store_actor demo = {0, "purpose init"};
    struct store_measure_list ml;
    if (store_measure_list(s, STORE_ORG_SCOPE(org_id), 0, &ml, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < ml.n && rc == 0; i++) {
        if (strcmp(ml.items[i].name, "Falls per 1,000 bed days") != 0)
            continue;
        struct store_point_list pts;
        if ((rc = store_points_list(s, STORE_ORG_SCOPE(org_id), ml.items[i].id, &pts, err)) < 0)
            break;
        if (pts.n > 44) /* the demo's falls shift from week 46 (demo_projects.c) */
            rc = store_annotation_add(s, &demo, STORE_ORG_SCOPE(org_id), ml.items[i].id, pts.items[44].day,
                                      "Falls bundle on every ward", NULL, err);
        store_point_list_release(&pts);
    }
    store_measure_list_release(&ml);
    return rc;
}
