import ZooCore
import ZooData
import ZooTensor

/// How often each pixel carries ink in a set of training images: a model file does not hold it, so explanations
/// read it from the training set. A weight on a pixel that (almost) no training digit inked was never tested
/// against data: it says nothing about what the model learned, and explanations draw it grey.
public struct PixelInk: Sendable, Equatable {
    /// Per pixel (feature), the fraction of the images with any ink there (value > 0), in 0...1.
    public let frequency: [Double]
    /// How many images were counted.
    public let imageCount: Int

    /// Pixels inked in fewer than this fraction of the images count as unused (0.1%: 60 of MNIST's 60,000).
    public static let rarity = 0.001

    /// Counts `inputs` `[N, pixels]` (values > 0 are ink).
    public init(inputs: Tensor) {
        let (rows, columns) = inputs.rank == 2 ? (inputs.rows, inputs.columns) : (0, 0)
        var counts = [Int](repeating: 0, count: columns)
        inputs.withUnsafeBufferPointer { values in
            for row in 0..<rows {
                for column in 0..<columns where values[row * columns + column] > 0 { counts[column] += 1 }
            }
        }
        frequency = counts.map { Double($0) / Double(max(rows, 1)) }
        imageCount = rows
    }

    /// The images of `dataset` (its training part, for an explanation).
    public init(_ dataset: Dataset) {
        self.init(inputs: dataset.inputs)
    }

    /// One flag per pixel, true where at least `rarity` of the images (and at least one) have ink; nil when the
    /// counts are of another number of pixels than `count` (another dataset than the model's).
    public func usedPixels(count: Int) -> [Bool]? {
        guard frequency.count == count, imageCount > 0 else { return nil }
        let least = max(1, Self.rarity * Double(imageCount))
        return frequency.map { $0 * Double(imageCount) >= least - 1e-9 }
    }

    /// The sentence a caption adds: how many of `pixels` pixels are grey and why.
    public func caption(pixels: Int) -> String {
        let grey = usedPixels(count: pixels)?.filter { !$0 }.count ?? 0
        return "Grey pixels (\(grey) of \(pixels)) are inked in fewer than "
            + "\(Format.fixed(100 * Self.rarity, 1))% of the \(Format.count(imageCount)) training images: "
            + "their weights were never tested against data and mean nothing, so they are left out of the colour "
            + "scale too."
    }
}

/// What explanations may read besides the model: the training set's pixel ink (to grey out unused pixels) and
/// real test images (for saliency maps). Both optional: a model file alone explains without them.
public struct ExplanationEvidence: Sendable {
    /// Ink frequency of the training images, or nil.
    public var ink: PixelInk?
    /// Test images with labels whose saliency maps the networks show, or nil.
    public var examples: Dataset?
    /// Test images per class shown with saliency maps.
    public var examplesPerClass: Int

    public init(ink: PixelInk? = nil, examples: Dataset? = nil, examplesPerClass: Int = 2) {
        self.ink = ink
        self.examples = examples
        self.examplesPerClass = examplesPerClass
    }

    /// Ink from `split.train`, examples from `split.test`.
    public init(_ split: DatasetSplit, examplesPerClass: Int = 2) {
        self.init(ink: PixelInk(split.train), examples: split.test, examplesPerClass: examplesPerClass)
    }
}
