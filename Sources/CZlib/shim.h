#include <zlib.h>

/* inflateInit2 is a function-like macro, which Swift does not import. */
static inline int czlib_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
