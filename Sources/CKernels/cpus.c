#define _GNU_SOURCE
#include <sched.h>
#include "CKernels.h"

int zoo_allowed_cpu_count(void) {
    cpu_set_t mask;
    CPU_ZERO(&mask);
    if (sched_getaffinity(0, sizeof mask, &mask) != 0) return 0;
    return CPU_COUNT(&mask);
}
