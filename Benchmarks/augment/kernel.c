/* Standalone timing and equivalence check of zoo_augment_image (Sources/CKernels/augment.c) on MNIST's training
   images, against another build of the kernel linked in as before_augment_image (kernel.sh compiles a git
   revision's augment.c under that name). The random draws mirror Augmentation.distort in
   Sources/ZooData/Augmentation.swift (xoshiro256** seeded by SplitMix64, the same order), so the parameters are
   the ones training uses; the images are standardised over the images read, as the MLP's inputs are.

   kernel IMAGES.gz [count] [rounds]: per round, CPU time per image of each kernel over `count` images (default
   10000), before and after interleaved, for the standard settings and without the elastic field; then every
   setting of the tests' list, four backgrounds, all `count` images: the two kernels' outputs compared bit for bit. */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include "CKernelsAugment.h"

ptrdiff_t before_scratch_count(ptrdiff_t side, ptrdiff_t nodes);
void before_augment_image(const float *image, float *output, ptrdiff_t side, float background, float centre,
                          float shift_x, float shift_y, float cosine, float sine, const int32_t *node_x,
                          const int32_t *node_y, const float *weights, ptrdiff_t nodes, const float *coarse_x,
                          const float *coarse_y, float thickness, float *scratch);

typedef struct { uint64_t s[4]; } generator;

static uint64_t rotate(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static generator seeded(uint64_t seed) {
    generator g;
    for (int i = 0; i < 4; i++) {
        seed += 0x9E3779B97F4A7C15ull;
        uint64_t z = seed;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        g.s[i] = z ^ (z >> 31);
    }
    return g;
}

static uint64_t next(generator *g) {
    uint64_t *s = g->s, result = rotate(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotate(s[3], 45);
    return result;
}

static float uniform01(generator *g) { return (float)(next(g) >> 40) * (1.0f / 16777216.0f); }

typedef struct { float shift, rotation, scale, alpha, sigma, thickness; const char *name; } setting;

typedef struct {  /* ElasticGrid */
    ptrdiff_t nodes;
    float width;
    int32_t *corner;
    float *weights;
} grid;

static grid make_grid(ptrdiff_t side, float cell, float alpha) {
    grid g;
    g.nodes = (ptrdiff_t)ceilf((float)(side - 1 > 1 ? side - 1 : 1) / cell) + 1;
    float rms = alpha * (1 / sqrtf(3)) / (2 * sqrtf((float)M_PI) * cell);
    g.width = 2 * sqrtf(3) * rms;
    g.corner = malloc(sizeof(int32_t) * side);
    float *fraction = malloc(sizeof(float) * side);
    for (ptrdiff_t i = 0; i < side; i++) {
        ptrdiff_t c = (ptrdiff_t)((float)i / cell);
        g.corner[i] = (int32_t)(c < g.nodes - 2 ? c : g.nodes - 2);
        fraction[i] = (float)i / cell - (float)g.corner[i];
    }
    ptrdiff_t pixels = side * side;
    g.weights = malloc(sizeof(float) * 4 * pixels);
    for (ptrdiff_t y = 0; y < side; y++) {
        for (ptrdiff_t x = 0; x < side; x++) {
            float fx = fraction[x], fy = fraction[y];
            ptrdiff_t p = y * side + x;
            g.weights[p] = (1 - fx) * (1 - fy);
            g.weights[pixels + p] = fx * (1 - fy);
            g.weights[2 * pixels + p] = (1 - fx) * fy;
            g.weights[3 * pixels + p] = fx * fy;
        }
    }
    free(fraction);
    return g;
}

typedef struct { float centre, shift_x, shift_y, cosine, sine, thickness; } draw;

/* Augmentation.distort's draws for one seed; coarse gets nodes² x then nodes² y values. */
static draw make_draw(setting s, const grid *g, ptrdiff_t side, uint64_t seed, float *coarse) {
    generator r = seeded(seed);
#define UNIFORM(limit) ((limit) * (2 * uniform01(&r) - 1))
    float angle = UNIFORM(s.rotation) * (float)M_PI / 180;
    float scale = 1 + UNIFORM(s.scale);
    draw d;
    d.shift_x = UNIFORM(s.shift);
    d.shift_y = UNIFORM(s.shift);
    d.thickness = UNIFORM(s.thickness);
    if (s.alpha > 0) {
        ptrdiff_t n = g->nodes * g->nodes;
        for (ptrdiff_t i = 0; i < n; i++) {
            coarse[i] = g->width * (uniform01(&r) - 0.5f);
            coarse[n + i] = g->width * (uniform01(&r) - 0.5f);
        }
    }
    d.centre = (float)(side - 1) / 2;
    d.cosine = cosf(angle) / scale;
    d.sine = sinf(angle) / scale;
    return d;
}

typedef void (*kernel)(const float *, float *, ptrdiff_t, float, float, float, float, float, float, const int32_t *,
                       const int32_t *, const float *, ptrdiff_t, const float *, const float *, float, float *);

static void run(kernel k, const float *images, float *outputs, ptrdiff_t count, ptrdiff_t side, float background,
                setting s, const grid *g, const draw *draws, const float *coarse, float *scratch) {
    ptrdiff_t pixels = side * side, n = g->nodes * g->nodes;
    int elastic = s.alpha > 0;
    for (ptrdiff_t i = 0; i < count; i++) {
        const draw *d = draws + i;
        const float *c = coarse + 2 * n * i;
        k(images + i * pixels, outputs + i * pixels, side, background, d->centre, d->shift_x, d->shift_y, d->cosine,
          d->sine, elastic ? g->corner : NULL, elastic ? g->corner : NULL, g->weights, elastic ? g->nodes : 0, c,
          c + n, d->thickness, scratch);
    }
}

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s train-images-idx3-ubyte.gz [count] [rounds]\n", argv[0]); return 2; }
    ptrdiff_t count = argc > 2 ? atol(argv[2]) : 10000;
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    gzFile file = gzopen(argv[1], "rb");
    unsigned char header[16];
    if (!file || gzread(file, header, 16) != 16) { fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
    const ptrdiff_t side = 28, pixels = side * side;
    unsigned char *bytes = malloc((size_t)(count * pixels));
    if (gzread(file, bytes, (unsigned)(count * pixels)) != (int)(count * pixels)) {
        fprintf(stderr, "%s holds fewer than %ld images\n", argv[1], (long)count);
        return 1;
    }
    gzclose(file);
    float *images = malloc(sizeof(float) * count * pixels), *outputs = malloc(sizeof(float) * count * pixels);
    float *reference = malloc(sizeof(float) * count * pixels);
    double sum = 0, squares = 0;
    for (ptrdiff_t i = 0; i < count * pixels; i++) {
        float v = (float)bytes[i] / 255;
        sum += v;
        squares += (double)v * v;
    }
    float mean = (float)(sum / (double)(count * pixels));
    float deviation = (float)sqrt(squares / (double)(count * pixels) - (double)mean * mean), scale = 1 / deviation;
    for (ptrdiff_t i = 0; i < count * pixels; i++) images[i] = ((float)bytes[i] / 255 - mean) * scale;
    const float background = (0 - mean) * scale;

    const setting standard = {2, 10, 0.1f, 34, 4, 0.5f, "standard"};
    setting settings[] = {
        standard,
        {2, 10, 0.1f, 0, 4, 0.5f, "elastic 0"},
        {0, 10, 0.1f, 34, 4, 0.5f, "no shift"},
        {2, 0, 0.1f, 34, 4, 0.5f, "no rotation"},
        {2, 10, 0, 34, 4, 0.5f, "no scale"},
        {2, 10, 0.1f, 34, 4, 0, "no thickness"},
        {0, 0, 0, 0, 4, 0, "none"},
        {64, 180, 0.9f, 1000, 0.5f, 1, "largest"},
        {2, 10, 0.1f, 200, 32, 0.5f, "smooth"},
        {0.5f, 3, 0.02f, 8, 1.5f, 0.3f, "thin only"},
        {3, 15, 0.15f, 34, 4, 0.8f, "style shift-like"},
    };
    const int timed = 2, total = (int)(sizeof settings / sizeof settings[0]);
    draw *draws = malloc(sizeof(draw) * count);
    float *scratch = malloc(sizeof(float) * 4 * (size_t)(before_scratch_count(side, 64) + zoo_augment_scratch_count(side, 64)));
    printf("%ld images, background %.6f; CPU µs per image (one thread), before / after\n", (long)count, background);
    for (int round = 0; round < rounds; round++) {
        for (int t = 0; t < timed; t++) {
            grid g = make_grid(side, settings[t].sigma, settings[t].alpha);
            float *coarse = malloc(sizeof(float) * 2 * g.nodes * g.nodes * count);
            for (ptrdiff_t i = 0; i < count; i++)
                draws[i] = make_draw(settings[t], &g, side, (uint64_t)i * 0x9E3779B9u + 7, coarse + 2 * g.nodes * g.nodes * i);
            double a = cpu_seconds();
            run(before_augment_image, images, reference, count, side, background, settings[t], &g, draws, coarse, scratch);
            double b = cpu_seconds();
            run(zoo_augment_image, images, outputs, count, side, background, settings[t], &g, draws, coarse, scratch);
            double c = cpu_seconds();
            printf("round %d  %-10s  before %.3f  after %.3f  (%.2fx)\n", round + 1, settings[t].name,
                   1e6 * (b - a) / (double)count, 1e6 * (c - b) / (double)count, (b - a) / (c - b));
            free(coarse); free(g.corner); free(g.weights);
        }
    }
    const float backgrounds[] = {background, 0.0f, -0.0f, 0.7f};
    long mismatches = 0;
    for (int t = 0; t < total; t++) {
        grid g = make_grid(side, settings[t].sigma, settings[t].alpha);
        float *coarse = malloc(sizeof(float) * 2 * g.nodes * g.nodes * count);
        for (ptrdiff_t i = 0; i < count; i++)
            draws[i] = make_draw(settings[t], &g, side, (uint64_t)i * 0x51ED27u + 3, coarse + 2 * g.nodes * g.nodes * i);
        for (int k = 0; k < 4; k++) {
            float *shifted = images;
            float value = backgrounds[k];
            if (k > 0) {  /* the same ink on another blank value: pixels equal to the background become `value` */
                shifted = malloc(sizeof(float) * count * pixels);
                for (ptrdiff_t i = 0; i < count * pixels; i++) shifted[i] = bytes[i] ? images[i] : value;
            }
            run(before_augment_image, shifted, reference, count, side, value, settings[t], &g, draws, coarse, scratch);
            run(zoo_augment_image, shifted, outputs, count, side, value, settings[t], &g, draws, coarse, scratch);
            long differ = 0;
            for (ptrdiff_t i = 0; i < count * pixels; i++) differ += memcmp(outputs + i, reference + i, 4) != 0;
            if (differ) printf("MISMATCH %s background %g: %ld pixels differ\n", settings[t].name, value, differ);
            mismatches += differ;
            if (k > 0) free(shifted);
        }
        free(coarse); free(g.corner); free(g.weights);
    }
    printf("%d settings x 4 backgrounds x %ld images: %s\n", total, (long)count,
           mismatches ? "outputs DIFFER" : "the same bytes");
    return mismatches != 0;
}
