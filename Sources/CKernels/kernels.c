#include "CKernels.h"

#if defined(__x86_64__) && defined(__linux__)
#define ZOO_DISPATCH __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define ZOO_DISPATCH
#endif

#if __has_builtin(__builtin_elementwise_sqrt)
#define ZOO_SQRT(x) __builtin_elementwise_sqrt(x)
#else
#define ZOO_SQRT(x) __builtin_sqrtf(x)
#endif

ZOO_DISPATCH
void zoo_adam_step(float *restrict weight, float *restrict first, float *restrict second,
                   const float *restrict gradient, ptrdiff_t n, float beta1, float beta2, float stepSize,
                   float inverseRootCorrection2, float epsilon, float weightDecay) {
    for (ptrdiff_t i = 0; i < n; i++) {
        float g = gradient[i] + weightDecay * weight[i];
        float m = beta1 * first[i] + (1 - beta1) * g;
        float v = beta2 * second[i] + (1 - beta2) * g * g;
        first[i] = m;
        second[i] = v;
        weight[i] -= stepSize * m / (ZOO_SQRT(v) * inverseRootCorrection2 + epsilon);
    }
}

ZOO_DISPATCH
void zoo_rmsprop_step(float *restrict weight, float *restrict square, const float *restrict gradient, ptrdiff_t n,
                      float rate, float alpha, float epsilon, float weightDecay) {
    for (ptrdiff_t i = 0; i < n; i++) {
        float g = gradient[i] + weightDecay * weight[i];
        float s = alpha * square[i] + (1 - alpha) * g * g;
        square[i] = s;
        weight[i] -= rate * g / (ZOO_SQRT(s) + epsilon);
    }
}

ZOO_DISPATCH
void zoo_sgd_step(float *restrict weight, float *restrict velocity, const float *restrict gradient, ptrdiff_t n,
                  float rate, float momentum, int nesterov, float weightDecay) {
    if (velocity == 0) {
        for (ptrdiff_t i = 0; i < n; i++) weight[i] -= rate * (gradient[i] + weightDecay * weight[i]);
    } else if (nesterov) {
        for (ptrdiff_t i = 0; i < n; i++) {
            float g = gradient[i] + weightDecay * weight[i];
            float v = momentum * velocity[i] + g;
            velocity[i] = v;
            weight[i] -= rate * (g + momentum * v);
        }
    } else {
        for (ptrdiff_t i = 0; i < n; i++) {
            float g = gradient[i] + weightDecay * weight[i];
            float v = momentum * velocity[i] + g;
            velocity[i] = v;
            weight[i] -= rate * v;
        }
    }
}

ZOO_DISPATCH
void zoo_relu(const float *x, float *y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) y[i] = x[i] < 0 ? 0 : x[i];
}

ZOO_DISPATCH
void zoo_relu_backward(const float *dy, const float *y, float *dx, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
}
