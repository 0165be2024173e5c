/* Fuzzer for number and x-value parsing: anything parsed must be finite and print back to the
 * same number. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/num.h"
#include "core/xval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    double v, key, back;
    if (num_parse(s, size, &v) == NUM_OK) {
        char text[NUM_TEXT_MAX];
        size_t n = num_format(v, text);
        if (!isfinite(v) || num_parse(text, n, &back) != NUM_OK || back != v)
            __builtin_trap();
    }
    if (xval_classify(s, size, &key) != XVAL_LABEL && !isfinite(key))
        __builtin_trap();
    return 0;
}
