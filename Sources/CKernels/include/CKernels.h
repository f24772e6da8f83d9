#ifndef ZOO_CKERNELS_H
#define ZOO_CKERNELS_H

/* zoo's memory-bound hot loops in C. Every function is compiled three times (AVX-512, AVX2, baseline x86-64)
   and the loader picks the clone this CPU runs (GNU ifunc), so the binary runs on any x86-64. Callers check
   sizes once at their API; these loops trust them. Pointers never alias unless a comment says so. */

#include <stddef.h>

/* Adam over n values: g' = g + decay·w; m = β1·m + (1-β1)·g'; v = β2·v + (1-β2)·g'²;
   w -= stepSize · m / (√v · inverseRootCorrection2 + ε). */
void zoo_adam_step(float *weight, float *first, float *second, const float *gradient, ptrdiff_t n,
                   float beta1, float beta2, float stepSize, float inverseRootCorrection2, float epsilon,
                   float weightDecay);

/* RMSProp over n values: g' = g + decay·w; s = α·s + (1-α)·g'²; w -= rate · g' / (√s + ε). */
void zoo_rmsprop_step(float *weight, float *square, const float *gradient, ptrdiff_t n,
                      float rate, float alpha, float epsilon, float weightDecay);

/* SGD over n values: g' = g + decay·w; without momentum (velocity NULL) w -= rate·g'; with it v = μ·v + g' and
   w -= rate·v, or w -= rate·(g' + μ·v) when nesterov. */
void zoo_sgd_step(float *weight, float *velocity, const float *gradient, ptrdiff_t n,
                  float rate, float momentum, int nesterov, float weightDecay);

/* y = max(0, x) (NaN stays NaN); x and y may be the same buffer. */
void zoo_relu(const float *x, float *y, ptrdiff_t n);

/* dx = y > 0 ? dy : 0; dx may be dy. */
void zoo_relu_backward(const float *dy, const float *y, float *dx, ptrdiff_t n);

#endif
