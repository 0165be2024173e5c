#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/banned.h"

#define HUGE_HINT_MIN ((size_t)4 << 20) /* below two huge pages there is little to gain */

void mem_hint_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (!p || bytes < HUGE_HINT_MIN)
        return;
    /* Whole pages around the block: a large malloc block is its own mapping, so this covers
     * exactly that mapping, and mremap can still grow it in place (one VMA, not split). */
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = (uintptr_t)p / page * page;
    uintptr_t end = ((uintptr_t)p + bytes + page - 1) / page * page;
    madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}
