#include <png.h>

/* Compound format macros Swift does not import. */
static const png_uint_32 cpng_format_gray = PNG_FORMAT_GRAY;
static const png_uint_32 cpng_image_version = PNG_IMAGE_VERSION;
