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
import CKernels
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

    /// The largest image side distorted (the kernel indexes the framed image with 32-bit integers).
    public static let maximumSide = 4096

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
    /// on how many `workers` threads share the batch (the same bytes for any count). `side` is at most
    /// `Augmentation.maximumSide` (`DataLoader.augmented` and `Dataset.styleShifted` check it).
    /// `background` is the value of blank paper (0 for raw pixels; the standardised 0 for standardised ones): every
    /// step commutes with an increasing affine map of the values, so standardised images distort the same way.
    public func apply(to images: Tensor, side: Int, background: Float = 0, seeds: [UInt64], workers: Int = 1) -> Tensor {
        precondition(images.count == seeds.count * side * side && side <= Self.maximumSide,
                     "Augmentation.apply: \(seeds.count) seeds for images of shape \(images.shape) (side \(side))")
        return distorted(rows: nil, of: images, side: side, background: background, seeds: seeds, workers: workers)
    }

    /// Distorted copies of the rows `rows` of `images` (all rows when nil), gathered and distorted in one pass:
    /// output row `i` is input row `rows[i]` drawn from `seeds[i]`. The caller has checked the shapes; `grid` is
    /// `ElasticGrid(side:sigma:alpha:)` of these limits when the caller keeps one (a loader builds it once).
    /// With `split`, the samples are shared out in ranges by it instead of over `workers` threads.
    func distorted(rows: [Int]?, of images: Tensor, side: Int, background: Float, seeds: [UInt64],
                   workers: Int, grid: ElasticGrid? = nil, split: RangeSplitter? = nil) -> Tensor {
        let pixels = side * side
        var shape = images.shape
        if !shape.isEmpty { shape[0] = seeds.count }
        let grid = grid ?? ElasticGrid(side: side, sigma: elasticSigma, alpha: elasticAlpha)
        return Tensor(shape: shape) { output in
            guard !seeds.isEmpty, pixels > 0 else { return }
            images.withUnsafeBufferPointer { input in
                let buffers = SharedBuffers(input: input.baseAddress!, output: output.baseAddress!)
                let distortRange: @Sendable (Range<Int>) -> Void = { samples in
                    let scratch = Scratch(side: side, nodes: elasticAlpha > 0 ? grid.nodes : 0)
                    defer { scratch.deallocate() }
                    for sample in samples {
                        let row = rows?[sample] ?? sample
                        distort(buffers.input + row * pixels, into: buffers.output + sample * pixels, side: side,
                                background: background, grid: grid, scratch: scratch, seed: seeds[sample])
                    }
                }
                let chunks = Swift.min(Swift.max(workers, 1), seeds.count)
                if let split {
                    split(seeds.count, distortRange)
                } else if chunks == 1 {
                    distortRange(0..<seeds.count)
                } else {
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        distortRange((chunk * seeds.count / chunks)..<((chunk + 1) * seeds.count / chunks))
                    }
                }
            }
        }
    }

    /// One image: the random draws here, in the order the model cards' seeds were drawn with; the sampling through
    /// the composed affine-plus-elastic map and the stroke change in C (`zoo_augment_image`, the same arithmetic
    /// as the Swift reference the tests keep, in the same order).
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
        // The grid is square: a column's cell corner and a row's are the same table.
        grid.corner.withUnsafeBufferPointer { corner in
            grid.weights.withUnsafeBufferPointer { weights in
                zoo_augment_image(
                    input, output, side, background, centre, shiftX, shiftY, cosine, sine,
                    elastic ? corner.baseAddress : nil, elastic ? corner.baseAddress : nil, weights.baseAddress,
                    elastic ? grid.nodes : 0, coarseX, coarseY, thickness, scratch.kernel)
            }
        }
    }
}

/// Runs `body` over `0..<count` in contiguous ranges that together cover it once, on as many threads at a time as
/// it likes (a training step's helper threads, say); returns when every range is done. `body` writes only its
/// range's samples, and what it computes does not depend on the ranges or the thread that runs them.
public typealias RangeSplitter = @Sendable (_ count: Int, _ body: @Sendable (Range<Int>) -> Void) -> Void

/// The elastic field's coarse grid for one image size, computed once per loader (or batch): for every column and
/// row the grid node at the left or top of its cell, and for every pixel the four bilinear weights of its cell's
/// corners (a lookup table of exactly the values the interpolation would compute per image), and the width of the
/// uniform node values.
struct ElasticGrid: Sendable {
    /// Grid nodes along each axis, one per σ pixels.
    let nodes: Int
    /// Uniform node values in `width · [-0.5, 0.5)` have Simard's smoothed field's root-mean-square displacement.
    let width: Float
    /// Per column, the grid column of its cell's left nodes, which is also, per row, the grid row of its cell's
    /// top nodes (the grid is square).
    let corner: [Int32]
    /// Per pixel, the weights of the top-left, top-right, bottom-left and bottom-right nodes, as four planes of
    /// side² values each.
    let weights: [Float]

    init(side: Int, sigma cell: Float, alpha: Float) {
        let nodes = Int((Float(Swift.max(side - 1, 1)) / cell).rounded(.up)) + 1
        self.nodes = nodes
        // Uniform in [-√3, √3]·rms has that r.m.s. and costs no logarithm.
        let rms = alpha * (1 / Float(3).squareRoot()) / (2 * Float.pi.squareRoot() * cell)
        width = 2 * Float(3).squareRoot() * rms
        // Cell corner and fraction along one axis, the same along x and y.
        let corner = (0..<side).map { i in Swift.min(Int(Float(i) / cell), nodes - 2) }
        let fraction = (0..<side).map { i in Float(i) / cell - Float(corner[i]) }
        let pixels = side * side
        var weights = [Float](repeating: 0, count: 4 * pixels)
        for y in 0..<side {
            let fy = fraction[y]
            for x in 0..<side {
                let (fx, p) = (fraction[x], y * side + x)
                (weights[p], weights[pixels + p]) = ((1 - fx) * (1 - fy), fx * (1 - fy))
                (weights[2 * pixels + p], weights[3 * pixels + p]) = ((1 - fx) * fy, fx * fy)
            }
        }
        self.corner = corner.map { Int32($0) }
        self.weights = weights
    }
}

/// One worker's buffers, allocated once per batch (not per image): the coarse field's node values and the C
/// kernel's scratch.
private struct Scratch {
    let coarseX: UnsafeMutablePointer<Float>, coarseY: UnsafeMutablePointer<Float>
    let kernel: UnsafeMutablePointer<Float>

    init(side: Int, nodes: Int) {
        let block = UnsafeMutablePointer<Float>.allocate(capacity: 2 * nodes * nodes
                                                              + zoo_augment_scratch_count(side, nodes))
        (coarseX, coarseY, kernel) = (block, block + nodes * nodes, block + 2 * nodes * nodes)
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
    /// The images are `side` pixels a side, more than `Augmentation.maximumSide`.
    case imagesTooLarge(side: Int)

    public var description: String {
        switch self {
        case let .outOfRange(name, value, range):
            return "\(name) \(value) is outside \(range.lowerBound)...\(range.upperBound)"
        case let .notSquareImages(shape):
            return "augmentation distorts square one-channel images, but the samples have shape \(shape)"
        case let .imagesTooLarge(side):
            return "augmentation distorts images up to \(Augmentation.maximumSide) pixels a side, not \(side)"
        }
    }
}
