#ifndef ZOO_CKERNELS_AUGMENT_H
#define ZOO_CKERNELS_AUGMENT_H

/* One digit image's distortion for ZooData's Augmentation, which draws the random parameters (in Swift, from the
   sample's seed) and checks every size; this loop trusts them. Bit for bit the arithmetic of the Swift reference
   the tests keep: the same operations in the same order per pixel, no fused multiply-adds. */

#include <stddef.h>
#include <stdint.h>

/* Floats of scratch one call of zoo_augment_image needs for images of `side` x `side` pixels and an elastic grid
   of `nodes` x `nodes` (0 without one). */
ptrdiff_t zoo_augment_scratch_count(ptrdiff_t side, ptrdiff_t nodes);

/* output [side²] = image [side²] sampled bilinearly at the source point of each output pixel (x, y):
       dx = x - centre - shift_x, dy = y - centre - shift_y,
       source = (centre + cosine·dx + sine·dy, centre - sine·dx + cosine·dy) + elastic(x, y),
   where, when node_x is not NULL, elastic(x, y) blends the coarse grid's values at rows node_y[y], node_y[y] + 1
   and columns node_x[x], node_x[x] + 1 (coarse_x and coarse_y: nodes x nodes, row-major) with the weights
   weights[k·side² + y·side + x], k = 0...3 for top-left, top-right, bottom-left, bottom-right (pass nodes 0 and
   NULLs without it). Pixels outside the image read `background`. Then, when thickness is not 0, each pixel is
   blended by |thickness| toward the maximum (thickness > 0) or minimum of its 3x3 cross. scratch holds
   zoo_augment_scratch_count(side, nodes) floats; no pointer aliases another. */
void zoo_augment_image(const float *image, float *output, ptrdiff_t side, float background, float centre,
                       float shift_x, float shift_y, float cosine, float sine, const int32_t *node_x,
                       const int32_t *node_y, const float *weights, ptrdiff_t nodes, const float *coarse_x,
                       const float *coarse_y, float thickness, float *scratch);

#endif
