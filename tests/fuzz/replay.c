/* Runs a fuzz target over files without libFuzzer (any compiler), for the seed corpus in
 * `make test`. Prints one TAP line per file. usage: replay FILE... */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            printf("not ok %d - %s: cannot open\n", i, argv[i]);
            failed = 1;
            continue;
        }
        uint8_t *data = malloc(1 << 20);
        size_t n = data ? fread(data, 1, 1 << 20, f) : 0;
        int bad = !data || ferror(f);
        fclose(f);
        if (!bad)
            LLVMFuzzerTestOneInput(data, n);
        free(data);
        printf("%s %d - %s\n", bad ? "not ok" : "ok", i, argv[i]);
        failed |= bad;
    }
    printf("1..%d\n", argc - 1);
    return failed;
}
