#ifndef PURPOSE_STRMAP_H
#define PURPOSE_STRMAP_H

#include <stddef.h>

/* A map from byte strings to indices 0, 1, 2... in order of first insertion (open addressing,
 * FNV-1a). The map owns copies of its keys. */
struct strmap {
    struct strmap_entry {
        char *key; /* NUL-terminated copy; NULL when the slot is empty */
        size_t len;
        size_t value;
    } *slots;
    size_t n_slots, count;
};

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);

/* Finds key; if absent and insert is non-zero, adds it with value = count. Returns the value,
 * or (size_t)-1 when absent (not inserting) or out of memory. */
size_t strmap_get(struct strmap *m, const char *key, size_t len, int insert);

#endif
