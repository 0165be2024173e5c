/* k-means in the plane and the silhouette that chooses k (pol.is math/clusters.clj). pol.is seeds
 * k-means with the first k distinct points and then carries clusters over from its last run; a
 * batch has no last run, so seeding here is k-means++ from a fixed PRNG: the same votes give the
 * same groups. */
#include <math.h>
#include <string.h>

#include "opinion/op_int.h"
#include "core/banned.h"

static double d2(double ax, double ay, double bx, double by)
{
    return (ax - bx) * (ax - bx) + (ay - by) * (ay - by);
}

/* k-means++ (Arthur and Vassilvitskii 2007): each next centre drawn with probability in
 * proportion to weight x squared distance to the nearest centre so far. Fewer than k centres when
 * the points run out of distinct positions. */
static size_t seed_centres(const double *xs, const double *ys, const double *w, size_t n, size_t k,
                           uint64_t *rng, double *cx, double *cy, double *dist)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += w ? w[i] : 1;
    double t = op_rand01(rng) * total, acc = 0;
    size_t first = n - 1;
    for (size_t i = 0; i < n; i++) {
        acc += w ? w[i] : 1;
        if (acc > t) {
            first = i;
            break;
        }
    }
    cx[0] = xs[first];
    cy[0] = ys[first];
    for (size_t i = 0; i < n; i++)
        dist[i] = d2(xs[i], ys[i], cx[0], cy[0]);
    size_t used = 1;
    while (used < k) {
        total = 0;
        for (size_t i = 0; i < n; i++)
            total += (w ? w[i] : 1) * dist[i];
        if (!(total > 0))
            break;
        t = op_rand01(rng) * total;
        acc = 0;
        size_t pick = n;
        for (size_t i = 0; i < n; i++) {
            double p = (w ? w[i] : 1) * dist[i];
            acc += p;
            if (p > 0 && acc > t) {
                pick = i;
                break;
            }
        }
        if (pick == n) /* rounding left t past the sum: take the last point still away from a centre */
            for (size_t i = n; i-- > 0;)
                if (dist[i] > 0) {
                    pick = i;
                    break;
                }
        cx[used] = xs[pick];
        cy[used] = ys[pick];
        for (size_t i = 0; i < n; i++) {
            double d = d2(xs[i], ys[i], cx[used], cy[used]);
            if (d < dist[i])
                dist[i] = d;
        }
        used++;
    }
    return used;
}

size_t op_kmeans(const double *xs, const double *ys, const double *w, size_t n, size_t k, unsigned max_iter,
                 uint64_t *rng, int32_t *assign, double *cx, double *cy, double *sse, double *work)
{
    *sse = 0;
    if (n == 0 || k == 0)
        return 0;
    if (k > n)
        k = n;
    k = seed_centres(xs, ys, w, n, k, rng, cx, cy, work);
    double *sx = work, *sy = work + k, *sw = work + 2 * k; 
    for (unsigned it = 0; it <= max_iter; it++) {
        bool moved = false;
        for (size_t i = 0; i < n; i++) {
            int32_t best = 0;
            double bd = d2(xs[i], ys[i], cx[0], cy[0]);
            for (size_t c = 1; c < k; c++) {
                double d = d2(xs[i], ys[i], cx[c], cy[c]);
                if (d < bd) {
                    bd = d;
                    best = (int32_t)c;
                }
            }
            if (it == 0 || assign[i] != best)
                moved = true;
            assign[i] = best;
        }
        if (!moved || it == max_iter)
            break;
        memset(work, 0, 3 * k * sizeof *work);
        for (size_t i = 0; i < n; i++) {
            double wi = w ? w[i] : 1;
            sx[assign[i]] += wi * xs[i];
            sy[assign[i]] += wi * ys[i];
            sw[assign[i]] += wi;
        }
        for (size_t c = 0; c < k; c++)
            if (sw[c] > 0) { /* an emptied cluster keeps its centre and is dropped below if still empty */
                cx[c] = sx[c] / sw[c];
                cy[c] = sy[c] / sw[c];
            }
    }
    /* Drop empty clusters, keeping the order of the rest. */
    memset(work, 0, k * sizeof *work);
    for (size_t i = 0; i < n; i++)
        work[assign[i]] = 1;
    size_t used = 0;
    int32_t *remap = (int32_t *)(work + k); /* k int32s fit in k doubles */
    for (size_t c = 0; c < k; c++) {
        remap[c] = -1;
        if (work[c] > 0) {
            cx[used] = cx[c];
            cy[used] = cy[c];
            remap[c] = (int32_t)used++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        assign[i] = remap[assign[i]];
        *sse += (w ? w[i] : 1) * d2(xs[i], ys[i], cx[assign[i]], cy[assign[i]]);
    }
    return used;
}

double op_silhouette(const double *xs, const double *ys, size_t n, const int32_t *assign, size_t k,
                     double *work)
{
    double *sum = work, *cnt = work + k;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        memset(work, 0, 2 * k * sizeof *work);
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            sum[assign[j]] += sqrt(d2(xs[i], ys[i], xs[j], ys[j]));
            cnt[assign[j]] += 1;
        }
        int32_t own = assign[i];
        if (cnt[own] == 0)
            continue; /* a lone member scores 0 */
        double a = sum[own] / cnt[own], b = INFINITY;
        for (size_t c = 0; c < k; c++)
            if ((int32_t)c != own && cnt[c] > 0 && sum[c] / cnt[c] < b)
                b = sum[c] / cnt[c];
        if (isinf(b))
            continue;
        double mx = a > b ? a : b;
        if (mx > 0)
            total += (b - a) / mx;
    }
    return n ? total / (double)n : 0;
}
