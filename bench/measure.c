/* measure RUNS COMMAND [ARG...]
 * Runs COMMAND once to warm up, then RUNS times, each with stdout to /dev/null, and prints
 *   <median wall seconds> <peak RSS in KiB> <median CPU seconds>
 * Wall time is CLOCK_MONOTONIC around fork..wait4; CPU time is user + system from wait4 (less
 * disturbed than wall time when the machine is shared); peak RSS is the largest ru_maxrss of the
 * timed runs (it counts file pages the command has mapped, so an mmap'd input is included).
 * Exits 1 if any run fails, so a broken command never yields a figure. Self-contained: GNU time
 * is not always installed. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 101

struct sample { double seconds, cpu_seconds; long max_rss_kib; };

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* One run of argv; 0 on success with the sample filled in. */
static int run_once(char **argv, struct sample *out)
{
    double start = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("measure: fork");
        return -1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
            _exit(126);
        close(null);
        execvp(argv[0], argv);
        fprintf(stderr, "measure: %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("measure: wait4");
            return -1;
        }
    }
    out->seconds = now() - start;
    out->cpu_seconds = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
    out->max_rss_kib = ru.ru_maxrss; /* KiB on Linux */
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "measure: %s failed (status %d)\n", argv[0],
                WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        return -1;
    }
    return 0;
}

static int by_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], by_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    int runs = argc > 2 ? atoi(argv[1]) : 0;
    if (runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: measure RUNS(1-%d) COMMAND [ARG...]\n", MAX_RUNS);
        return 2;
    }
    struct sample s;
    if (run_once(argv + 2, &s) < 0) /* warm-up: page cache, binary, allocator */
        return 1;
    double wall[MAX_RUNS], cpu[MAX_RUNS];
    long peak = 0;
    for (int i = 0; i < runs; i++) {
        if (run_once(argv + 2, &s) < 0)
            return 1;
        wall[i] = s.seconds;
        cpu[i] = s.cpu_seconds;
        if (s.max_rss_kib > peak)
            peak = s.max_rss_kib;
    }
    printf("%.6f %ld %.6f\n", median(wall, runs), peak, median(cpu, runs));
    return 0;
}
