/* Fuzzer for the CSV reader: any bytes must give rows or a clean error, never a crash. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv_reader r;
    struct purpose_err err;
    struct buf scratch;
    buf_init(&scratch, 1 << 16);
    csv_reader_init(&r, "fuzz", (const char *)data, size);
    while (csv_next(&r, &err) == 1) {
        for (size_t i = 0; i < r.n_fields; i++) {
            size_t n;
            const char *v = csv_field_text(&r.fields[i], &scratch, &n);
            struct csv_field again;
            csv_field_at((const char *)data, size, (size_t)(r.fields[i].p - (const char *)data) - r.fields[i].quoted,
                         &again);
            if (again.len != r.fields[i].len || (n && v[0] == '\0' && n > scratch.len && r.fields[i].escaped))
                __builtin_trap();
        }
    }
    buf_release(&scratch);
    csv_reader_release(&r);
    return 0;
}
