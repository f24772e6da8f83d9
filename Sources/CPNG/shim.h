#include <png.h>

/* Compound format macros Swift does not import. */
static const png_uint_32 cpng_format_gray = PNG_FORMAT_GRAY;
static const png_uint_32 cpng_format_gray_alpha = PNG_FORMAT_GA;
static const png_uint_32 cpng_format_rgb = PNG_FORMAT_RGB;
static const png_uint_32 cpng_format_rgba = PNG_FORMAT_RGBA;
static const png_uint_32 cpng_format_rgb_colormap = PNG_FORMAT_RGB_COLORMAP;
static const png_uint_32 cpng_format_linear_gray = PNG_FORMAT_LINEAR_Y;
static const png_uint_32 cpng_image_version = PNG_IMAGE_VERSION;
