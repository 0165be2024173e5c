/* Writes the benchmark inputs from a fixed seed, so every run measures the same bytes.
 *   gen multi  FILE   1,000 series x 1,000 points: series,x,y with ISO-date x
 *   gen single FILE   one series of 10,000,000 points: x,y with x = 1..10,000,000
 *   gen multi_den FILE  as multi, with a denominator: series,x,y,n where y is the numerator
 *                     (the same percentage of n, n from 100 to 599: for P and U charts)
 * y looks like an NHS percentage (80-100, 2 decimals) that wanders, with an occasional step
 * change (so the rules fire) and a rare missing value (so that path is exercised too). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED UINT64_C(20240601)
#define MULTI_SERIES 1000
#define MULTI_POINTS 1000
#define SINGLE_POINTS 10000000L

/* splitmix64: tiny, fast, and the same on every platform. */
static uint64_t rng_state = SEED;

static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double uniform(void) { return (double)(next_u64() >> 11) / 9007199254740992.0; }

/* A level that holds steady for a while, then occasionally steps up or down. */
struct process { double level; };

static void process_init(struct process *p) { p->level = 88.0 + 8.0 * uniform(); }

/* The next value, in hundredths of a percent, or -1 for a missing value. */
static long process_next(struct process *p)
{
    if (uniform() < 0.004) /* a step change roughly every 250 points */
        p->level += (uniform() < 0.5 ? -1.0 : 1.0) * (1.5 + 3.0 * uniform());
    if (p->level < 83.0)
        p->level = 83.0;
    if (p->level > 97.0)
        p->level = 97.0;
    if (uniform() < 0.0005)
        return -1;
    /* Sum of three uniforms: a cheap bell shape, +-3 points around the level. */
    double v = p->level + 2.0 * (uniform() + uniform() + uniform() - 1.5);
    if (v < 80.0)
        v = 80.0;
    if (v > 100.0)
        v = 100.0;
    return (long)(v * 100.0 + 0.5);
}

static void put_value(FILE *f, long hundredths)
{
    if (hundredths >= 0)
        fprintf(f, "%ld.%02ld", hundredths / 100, hundredths % 100);
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's civil_from_days). */
static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void write_multi(FILE *f)
{
    const long first_day = 18262; /* 2020-01-01 */
    fputs("series,x,y\n", f);
    for (int s = 1; s <= MULTI_SERIES; s++) {
        struct process p;
        process_init(&p);
        for (long i = 0; i < MULTI_POINTS; i++) {
            int y, m, d;
            civil_from_days(first_day + i, &y, &m, &d);
            fprintf(f, "Ward %04d,%04d-%02d-%02d,", s, y, m, d);
            put_value(f, process_next(&p));
            fputc('\n', f);
        }
    }
}

static void write_multi_den(FILE *f)
{
    const long first_day = 18262; /* 2020-01-01 */
    fputs("series,x,y,n\n", f);
    for (int s = 1; s <= MULTI_SERIES; s++) {
        struct process p;
        process_init(&p);
        for (long i = 0; i < MULTI_POINTS; i++) {
            int y, m, d;
            civil_from_days(first_day + i, &y, &m, &d);
            long n = 100 + (long)(next_u64() % 500), v = process_next(&p);
            fprintf(f, "Ward %04d,%04d-%02d-%02d,", s, y, m, d);
            if (v >= 0)
                fprintf(f, "%ld", (v * n + 5000) / 10000); /* v is in hundredths of a percent */
            fprintf(f, ",%ld\n", n);
        }
    }
}

static void write_single(FILE *f)
{
    struct process p;
    process_init(&p);
    fputs("x,y\n", f);
    for (long i = 1; i <= SINGLE_POINTS; i++) {
        fprintf(f, "%ld,", i);
        put_value(f, process_next(&p));
        fputc('\n', f);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "multi") != 0 && strcmp(argv[1], "single") != 0 &&
                      strcmp(argv[1], "multi_den") != 0)) {
        fprintf(stderr, "usage: gen multi|multi_den|single FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "w");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    static char buffer[1 << 20];
    setvbuf(f, buffer, _IOFBF, sizeof buffer);
    if (strcmp(argv[1], "multi") == 0)
        write_multi(f);
    else if (strcmp(argv[1], "multi_den") == 0)
        write_multi_den(f);
    else
        write_single(f);
    if (ferror(f) | fclose(f)) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
