import ZooTensor

/// Labelled samples in memory: images (IDX files, a folder of PNGs) or the rows of a table.
///
/// Images come in the two forms the zoo's models want: `inputs` `[N, pixelsPerImage]` Float scaled to 0...1 (for
/// the networks and linear models) and `pixels` the same values as the original bytes 0...255 (for the decision
/// tree's exact thresholds). A table's rows are Float features with no bytes behind them: `pixels` is empty.
public struct Dataset: Sendable {
    /// Short name, e.g. "mnist/train".
    public let name: String
    /// `[N, pixelsPerImage]`, each pixel divided by 255.
    public let inputs: Tensor
    /// `N * pixelsPerImage` bytes, row-major: sample `i` starts at `i * pixelsPerImage`. Empty for a table.
    public let pixels: [UInt8]
    /// Class index of each sample, in `0..<classNames.count`.
    public let labels: [Int]
    /// Shape of one sample: `[height, width]` for grey images (`[28, 28]`), `[height, width, 3]` for colour
    /// ones (channels last), `[features]` for a table.
    public let imageShape: [Int]
    /// A table's feature column names, in `inputs` column order; empty for images.
    public let featureNames: [String]
    /// Human-readable name of each class ("0"..."9" for digits, "T-shirt/top"... for Fashion-MNIST).
    public let classNames: [String]
    /// The image file the samples were read from (the `name` for data made in memory), for error messages.
    public let imagesFile: String

    /// Number of samples.
    public var count: Int { labels.count }
    /// Values per sample (784 for 28x28).
    public var pixelsPerImage: Int { imageShape.reduce(1, *) }
    /// Number of classes.
    public var classCount: Int { classNames.count }

    /// A dataset from raw bytes. `pixels.count` must be `labels.count * imageShape.reduce(1, *)` (`load` checks
    /// this for files); `imagesFile` names the source in errors (default: `name`).
    public init(name: String, pixels: [UInt8], labels: [Int], imageShape: [Int], classNames: [String],
                imagesFile: String? = nil) {
        let size = imageShape.reduce(1, *)
        precondition(pixels.count == labels.count * size,
                     "Dataset: \(pixels.count) pixels for \(labels.count) images of shape \(imageShape)")
        self.name = name
        self.pixels = pixels
        self.labels = labels
        self.imageShape = imageShape
        self.classNames = classNames
        self.imagesFile = imagesFile ?? name
        featureNames = []
        inputs = Tensor(shape: [labels.count, size]) { out in
            for i in 0..<pixels.count { out[i] = Float(pixels[i]) * (1 / 255) }
        }
    }

    /// A table's rows: `features` `[N, featureNames.count]` with no bytes behind them (`pixels` stays empty).
    public init(name: String, features: Tensor, labels: [Int], featureNames: [String], classNames: [String],
                imagesFile: String? = nil) {
        precondition(features.rank == 2 && features.shape[0] == labels.count
                     && features.shape[1] == featureNames.count,
                     "Dataset: features \(features.shape) for \(labels.count) rows of \(featureNames.count) columns")
        self.name = name
        inputs = features
        pixels = []
        self.labels = labels
        imageShape = [featureNames.count]
        self.featureNames = featureNames
        self.classNames = classNames
        self.imagesFile = imagesFile ?? name
    }

    /// Whether the samples are the rows of a table (no pixels), not images.
    public var isTable: Bool { !featureNames.isEmpty }

    /// `(height, width, channels)` of one image, or nil for a table.
    public var imageDimensions: (height: Int, width: Int, channels: Int)? {
        switch imageShape.count {
        case 2 where !isTable: (imageShape[0], imageShape[1], 1)
        case 3: (imageShape[0], imageShape[1], imageShape[2])
        default: nil
        }
    }

    /// The images as `[N, height, width, channels]` (what a family that reads images fits on), or `inputs` as
    /// they are for a table.
    public var images: Tensor {
        guard let (height, width, channels) = imageDimensions else { return inputs }
        return inputs.reshaped([count, height, width, channels])
    }

    /// The same samples under another name.
    public func renamed(_ name: String) -> Dataset {
        isTable ? Dataset(name: name, features: inputs, labels: labels, featureNames: featureNames,
                          classNames: classNames, imagesFile: imagesFile)
            : Dataset(name: name, pixels: pixels, labels: labels, imageShape: imageShape, classNames: classNames,
                      imagesFile: imagesFile)
    }

    /// A table with the same rows and `features` `[N, featureNames.count]` instead of its own (after scaling).
    public func replacingFeatures(_ features: Tensor) -> Dataset {
        Dataset(name: name, features: features, labels: labels, featureNames: featureNames, classNames: classNames,
                imagesFile: imagesFile)
    }

    /// Reads an IDX image file and its IDX label file (gzip'd or raw) and checks that they agree.
    public static func load(name: String, images imagesPath: String, labels labelsPath: String,
                            classNames: [String]) throws -> Dataset {
        let images = try IDX.readImages(imagesPath)
        let rawLabels = try IDX.readLabels(labelsPath)
        guard images.count == rawLabels.count else {
            throw DatasetError.countMismatch(images: imagesPath, imageCount: images.count,
                                             labels: labelsPath, labelCount: rawLabels.count)
        }
        let labels = rawLabels.map(Int.init)
        if let bad = labels.firstIndex(where: { $0 >= classNames.count }) {
            throw DatasetError.labelOutOfRange(file: labelsPath, index: bad, label: labels[bad],
                                               classCount: classNames.count)
        }
        return Dataset(name: name, pixels: images.pixels, labels: labels, imageShape: images.imageShape,
                       classNames: classNames, imagesFile: imagesPath)
    }

    /// Throws `DatasetError.wrongImageShape` naming the image file unless the images are `expected` (e.g.
    /// `[28, 28]`); `expectedBy` says who needs that shape in the message ("the mlp model Zoo/mlp.safetensors").
    public func requireImageShape(_ expected: [Int], expectedBy: String) throws {
        guard imageShape == expected else {
            throw DatasetError.wrongImageShape(file: imagesFile, shape: imageShape, expected: expected,
                                               expectedBy: expectedBy)
        }
    }

    /// Throws `DatasetError.wrongImageShape` naming the image file unless each image has `featureCount` values:
    /// what a model that takes `[N, featureCount]` inputs calls before `forward` (784 for MNIST's models).
    public func requireFeatureCount(_ featureCount: Int, expectedBy: String) throws {
        guard pixelsPerImage == featureCount else {
            throw DatasetError.wrongImageShape(file: imagesFile, shape: imageShape, expected: [featureCount],
                                               expectedBy: expectedBy)
        }
    }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int], name: String? = nil) -> Dataset {
        if isTable {
            return Dataset(name: name ?? "\(self.name)[\(indices.count)]", features: inputs.gatherRows(indices),
                           labels: indices.map { labels[$0] }, featureNames: featureNames, classNames: classNames,
                           imagesFile: imagesFile)
        }
        let size = pixelsPerImage
        var selected = [UInt8]()
        selected.reserveCapacity(indices.count * size)
        for index in indices { selected += pixels[(index * size)..<((index + 1) * size)] }
        return Dataset(name: name ?? "\(self.name)[\(indices.count)]", pixels: selected,
                       labels: indices.map { labels[$0] }, imageShape: imageShape, classNames: classNames,
                       imagesFile: imagesFile)
    }

    /// The first `n` samples.
    public func prefix(_ n: Int) throws -> Dataset {
        guard n > 0 && n <= count else { throw DatasetError.badSubset(requested: n, available: count) }
        return subset(Array(0..<n), name: "\(name)[:\(n)]")
    }

    /// Indices of a seeded stratified sample of `n` samples: each class keeps its share of the whole
    /// (largest-remainder rounding), and the same seed always picks the same samples. Sorted ascending.
    public func stratifiedSampleIndices(_ n: Int, seed: UInt64) throws -> [Int] {
        guard n > 0 && n <= count else { throw DatasetError.badSubset(requested: n, available: count) }
        var byClass = [[Int]](repeating: [], count: classCount)
        for (index, label) in labels.enumerated() { byClass[label].append(index) }
        let exact = byClass.map { Double($0.count) * Double(n) / Double(count) }
        var quota = exact.map { Int($0.rounded(.down)) }
        let remainderOrder = exact.indices.sorted { (exact[$0] - Double(quota[$0]), -$0) > (exact[$1] - Double(quota[$1]), -$1) }
        for c in remainderOrder.prefix(n - quota.reduce(0, +)) { quota[c] += 1 }
        var generator = SeededGenerator(seed: seed)
        var chosen = [Int]()
        for c in 0..<classCount {
            var members = byClass[c]
            members.shuffle(using: &generator)
            chosen += members.prefix(quota[c])
        }
        return chosen.sorted()
    }

    /// A seeded stratified sample of `n` samples (see `stratifiedSampleIndices`).
    public func stratifiedSample(_ n: Int, seed: UInt64) throws -> Dataset {
        subset(try stratifiedSampleIndices(n, seed: seed), name: "\(name)[stratified \(n), seed \(seed)]")
    }

    /// How many samples each class has.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }
}

/// A dataset's official training and test parts.
public struct DatasetSplit: Sendable {
    /// The training part (60,000 images for MNIST).
    public let train: Dataset
    /// The test part (10,000 images for MNIST), never used for fitting.
    public let test: Dataset

    /// The two parts as given; `checked` also requires them to hold images of one shape.
    public init(train: Dataset, test: Dataset) {
        self.train = train
        self.test = test
    }

    /// The two parts, after checking that the test images have the training images' shape (a model fitted on one
    /// cannot be scored on the other): throws `DatasetError.wrongImageShape` naming the test image file.
    public static func checked(train: Dataset, test: Dataset) throws -> DatasetSplit {
        try test.requireImageShape(train.imageShape, expectedBy: "a model trained on \(train.imagesFile)")
        return DatasetSplit(train: train, test: test)
    }
}
