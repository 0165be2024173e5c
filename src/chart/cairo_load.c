/* cairo opened on first use (see cairo_render.h for why it is not linked). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "chart/cairo_render.h"
#include "core/banned.h"

#define CAIRO_SONAME "libcairo.so.2"

struct chart_cairo_api chart_cr;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[256]; /* empty once loaded */

static void load(void)
{
    void *lib = dlopen(CAIRO_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(failure, sizeof failure, "PNG and PDF output need cairo (%s), which cannot be loaded: %s",
                 CAIRO_SONAME, dlerror());
        return;
    }
    struct chart_cairo_api api;
    /* dlsym returns an object pointer; POSIX guarantees it converts to a function pointer. */
#define CHART_CAIRO_RESOLVE(name)                                                                            \
    *(void **)&api.name = dlsym(lib, "cairo_" #name);                                                       \
    if (!api.name) {                                                                                        \
        snprintf(failure, sizeof failure, "PNG and PDF output need cairo 1.16 or later: %s lacks cairo_%s",   \
                 CAIRO_SONAME, #name);                                                                      \
        return;                                                                                             \
    }
    CHART_CAIRO_FUNCTIONS(CHART_CAIRO_RESOLVE)
#undef CHART_CAIRO_RESOLVE
    chart_cr = api; /* the library stays open for the life of the process */
}

int chart_cairo_load(struct purpose_err *err)
{
    if (pthread_once(&once, load) != 0)
        return purpose_errf(err, "chart: cannot load cairo");
    if (failure[0])
        return purpose_errf(err, "chart: %s", failure);
    return 0;
}
