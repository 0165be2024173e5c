/* The demo trust's A&E measure: the real monthly figures of the provider whose ODS code the demo trust
 * carries (RR8, April 2016 to March 2019, every department type added up), from NHS England's A&E
 * attendances and emergency admissions statistics (Open Government Licence v3.0; the repository's
 * examples/ae_attendances.csv). Stored the way purpose import ae stores them, so that importing that
 * file into the demo changes nothing. */
#include <string.h>

#include "store/store_int.h"
#include "core/banned.h"

static const struct {
    const char *month;
    int attendances, breaches;
} ae[] = {
    {"2016-04-01", 18384, 1792}, {"2016-05-01", 21180, 2040}, {"2016-06-01", 19659, 2507},
    {"2016-07-01", 20825, 2742}, {"2016-08-01", 19081, 1615}, {"2016-09-01", 20090, 2024},
    {"2016-10-01", 20898, 3012}, {"2016-11-01", 19732, 3722}, {"2016-12-01", 19509, 4275},
    {"2017-01-01", 19298, 3508}, {"2017-02-01", 17656, 2830}, {"2017-03-01", 20252, 1844},
    {"2017-04-01", 19537, 1618}, {"2017-05-01", 21060, 2466}, {"2017-06-01", 19712, 1616},
    {"2017-07-01", 20642, 2540}, {"2017-08-01", 19162, 2355}, {"2017-09-01", 19751, 2620},
    {"2017-10-01", 21069, 3001}, {"2017-11-01", 20314, 3709}, {"2017-12-01", 19945, 5048},
    {"2018-01-01", 19458, 5412}, {"2018-02-01", 18062, 5122}, {"2018-03-01", 20138, 5866},
    {"2018-04-01", 19337, 3629}, {"2018-05-01", 21737, 2129}, {"2018-06-01", 20548, 2046},
    {"2018-07-01", 21867, 3524}, {"2018-08-01", 19424, 2421}, {"2018-09-01", 20182, 2901},
    {"2018-10-01", 21757, 3730}, {"2018-11-01", 20578, 3398}, {"2018-12-01", 20428, 4155},
    {"2019-01-01", 21043, 4306}, {"2019-02-01", 19205, 3449}, {"2019-03-01", 21298, 2259},
};

int store_demo_ae(struct store *s, int64_t trust, struct purpose_err *err)
{
    enum { N = sizeof ae / sizeof ae[0] };
    struct store_point p[N];
    size_t row[N];
    memset(p, 0, sizeof p);
    for (size_t i = 0; i < N; i++) {
        memcpy(p[i].day, ae[i].month, 11);
        p[i].value = ae[i].attendances - ae[i].breaches;
        p[i].has_den = true;
        p[i].den = ae[i].attendances;
        row[i] = i + 1;
    }
    struct store_import_series sv = {
        .org_id = trust,
        .in = {.name = STORE_AE_MEASURE, .kind = "outcome", .unit = "%", .direction = "increase",
               .has_target = true, .target = 95, .chart = "p", .per = 100},
        .target_given = true,
        .p = p,
        .row = row,
        .n = N,
    };
    struct store_actor by = {.name = "demo"};
    struct store_import_summary sum;
    return store_measures_import(s, &by, &sv, 1, NULL, NULL, &sum, err);
}
