#ifndef PURPOSE_MEM_H
#define PURPOSE_MEM_H
#include <stddef.h>

/* Hints that the block [p, p + bytes) is a large array about to be filled: backs it with
 * transparent huge pages where the kernel allows them only on request (the common "madvise"
 * setting). A 10 M-point series otherwise takes ~50,000 page faults, which cost more than the
 * parsing on a virtual machine. Only a hint: it never fails and never changes the contents. */
void mem_hint_huge(void *p, size_t bytes);

#endif
