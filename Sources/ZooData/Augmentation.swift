// Data augmentation for handwritten digits: each training image is redrawn a little differently every epoch.
// Random affine maps (shift, rotation, scale) and elastic distortion follow Simard, Steinkraus & Platt 2003,
// "Best practices for convolutional neural networks applied to visual document analysis": a displacement field of
// uniform noise in [-1, 1] smoothed by a Gaussian of σ pixels and scaled by α, sampled bilinearly. Stroke thickness
// blends the image toward its grey-scale dilation or erosion (3x3 cross).
// Deviations: the affine map and the elastic field are composed into one sampling map (one interpolation, not two);
// the smooth field is drawn the cheap way, uniform values on a grid of σ-pixel cells interpolated bilinearly, with the
// root-mean-square displacement of Simard's smoothed uniform noise (α · 0.577 / (2√π σ), 1.4 px for α 34, σ 4)
// rather than by blurring a full-resolution noise image (25x cheaper, off the training thread either way).
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
    /// shape: sample `i` is drawn from `seeds[i]` alone, so a sample's distortion does not depend on its batch.
    /// `background` is the value of blank paper (0 for raw pixels; the standardised 0 for standardised ones): every
    /// step commutes with an increasing affine map of the values, so standardised images distort the same way.
    public func apply(to images: Tensor, side: Int, background: Float = 0, seeds: [UInt64]) -> Tensor {
        let pixels = side * side
        precondition(images.count == seeds.count * pixels,
                     "Augmentation.apply: \(seeds.count) seeds for images of shape \(images.shape) (side \(side))")
        var output = images
        var work = Workspace(side: side, sigma: elasticSigma)
        output.withUnsafeMutableBufferPointer { out in
            images.withUnsafeBufferPointer { source in
                for (sample, seed) in seeds.enumerated() {
                    var generator = SeededGenerator(seed: seed)
                    let input = UnsafeBufferPointer(rebasing: source[(sample * pixels)..<((sample + 1) * pixels)])
                    let target = UnsafeMutableBufferPointer(rebasing: out[(sample * pixels)..<((sample + 1) * pixels)])
                    distort(input, into: target, side: side, background: background, workspace: &work,
                            using: &generator)
                }
            }
        }
        return output
    }

    /// One image: sample through the composed affine-plus-elastic map, then change the stroke thickness.
    private func distort(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
                         side: Int, background: Float, workspace work: inout Workspace,
                         using generator: inout SeededGenerator) {
        func uniform(_ limit: Float) -> Float { limit * (2 * generator.nextUniform() - 1) }
        let angle = uniform(maximumRotation) * .pi / 180
        let scale = 1 + uniform(maximumScale)
        let (shiftX, shiftY) = (uniform(maximumShift), uniform(maximumShift))
        let thickness = uniform(maximumThickness)
        if elasticAlpha > 0 { work.drawElasticField(alpha: elasticAlpha, using: &generator) }

        // Output pixel p reads the input at centre + R(-angle)·(p - centre - shift)/scale + elastic(p).
        let centre = Float(side - 1) / 2
        let (cosine, sine) = (cos(angle) / scale, sin(angle) / scale)
        for y in 0..<side {
            for x in 0..<side {
                let dx = Float(x) - centre - shiftX, dy = Float(y) - centre - shiftY
                var sourceX = centre + cosine * dx + sine * dy
                var sourceY = centre - sine * dx + cosine * dy
                if elasticAlpha > 0 {
                    sourceX += work.fieldX[y * side + x]
                    sourceY += work.fieldY[y * side + x]
                }
                work.sampled[y * side + x] = bilinear(input, side: side, x: sourceX, y: sourceY, background: background)
            }
        }
        if thickness != 0 {
            work.morphology(dilate: thickness > 0, side: side)
            let weight = abs(thickness)
            for i in 0..<output.count { output[i] = work.sampled[i] + weight * (work.stroke[i] - work.sampled[i]) }
        } else {
            for i in 0..<output.count { output[i] = work.sampled[i] }
        }
    }

    private func bilinear(_ image: UnsafeBufferPointer<Float>, side: Int, x: Float, y: Float,
                          background: Float) -> Float {
        let x0 = Int(floor(x)), y0 = Int(floor(y))
        let fx = x - Float(x0), fy = y - Float(y0)
        func pixel(_ px: Int, _ py: Int) -> Float {
            px >= 0 && px < side && py >= 0 && py < side ? image[py * side + px] : background
        }
        let top = pixel(x0, y0) + fx * (pixel(x0 + 1, y0) - pixel(x0, y0))
        let bottom = pixel(x0, y0 + 1) + fx * (pixel(x0 + 1, y0 + 1) - pixel(x0, y0 + 1))
        return top + fy * (bottom - top)
    }
}

/// Buffers reused across the images of one call, so distorting a batch allocates once.
private struct Workspace {
    let side: Int
    /// Grid nodes along each axis of the coarse elastic field, and pixels per cell.
    let nodes: Int, cell: Float
    var coarseX: [Float], coarseY: [Float], fieldX: [Float], fieldY: [Float], sampled: [Float], stroke: [Float]

    init(side: Int, sigma: Float) {
        self.side = side
        cell = sigma
        nodes = Int((Float(max(side - 1, 1)) / sigma).rounded(.up)) + 1
        let pixels = side * side
        (coarseX, coarseY) = ([Float](repeating: 0, count: nodes * nodes), [Float](repeating: 0, count: nodes * nodes))
        (fieldX, fieldY, sampled, stroke) = ([Float](repeating: 0, count: pixels), [Float](repeating: 0, count: pixels),
                                             [Float](repeating: 0, count: pixels), [Float](repeating: 0, count: pixels))
    }

    /// The two displacement components: random values of Simard's r.m.s. on the coarse grid, interpolated.
    mutating func drawElasticField(alpha: Float, using generator: inout SeededGenerator) {
        // Uniform in [-√3, √3]·rms has that r.m.s. and costs no logarithm.
        let rms = alpha * (1 / Float(3).squareRoot()) / (2 * Float.pi.squareRoot() * cell)
        let width = 2 * Float(3).squareRoot() * rms
        for i in 0..<coarseX.count {
            coarseX[i] = width * (generator.nextUniform() - 0.5)
            coarseY[i] = width * (generator.nextUniform() - 0.5)
        }
        for y in 0..<side {
            let gy = Float(y) / cell
            let y0 = min(Int(gy), nodes - 2), fy = gy - Float(y0)
            for x in 0..<side {
                let gx = Float(x) / cell
                let x0 = min(Int(gx), nodes - 2), fx = gx - Float(x0)
                let (a, b, c, d) = (y0 * nodes + x0, y0 * nodes + x0 + 1, (y0 + 1) * nodes + x0, (y0 + 1) * nodes + x0 + 1)
                let (wa, wb, wc, wd) = ((1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy)
                fieldX[y * side + x] = wa * coarseX[a] + wb * coarseX[b] + wc * coarseX[c] + wd * coarseX[d]
                fieldY[y * side + x] = wa * coarseY[a] + wb * coarseY[b] + wc * coarseY[c] + wd * coarseY[d]
            }
        }
    }

    /// `stroke` = the grey-scale dilation (maximum) or erosion (minimum) of `sampled` over a 3x3 cross.
    mutating func morphology(dilate: Bool, side: Int) {
        for y in 0..<side {
            for x in 0..<side {
                let i = y * side + x
                var value = sampled[i]
                func take(_ neighbour: Float) { value = dilate ? max(value, neighbour) : min(value, neighbour) }
                if x > 0 { take(sampled[i - 1]) }
                if x < side - 1 { take(sampled[i + 1]) }
                if y > 0 { take(sampled[i - side]) }
                if y < side - 1 { take(sampled[i + side]) }
                stroke[i] = value
            }
        }
    }
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
