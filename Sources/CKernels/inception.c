#include "CKernelsInception.h"
#include "dispatch.h"

ZOO_DISPATCH
void zoo_strided_channel_affine(const float *restrict x, ptrdiff_t positions, ptrdiff_t channels,
                                const float *restrict scale, const float *restrict shift, float *restrict y,
                                ptrdiff_t ldy, float *restrict normalized, const float *restrict mean,
                                const float *restrict inverse, int rectify) {
    for (ptrdiff_t p = 0; p < positions; p++) {
        const float *in = x + p * channels;
        float *out = y + p * ldy;
        if (rectify) {
            for (ptrdiff_t c = 0; c < channels; c++) {
                float v = in[c] * scale[c] + shift[c];
                out[c] = v < 0 ? 0 : v;
            }
        } else {
            for (ptrdiff_t c = 0; c < channels; c++) out[c] = in[c] * scale[c] + shift[c];
        }
        if (normalized) {
            float *xhat = normalized + p * channels;
            for (ptrdiff_t c = 0; c < channels; c++) xhat[c] = (in[c] - mean[c]) * inverse[c];
        }
    }
}

ZOO_DISPATCH
void zoo_rectified_batchnorm_gradient_sums(const float *restrict dy, ptrdiff_t ldg, const float *restrict y,
                                           ptrdiff_t ldy, const float *restrict normalized, ptrdiff_t positions,
                                           ptrdiff_t channels, float *restrict sums) {
    float *products = sums + channels;
    for (ptrdiff_t p = 0; p < positions; p++) {
        const float *d = dy + p * ldg, *xhat = normalized + p * channels;
        if (y) {
            const float *out = y + p * ldy;
            for (ptrdiff_t c = 0; c < channels; c++) {
                float g = out[c] > 0 ? d[c] : 0;
                sums[c] += g;
                products[c] += g * xhat[c];
            }
        } else {
            for (ptrdiff_t c = 0; c < channels; c++) {
                sums[c] += d[c];
                products[c] += d[c] * xhat[c];
            }
        }
    }
}

ZOO_DISPATCH
void zoo_rectified_batchnorm_input_gradient(const float *restrict dy, ptrdiff_t ldg, const float *restrict y,
                                            ptrdiff_t ldy, const float *restrict normalized, float *restrict dx,
                                            ptrdiff_t positions, ptrdiff_t channels, const float *restrict scale,
                                            const float *restrict meanGradient, const float *restrict meanProduct) {
    for (ptrdiff_t p = 0; p < positions; p++) {
        const float *d = dy + p * ldg, *xhat = normalized + p * channels;
        float *out = dx + p * channels;
        if (y) {
            const float *rectified = y + p * ldy;
            for (ptrdiff_t c = 0; c < channels; c++) {
                float g = rectified[c] > 0 ? d[c] : 0;
                out[c] = scale[c] * (g - meanGradient[c] - xhat[c] * meanProduct[c]);
            }
        } else {
            for (ptrdiff_t c = 0; c < channels; c++)
                out[c] = scale[c] * (d[c] - meanGradient[c] - xhat[c] * meanProduct[c]);
        }
    }
}

ZOO_DISPATCH
void zoo_strided_rectify(float *y, ptrdiff_t positions, ptrdiff_t channels, ptrdiff_t ldy) {
    for (ptrdiff_t p = 0; p < positions; p++) {
        float *row = y + p * ldy;
        for (ptrdiff_t c = 0; c < channels; c++) row[c] = row[c] < 0 ? 0 : row[c];
    }
}
