/* Shared by every kernel file (not part of the module's public headers).
   No fused multiply-adds: every clone (and the Swift reference implementations the tests compare with) then
   rounds each operation the same way, so results are bit-identical on every x86-64. */
#pragma STDC FP_CONTRACT OFF

/* Each kernel is compiled for AVX-512, AVX2 and baseline x86-64; the loader picks the clone this CPU runs. */
#if defined(__x86_64__) && defined(__linux__)
#define ZOO_DISPATCH __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define ZOO_DISPATCH
#endif
