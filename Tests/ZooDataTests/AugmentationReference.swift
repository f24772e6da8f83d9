// The Swift implementation Augmentation had before its per-image loop moved to C (Sources/CKernels/augment.c),
// kept as the reference the kernel must match bit for bit: the shipped models' cards give commands whose bytes
// depend on it. Scalar, bounds-checked per pixel, one image at a time.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZooData
import ZooTensor

/// `augmentation.apply(to:side:background:seeds:)` as it was computed: sample `i` of `images` from `seeds[i]`.
func referenceDistortion(_ augmentation: Augmentation, of images: [Float], side: Int, background: Float,
                         seeds: [UInt64]) -> [Float] {
    let pixels = side * side
    var output = [Float](repeating: 0, count: images.count)
    let grid = ReferenceGrid(side: side, sigma: augmentation.elasticSigma, alpha: augmentation.elasticAlpha)
    for (sample, seed) in seeds.enumerated() {
        let image = Array(images[(sample * pixels)..<((sample + 1) * pixels)])
        output.replaceSubrange((sample * pixels)..<((sample + 1) * pixels),
                               with: referenceDistort(augmentation, image, side: side, background: background,
                                                      grid: grid, seed: seed))
    }
    return output
}

private func referenceDistort(_ limits: Augmentation, _ input: [Float], side: Int, background: Float,
                              grid: ReferenceGrid, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    func uniform(_ limit: Float) -> Float { limit * (2 * generator.nextUniform() - 1) }
    let angle = uniform(limits.maximumRotation) * .pi / 180
    let scale = 1 + uniform(limits.maximumScale)
    let (shiftX, shiftY) = (uniform(limits.maximumShift), uniform(limits.maximumShift))
    let thickness = uniform(limits.maximumThickness)
    let elastic = limits.elasticAlpha > 0
    var coarseX = [Float](repeating: 0, count: grid.nodes * grid.nodes), coarseY = coarseX
    if elastic {
        for i in 0..<(grid.nodes * grid.nodes) {
            coarseX[i] = grid.width * (generator.nextUniform() - 0.5)
            coarseY[i] = grid.width * (generator.nextUniform() - 0.5)
        }
    }
    let centre = Float(side - 1) / 2
    let (cosine, sine) = (cos(angle) / scale, sin(angle) / scale)
    var sampled = [Float](repeating: 0, count: side * side)
    let nodes = grid.nodes
    for y in 0..<side {
        for x in 0..<side {
            let p = y * side + x
            let dx = Float(x) - centre - shiftX, dy = Float(y) - centre - shiftY
            var sourceX = centre + cosine * dx + sine * dy
            var sourceY = centre - sine * dx + cosine * dy
            if elastic {
                let node = grid.node[p]
                let (wa, wb, wc, wd) = (grid.weights[4 * p], grid.weights[4 * p + 1], grid.weights[4 * p + 2],
                                        grid.weights[4 * p + 3])
                sourceX += wa * coarseX[node] + wb * coarseX[node + 1] + wc * coarseX[node + nodes]
                    + wd * coarseX[node + nodes + 1]
                sourceY += wa * coarseY[node] + wb * coarseY[node + 1] + wc * coarseY[node + nodes]
                    + wd * coarseY[node + nodes + 1]
            }
            sampled[p] = referenceBilinear(input, side: side, x: sourceX, y: sourceY, background: background)
        }
    }
    guard thickness != 0 else { return sampled }
    let (dilate, weight) = (thickness > 0, abs(thickness))
    var output = sampled
    for y in 0..<side {
        for x in 0..<side {
            let i = y * side + x
            var value = sampled[i]
            func take(_ neighbour: Float) { value = dilate ? max(value, neighbour) : min(value, neighbour) }
            if x > 0 { take(sampled[i - 1]) }
            if x < side - 1 { take(sampled[i + 1]) }
            if y > 0 { take(sampled[i - side]) }
            if y < side - 1 { take(sampled[i + side]) }
            output[i] = sampled[i] + weight * (value - sampled[i])
        }
    }
    return output
}

private func referenceBilinear(_ image: [Float], side: Int, x: Float, y: Float, background: Float) -> Float {
    let x0 = Int(floor(x)), y0 = Int(floor(y))
    let fx = x - Float(x0), fy = y - Float(y0)
    func pixel(_ px: Int, _ py: Int) -> Float {
        px >= 0 && px < side && py >= 0 && py < side ? image[py * side + px] : background
    }
    let (p00, p10, p01, p11) = (pixel(x0, y0), pixel(x0 + 1, y0), pixel(x0, y0 + 1), pixel(x0 + 1, y0 + 1))
    let top = p00 + fx * (p10 - p00)
    let bottom = p01 + fx * (p11 - p01)
    return top + fy * (bottom - top)
}

private struct ReferenceGrid {
    let nodes: Int
    let width: Float
    let node: [Int]
    let weights: [Float]

    init(side: Int, sigma cell: Float, alpha: Float) {
        let nodes = Int((Float(Swift.max(side - 1, 1)) / cell).rounded(.up)) + 1
        self.nodes = nodes
        let rms = alpha * (1 / Float(3).squareRoot()) / (2 * Float.pi.squareRoot() * cell)
        width = 2 * Float(3).squareRoot() * rms
        var node = [Int](), weights = [Float]()
        for y in 0..<side {
            let gy = Float(y) / cell
            let y0 = Swift.min(Int(gy), nodes - 2), fy = gy - Float(y0)
            for x in 0..<side {
                let gx = Float(x) / cell
                let x0 = Swift.min(Int(gx), nodes - 2), fx = gx - Float(x0)
                node.append(y0 * nodes + x0)
                weights += [(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy]
            }
        }
        (self.node, self.weights) = (node, weights)
    }
}
