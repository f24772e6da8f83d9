import Foundation
import ZooData
import ZooTensor

/// Where a command's samples come from: a registered dataset, a CSV table, or a folder of images.
public enum DataSource: Sendable, Equatable {
    /// A dataset of the registry ("mnist"), found as `DatasetLocator` searches (`dataDirectory` first).
    case registered(name: String, dataDirectory: String?)
    /// A CSV table of numeric features and a class column.
    case table(path: String, options: TableOptions)
    /// A folder with one sub-folder of PNG files per class.
    case images(path: String, options: ImageFolderOptions)
}

/// Which samples a table or image folder is tested on. A registered dataset always uses its own test part.
public enum TestPart: Sendable, Equatable {
    /// A separate file (for a table) or folder (for images), read like the training data.
    case separate(String)
    /// A seeded stratified share of the data (0.2: a fifth of every class).
    case fraction(Double)
    /// All of the data (to evaluate a saved model on a whole file); the training part is the same samples.
    case everything
}

/// Data ready for the families: the training and test parts (a table's columns standardised with the
/// training part's statistics), what to record in a model file, and a line for the report.
public struct PreparedData: Sendable {
    /// Short name for records and reports: the registry name ("mnist"), or the file or folder name ("iris.csv").
    public let name: String
    /// The training and test parts.
    public let split: DatasetSplit
    /// What a model file records about the data; nil for a registered dataset (the registry knows it).
    public let description: DataDescription?

    /// Whether the samples are images (a registered dataset or an image folder), which every family can learn.
    public var isImages: Bool { !split.train.isTable }

    /// Reads `source` and splits it as `test` says, the split seeded by `seed`. With `recorded` (a saved model's
    /// description) a table keeps the model's columns, classes and standardisation, and images the model's shape
    /// and classes, so the samples are prepared as the model was trained.
    public static func load(_ source: DataSource, test: TestPart = .fraction(0.2), seed: UInt64 = 0,
                            recorded: DataDescription? = nil) throws -> PreparedData {
        switch source {
        case let .registered(name, dataDirectory):
            return PreparedData(name: name, split: try DatasetRegistry.load(name, dataDirectory: dataDirectory),
                                description: nil)
        case let .table(path, options):
            var options = options
            if let recorded, recorded.kind == .table {
                options.features = recorded.featureNames
                options.classNames = recorded.classNames
            }
            let whole = try TableDataset.read(path, options: options)
            let split = try splitting(whole, test: test, seed: seed) { testPath in
                var testOptions = options
                testOptions.features = whole.featureNames
                testOptions.classNames = whole.classNames
                return try TableDataset.read(testPath, options: testOptions)
            }
            let scaling = recorded?.scaling ?? FeatureScaling(fittedTo: split.train.inputs)
            let description = DataDescription(kind: .table, sampleShape: whole.imageShape,
                                              classNames: whole.classNames, featureNames: whole.featureNames,
                                              target: options.target, scaling: scaling)
            return PreparedData(name: whole.name,
                                split: DatasetSplit(train: scaling.apply(to: split.train),
                                                    test: scaling.apply(to: split.test)),
                                description: description)
        case let .images(path, options):
            var options = options
            if let recorded, recorded.kind == .images {
                options.size = Array(recorded.sampleShape.prefix(2))
                options.channels = recorded.sampleShape.count == 3 ? recorded.sampleShape[2] : 1
                options.classNames = recorded.classNames
            }
            let whole = try ImageFolder.read(path, options: options)
            let split = try splitting(whole, test: test, seed: seed) { testPath in
                var testOptions = options
                testOptions.size = Array(whole.imageShape.prefix(2))
                testOptions.channels = whole.imageDimensions?.channels ?? 1
                testOptions.classNames = whole.classNames
                return try ImageFolder.read(testPath, options: testOptions)
            }
            let description = DataDescription(kind: .images, sampleShape: whole.imageShape,
                                              classNames: whole.classNames)
            return PreparedData(name: whole.name, split: split, description: description)
        }
    }

    private static func splitting(_ whole: Dataset, test: TestPart, seed: UInt64,
                                  readSeparate: (String) throws -> Dataset) throws -> DatasetSplit {
        switch test {
        case let .separate(path):
            return DatasetSplit(train: whole.renamed(whole.name + "/train"), test: try readSeparate(path))
        case let .fraction(fraction):
            return try whole.stratifiedSplit(testFraction: fraction, seed: seed)
        case .everything:
            return DatasetSplit(train: whole, test: whole)
        }
    }

    /// The dataset, its shape and class balance, for results.json and the report.
    public var profile: DatasetProfile { DatasetProfile(name: name, split: split) }

    /// `profile` as one line, for the head of a report:
    /// `iris.csv: a table of 4 features (sepal_length, ...), 3 classes; train 120 (setosa 40, ...), test 30 (...)`.
    public var summary: String { profile.line }
}

/// What a comparison's data was: its name, the kind and shape of a sample, its classes and how many samples of
/// each the training and test parts hold. Written as `"data"` in results.json (Benchmarks/compare/SCHEMA.md)
/// and shown at the head of index.html.
public struct DatasetProfile: Codable, Equatable, Sendable {
    /// How many samples a part holds, in all and per class (in `classNames` order).
    public struct Part: Codable, Equatable, Sendable {
        public var count: Int
        public var classCounts: [Int]

        public init(count: Int, classCounts: [Int]) {
            self.count = count
            self.classCounts = classCounts
        }

        enum CodingKeys: String, CodingKey {
            case count
            case classCounts = "class_counts"
        }
    }

    /// The registry name ("mnist") or the file or folder name ("iris.csv").
    public var name: String
    /// "images" or "table".
    public var kind: String
    /// One sample's shape: `[height, width]` (grey) or `[height, width, channels]` images, `[features]` rows.
    public var sampleShape: [Int]
    /// A table's feature columns, in order; empty for images.
    public var featureNames: [String]
    /// The class names, in class-index order.
    public var classNames: [String]
    /// The training part (every size's samples are drawn from it) and the test part (every record's test set).
    public var train: Part, test: Part

    public init(name: String, kind: String, sampleShape: [Int], featureNames: [String], classNames: [String],
                train: Part, test: Part) {
        self.name = name
        self.kind = kind
        self.sampleShape = sampleShape
        self.featureNames = featureNames
        self.classNames = classNames
        self.train = train
        self.test = test
    }

    /// The profile of `split`, named `name`.
    public init(name: String, split: DatasetSplit) {
        let train = split.train
        self.init(name: name, kind: train.isTable ? "table" : "images", sampleShape: train.imageShape,
                  featureNames: train.featureNames, classNames: train.classNames,
                  train: Part(count: train.count, classCounts: train.classCounts),
                  test: Part(count: split.test.count, classCounts: split.test.classCounts))
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, train, test
        case sampleShape = "sample_shape"
        case featureNames = "feature_names"
        case classNames = "class_names"
    }

    /// The sample's kind and shape in words: `images of 28x28`, `a table of 4 features (a, b, c, d)`.
    public var shapeText: String {
        kind == "table"
            ? "a table of \(featureNames.count) features (\(featureNames.joined(separator: ", ")))"
            : "images of " + sampleShape.map(String.init).joined(separator: "x")
    }

    /// `name: shape, K classes; train N (class count, ...), test M (...)`.
    public var line: String {
        func balance(_ part: Part) -> String {
            zip(classNames, part.classCounts).map { "\($0) \($1)" }.joined(separator: ", ")
        }
        return "\(name): \(shapeText), \(classNames.count) classes; train \(train.count) (\(balance(train))), "
            + "test \(test.count) (\(balance(test)))"
    }
}

extension PreparedData {
    /// Names of the files `writeForPeers` writes into a results folder.
    public static let peerFileNames = (train: "prepared-train.csv", test: "prepared-test.csv")

    /// Writes both parts as the families saw them into `folder`, so scikit-learn fits the same values
    /// (Benchmarks/peers/peers.py reads them instead of a registered dataset): a first line `# table` or
    /// `# images` and the class names, then one row per sample of its values (a table's standardised features, an
    /// image's bytes 0...255) and its class index last.
    public func writeForPeers(to folder: URL) throws {
        for (part, fileName) in [(split.train, Self.peerFileNames.train), (split.test, Self.peerFileNames.test)] {
            var text = "# \(part.isTable ? "table" : "images") " + part.classNames.joined(separator: "\t") + "\n"
            let width = part.pixelsPerImage
            part.inputs.withUnsafeBufferPointer { values in
                for row in 0..<part.count {
                    let fields = part.isTable ? (0..<width).map { "\(values[row * width + $0])" }
                        : (0..<width).map { "\(part.pixels[row * width + $0])" }
                    text += fields.joined(separator: ",") + ",\(part.labels[row])\n"
                }
            }
            try writeAtomically(Array(text.utf8), to: folder.appendingPathComponent(fileName).path)
        }
    }
}

extension ModelOptions {
    /// Optimizer steps a gradient-trained family takes at least on a small table or image folder when no epoch
    /// count is given: the families' epoch defaults are set for MNIST's 60,000 samples (469 steps an epoch), and
    /// a table of 150 rows makes one step an epoch, so 20 epochs would leave logistic regression barely trained
    /// (iris: 90% after 1,000 steps, 96.7% after 5,000, as scikit-learn's lbfgs).
    public static let minimumSteps = 5000
    /// Training sets up to this size count as small.
    public static let smallDataLimit = 2000

    /// These options for `kind` on `trainingSize` samples: with as many epochs as make `minimumSteps` steps of
    /// the default batch of 128 when the set is small (`smallDataLimit`) and no epochs are given, for the
    /// gradient-trained families that read tables (the perceptron too: its epochs are cheap). Unchanged otherwise.
    public func forSmallData(_ kind: ModelKind, trainingSize: Int) -> ModelOptions {
        guard training.epochs == nil, !kind.readsImages, kind != .tree, kind != .linear,
              (1...Self.smallDataLimit).contains(trainingSize) else { return self }
        let batchSize = max(1, training.batchSize ?? 128)
        let stepsPerEpoch = (trainingSize + batchSize - 1) / batchSize
        var options = self
        options.training.epochs = max(20, (Self.minimumSteps + stepsPerEpoch - 1) / stepsPerEpoch)
        return options
    }
}
