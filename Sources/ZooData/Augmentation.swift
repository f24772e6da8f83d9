// Data augmentation for handwritten digits: each training image is redrawn a little differently every epoch.
// Random affine maps (shift, rotation, scale) and elastic distortion follow Simard, Steinkraus & Platt 2003,
// "Best practices for convolutional neural networks applied to visual document analysis": a displacement field of
// uniform noise in [-1, 1] smoothed by a Gaussian of σ pixels and scaled by α, sampled bilinearly. Stroke thickness
// blends the image toward its grey-scale dilation or erosion (3x3 cross).
// Deviations: the affine map and the elastic field are composed into one sampling map (one interpolation, not two);
// the smooth field is drawn the cheap way, uniform values on a grid of σ-pixel cells interpolated bilinearly, with the
// root-mean-square displacement of Simard's smoothed uniform noise (α · 0.577 / (2√π σ), 1.4 px for α 34, σ 4)
// rather than by blurring a full-resolution noise image (25x cheaper, off the training thread either way).
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZooTensor

/// How much to distort each image: every draw is uniform within these limits, fresh per sample and epoch.
public struct Augmentation: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Largest shift along each axis, in pixels (default 2).
    public var maximumShift: Float
    /// Largest rotation either way, in degrees (default 10).
    public var maximumRotation: Float
    /// Largest relative change of size either way (default 0.1: 90%–110%).
    public var maximumScale: Float
    /// Elastic distortion strength α in pixels (default 34, Simard et al.'s); 0 turns it off.
    public var elasticAlpha: Float
    /// Smoothness σ of the elastic field in pixels (default 4).
    public var elasticSigma: Float
    /// Largest blend toward a dilated (thicker) or eroded (thinner) stroke, 0...1 (default 0.5); 0 turns it off.
    public var maximumThickness: Float

    public init(maximumShift: Float = 2, maximumRotation: Float = 10, maximumScale: Float = 0.1,
                elasticAlpha: Float = 34, elasticSigma: Float = 4, maximumThickness: Float = 0.5) {
        self.maximumShift = maximumShift
        self.maximumRotation = maximumRotation
        self.maximumScale = maximumScale
        self.elasticAlpha = elasticAlpha
        self.elasticSigma = elasticSigma
        self.maximumThickness = maximumThickness
    }

    /// The defaults above: what `--augment` turns on.
    public static let standard = Augmentation()

    public var description: String {
        "shift ±\(maximumShift) px, rotation ±\(maximumRotation)°, scale ±\(Int((maximumScale * 100).rounded()))%, "
            + "elastic α \(elasticAlpha) σ \(elasticSigma), thickness ±\(maximumThickness)"
    }

    /// Each limit with its accepted range, for `validate()`.
    private var limits: [(String, Float, ClosedRange<Float>)] {
        [("augmentation shift", maximumShift, 0...64), ("augmentation rotation", maximumRotation, 0...180),
         ("augmentation scale", maximumScale, 0...0.9), ("elastic alpha", elasticAlpha, 0...1000),
         ("elastic sigma", elasticSigma, 0.5...32), ("augmentation thickness", maximumThickness, 0...1)]
    }

    /// Throws `AugmentationError.outOfRange` naming the first limit that is not finite or outside its range.
    public func validate() throws {
        for (name, value, range) in limits where !(value.isFinite && range.contains(value)) {
            throw AugmentationError.outOfRange(name: name, value: value, range: range)
        }
    }

    /// Distorted copies of `images` `[N, side²]` (rows of square one-channel images; or `[N, side, side, 1]`), same
    /// shape: sample `i` is drawn from `seeds[i]` alone, so a sample's distortion does not depend on its batch, nor
    /// on how many `workers` threads share the batch (the same bytes for any count).
    /// `background` is the value of blank paper (0 for raw pixels; the standardised 0 for standardised ones): every
    /// step commutes with an increasing affine map of the values, so standardised images distort the same way.
    public func apply(to images: Tensor, side: Int, background: Float = 0, seeds: [UInt64], workers: Int = 1) -> Tensor {
        precondition(images.count == seeds.count * side * side,
                     "Augmentation.apply: \(seeds.count) seeds for images of shape \(images.shape) (side \(side))")
        return distorted(rows: nil, of: images, side: side, background: background, seeds: seeds, workers: workers)
    }

    /// Distorted copies of the rows `rows` of `images` (all rows when nil), gathered and distorted in one pass:
    /// output row `i` is input row `rows[i]` drawn from `seeds[i]`. The caller has checked the shapes.
    func distorted(rows: [Int]?, of images: Tensor, side: Int, background: Float, seeds: [UInt64],
                   workers: Int) -> Tensor {
        let pixels = side * side
        var shape = images.shape
        if !shape.isEmpty { shape[0] = seeds.count }
        let grid = ElasticGrid(side: side, sigma: elasticSigma, alpha: elasticAlpha)
        return Tensor(shape: shape) { output in
            guard !seeds.isEmpty, pixels > 0 else { return }
            images.withUnsafeBufferPointer { input in
                let buffers = SharedBuffers(input: input.baseAddress!, output: output.baseAddress!)
                let chunks = Swift.min(Swift.max(workers, 1), seeds.count)
                let distortChunk: @Sendable (Int) -> Void = { chunk in
                    let scratch = Scratch(pixels: pixels, nodes: grid.nodes * grid.nodes)
                    defer { scratch.deallocate() }
                    for sample in (chunk * seeds.count / chunks)..<((chunk + 1) * seeds.count / chunks) {
                        let row = rows?[sample] ?? sample
                        distort(buffers.input + row * pixels, into: buffers.output + sample * pixels, side: side,
                                background: background, grid: grid, scratch: scratch, seed: seeds[sample])
                    }
                }
                if chunks == 1 { distortChunk(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: distortChunk) }
            }
        }
    }

    /// One image: sample through the composed affine-plus-elastic map, then change the stroke thickness.
    private func distort(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, side: Int,
                         background: Float, grid: ElasticGrid, scratch: Scratch, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        func uniform(_ limit: Float) -> Float { limit * (2 * generator.nextUniform() - 1) }
        let angle = uniform(maximumRotation) * .pi / 180
        let scale = 1 + uniform(maximumScale)
        let (shiftX, shiftY) = (uniform(maximumShift), uniform(maximumShift))
        let thickness = uniform(maximumThickness)
        let elastic = elasticAlpha > 0
        let (coarseX, coarseY) = (scratch.coarseX, scratch.coarseY)
        if elastic {
            for i in 0..<(grid.nodes * grid.nodes) {
                coarseX[i] = grid.width * (generator.nextUniform() - 0.5)
                coarseY[i] = grid.width * (generator.nextUniform() - 0.5)
            }
        }

        // Output pixel p reads the input at centre + R(-angle)·(p - centre - shift)/scale + elastic(p).
        let centre = Float(side - 1) / 2
        let (cosine, sine) = (cos(angle) / scale, sin(angle) / scale)
        let sampled = thickness != 0 ? scratch.sampled : output
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
                sampled[p] = Self.bilinear(input, side: side, x: sourceX, y: sourceY, background: background)
            }
        }
        guard thickness != 0 else { return }
        // The grey-scale dilation (maximum) or erosion (minimum) over a 3x3 cross, blended in by |thickness|.
        let (dilate, weight) = (thickness > 0, abs(thickness))
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
    }

    private static func bilinear(_ image: UnsafePointer<Float>, side: Int, x: Float, y: Float,
                                 background: Float) -> Float {
        let x0 = Int(floor(x)), y0 = Int(floor(y))
        let fx = x - Float(x0), fy = y - Float(y0)
        let (p00, p10, p01, p11): (Float, Float, Float, Float)
        if x0 >= 0 && x0 + 1 < side && y0 >= 0 && y0 + 1 < side {
            let base = image + y0 * side + x0
            (p00, p10, p01, p11) = (base[0], base[1], base[side], base[side + 1])
        } else {
            func pixel(_ px: Int, _ py: Int) -> Float {
                px >= 0 && px < side && py >= 0 && py < side ? image[py * side + px] : background
            }
            (p00, p10, p01, p11) = (pixel(x0, y0), pixel(x0 + 1, y0), pixel(x0, y0 + 1), pixel(x0 + 1, y0 + 1))
        }
        let top = p00 + fx * (p10 - p00)
        let bottom = p01 + fx * (p11 - p01)
        return top + fy * (bottom - top)
    }
}

/// The elastic field's coarse grid for one image size, computed once per batch: for every pixel the grid node at
/// the top left of its cell and the four bilinear weights of the cell's corners (a lookup table of exactly the
/// values the interpolation would compute per image), and the width of the uniform node values.
private struct ElasticGrid: Sendable {
    /// Grid nodes along each axis, one per σ pixels.
    let nodes: Int
    /// Uniform node values in `width · [-0.5, 0.5)` have Simard's smoothed field's root-mean-square displacement.
    let width: Float
    /// Per pixel, the index of its cell's top-left node.
    let node: [Int]
    /// Per pixel, the weights of the top-left, top-right, bottom-left and bottom-right nodes.
    let weights: [Float]

    init(side: Int, sigma cell: Float, alpha: Float) {
        let nodes = Int((Float(Swift.max(side - 1, 1)) / cell).rounded(.up)) + 1
        self.nodes = nodes
        // Uniform in [-√3, √3]·rms has that r.m.s. and costs no logarithm.
        let rms = alpha * (1 / Float(3).squareRoot()) / (2 * Float.pi.squareRoot() * cell)
        width = 2 * Float(3).squareRoot() * rms
        var node = [Int](), weights = [Float]()
        node.reserveCapacity(side * side)
        weights.reserveCapacity(4 * side * side)
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

/// One worker's buffers, allocated once per batch (not per image): the coarse field's node values and the
/// sampled image before its stroke changes.
private struct Scratch {
    let coarseX: UnsafeMutablePointer<Float>, coarseY: UnsafeMutablePointer<Float>
    let sampled: UnsafeMutablePointer<Float>

    init(pixels: Int, nodes: Int) {
        let block = UnsafeMutablePointer<Float>.allocate(capacity: 2 * nodes + pixels)
        (coarseX, coarseY, sampled) = (block, block + nodes, block + 2 * nodes)
    }

    func deallocate() { coarseX.deallocate() }
}

/// The batch's input and output, shared by the workers: each writes only its own samples' rows.
private struct SharedBuffers: @unchecked Sendable {
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
}

/// A setting of `Augmentation` that cannot be used.
public enum AugmentationError: Error, Equatable, CustomStringConvertible {
    /// `name` is `value`, not finite or outside `range`.
    case outOfRange(name: String, value: Float, range: ClosedRange<Float>)
    /// The samples are not square one-channel images.
    case notSquareImages(shape: [Int])

    public var description: String {
        switch self {
        case let .outOfRange(name, value, range):
            return "\(name) \(value) is outside \(range.lowerBound)...\(range.upperBound)"
        case let .notSquareImages(shape):
            return "augmentation distorts square one-channel images, but the samples have shape \(shape)"
        }
    }
}
