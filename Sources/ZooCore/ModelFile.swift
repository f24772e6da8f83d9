import Foundation
import ZooData
import ZooTensor

/// A fitted model's state as named tensors plus its hyperparameters: what a family writes to a model file and
/// rebuilds itself from. `file` names the source in errors ("" for a state that was never on disk).
public struct ModelState: Sendable {
    /// Hyperparameters as the text of a JSON object, e.g. `{"hiddenSizes":[256],"learningRate":0.1}`.
    public var hyperparameters: String
    /// Fitted arrays by name: weights and biases, or a tree's node arrays.
    public var tensors: [String: StoredTensor]
    /// Where the state was read from, for error messages.
    public var file: String

    public init(hyperparameters: String, tensors: [String: StoredTensor], file: String = "") {
        self.hyperparameters = hyperparameters
        self.tensors = tensors
        self.file = file
    }

    /// A state whose hyperparameters are `hyperparameters` encoded as JSON with sorted keys.
    public init(hyperparameters: some Encodable, tensors: [String: StoredTensor]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.init(hyperparameters: String(decoding: try encoder.encode(hyperparameters), as: UTF8.self),
                  tensors: tensors)
    }

    /// The hyperparameters decoded as `type`; throws `ModelFileError.badMetadata` if they do not fit it.
    public func decodeHyperparameters<H: Decodable>(_ type: H.Type) throws -> H {
        do {
            return try JSONDecoder().decode(type, from: Data(hyperparameters.utf8))
        } catch {
            throw ModelFileError.badMetadata(file: file, key: ModelFile.Key.hyperparameters,
                                             reason: "does not describe this family's hyperparameters (\(error))")
        }
    }

    /// The float tensor `name`; throws `ModelFileError.badTensor` if it is missing, holds integers, holds NaN or
    /// infinity, or (when `shape` is given) has another shape. A `-1` in `shape` accepts any size on that axis.
    public func floats(_ name: String, shape: [Int]? = nil) throws -> Tensor {
        guard case let .floats(tensor) = try stored(name, shape: shape) else {
            throw ModelFileError.badTensor(file: file, tensor: name, reason: "holds integers; expected F32")
        }
        guard tensor.isFinite else {
            throw ModelFileError.badTensor(file: file, tensor: name, reason: "holds NaN or infinity")
        }
        return tensor
    }

    /// The number of values in all tensors together: what a loader compares with the size its hyperparameters
    /// imply before it allocates anything.
    public var valueCount: Int {
        tensors.values.reduce(0) { total, tensor in
            switch tensor {
            case let .floats(values): total + values.count
            case let .integers(_, values): total + values.count
            }
        }
    }

    /// Throws `ModelFileError.badTensor` for a tensor whose name is not in `names`: a file of another architecture.
    public func requireOnly(_ names: Set<String>) throws {
        if let extra = tensors.keys.sorted().first(where: { !names.contains($0) }) {
            throw ModelFileError.badTensor(file: file, tensor: extra,
                                           reason: "is not part of this model; the file does not match its family")
        }
    }

    /// Runs `validate` (a configuration's range checks) and throws its error as `ModelFileError.badMetadata` on
    /// the hyperparameters, naming this file: settings out of range in a file are a damaged file.
    public func validateHyperparameters(_ validate: () throws -> Void) throws {
        do {
            try validate()
        } catch {
            throw ModelFileError.badMetadata(file: file, key: ModelFile.Key.hyperparameters,
                                             reason: "are out of range: \(error)")
        }
    }

    /// The integer tensor `name` (I64 or I32 on disk), flattened; same checks as `floats`.
    public func integers(_ name: String, shape: [Int]? = nil) throws -> [Int] {
        guard case let .integers(_, values) = try stored(name, shape: shape) else {
            throw ModelFileError.badTensor(file: file, tensor: name, reason: "holds floats; expected I64 or I32")
        }
        return values
    }

    private func stored(_ name: String, shape: [Int]?) throws -> StoredTensor {
        guard let tensor = tensors[name] else {
            throw ModelFileError.badTensor(file: file, tensor: name, reason: "is missing")
        }
        if let shape {
            let matches = shape.count == tensor.shape.count
                && zip(shape, tensor.shape).allSatisfy { $0 == -1 || $0 == $1 }
            guard matches else {
                throw ModelFileError.badTensor(file: file, tensor: name,
                                               reason: "has shape \(tensor.shape); expected \(shape)")
            }
        }
        return tensor
    }
}

/// A model family that can be written to and rebuilt from a model file. Each family conforms in its own
/// `<Family>+Saving.swift`, so the format knows nothing of the families and the families nothing of the format.
public protocol PersistableModel: Model {
    /// The family name stored in files; equal to every instance's `family`.
    static var familyName: String { get }
    /// The fitted state. Throws `ModelError.notFitted` before `fit`.
    func modelState() throws -> ModelState
    /// A fitted model rebuilt from `state`. Throws `ModelFileError` when a tensor is missing or misshapen.
    init(modelState state: ModelState) throws
}

/// How a saved model was made: what the model card and `zoo eval` report.
public struct ModelProvenance: Equatable, Sendable {
    /// Dataset the model was fitted on, e.g. "mnist".
    public var dataset: String
    /// Number of training samples used.
    public var trainingSize: Int
    /// Seed of every random step in training.
    public var seed: UInt64
    /// Accuracy on the dataset's test part, in 0...1, when it was measured.
    public var testAccuracy: Double?
    /// zoo version that wrote the file.
    public var zooVersion: String
    /// The kind, shape, classes (and for a table, columns and standardisation) of the data, when it was not a
    /// registered dataset.
    public var data: DataDescription?

    /// A model whose making was not recorded: no dataset, size 0, seed 0.
    public static let unspecified = ModelProvenance(dataset: "", trainingSize: 0, seed: 0)

    public init(dataset: String, trainingSize: Int, seed: UInt64, testAccuracy: Double? = nil,
                zooVersion: String = ZooData.zooVersion, data: DataDescription? = nil) {
        self.data = data
        self.dataset = dataset
        self.trainingSize = trainingSize
        self.seed = seed
        self.testAccuracy = testAccuracy
        self.zooVersion = zooVersion
    }
}

/// A zoo model file: a safetensors file whose `__metadata__` records the family, hyperparameters and provenance,
/// and whose tensors are the family's fitted state.
public struct ModelFile: Sendable {
    /// Metadata keys, as Python sees them in `safe_open(...).metadata()`.
    public enum Key {
        public static let format = "format"
        public static let family = "family"
        public static let hyperparameters = "hyperparameters"
        public static let dataset = "dataset"
        public static let trainingSize = "training_size"
        public static let seed = "seed"
        public static let testAccuracy = "test_accuracy"
        public static let zooVersion = "zoo_version"
        public static let data = "data"
        /// `{"smoothing":0,"temperature":1.3}`: the model's `Calibration`; absent in older files (identity).
        public static let calibration = "calibration"
    }
    /// Value of the `format` key: marks files written by zoo ("pt" is PyTorch's own).
    public static let formatName = "zoo"

    /// Family name, e.g. "mlp".
    public var family: String
    /// How the model was made.
    public var provenance: ModelProvenance
    /// The fitted state.
    public var state: ModelState
    /// How to turn the model's outputs into calibrated probabilities (`Calibration.identity` when never fitted).
    public var calibration: Calibration

    public init(family: String, provenance: ModelProvenance, state: ModelState,
                calibration: Calibration = .identity) {
        self.family = family
        self.provenance = provenance
        self.state = state
        self.calibration = calibration
    }

    /// The file for a fitted `model`. Throws `ModelError.notFitted` if it is not fitted.
    public init<M: PersistableModel>(model: M, provenance: ModelProvenance) throws {
        self.init(family: M.familyName, provenance: provenance, state: try model.modelState())
    }

    /// Reads `path` and checks its metadata (any family).
    public static func read(_ path: String) throws -> ModelFile {
        let file = try SafeTensorsFile.read(path)
        let metadata = file.metadata
        func value(_ key: String) throws -> String {
            guard let value = metadata[key] else {
                throw ModelFileError.badMetadata(file: path, key: key, reason: "is missing")
            }
            return value
        }
        guard try value(Key.format) == formatName else {
            throw ModelFileError.badMetadata(file: path, key: Key.format,
                                             reason: "is '\(metadata[Key.format]!)', not '\(formatName)'")
        }
        guard let trainingSize = Int(try value(Key.trainingSize)), trainingSize >= 0 else {
            throw ModelFileError.badMetadata(file: path, key: Key.trainingSize, reason: "is not a count")
        }
        guard let seed = UInt64(try value(Key.seed)) else {
            throw ModelFileError.badMetadata(file: path, key: Key.seed, reason: "is not an unsigned integer")
        }
        var testAccuracy: Double?
        if let text = metadata[Key.testAccuracy] {
            guard let accuracy = Double(text), (0...1).contains(accuracy) else {
                throw ModelFileError.badMetadata(file: path, key: Key.testAccuracy, reason: "is not in 0...1")
            }
            testAccuracy = accuracy
        }
        var data: DataDescription?
        if let text = metadata[Key.data] {
            switch DataDescription.decoded(text) {
            case let .success(description): data = description
            case let .failure(error): throw ModelFileError.badMetadata(file: path, key: Key.data, reason: error.reason)
            }
        }
        let provenance = ModelProvenance(dataset: try value(Key.dataset), trainingSize: trainingSize, seed: seed,
                                         testAccuracy: testAccuracy, zooVersion: try value(Key.zooVersion),
                                         data: data)
        var calibration = Calibration.identity
        if let text = metadata[Key.calibration] {
            guard let decoded = try? JSONDecoder().decode(Calibration.self, from: Data(text.utf8)), decoded.isValid
            else {
                throw ModelFileError.badMetadata(file: path, key: Key.calibration,
                                                 reason: "is not {\"temperature\": T > 0, \"smoothing\": S >= 0}")
            }
            calibration = decoded
        }
        let state = ModelState(hyperparameters: try value(Key.hyperparameters), tensors: file.tensors, file: path)
        return ModelFile(family: try value(Key.family), provenance: provenance, state: state,
                         calibration: calibration)
    }

    /// Writes the file atomically (temporary file, then rename).
    public func write(to path: String) throws {
        var metadata = [
            Key.format: Self.formatName, Key.family: family, Key.hyperparameters: state.hyperparameters,
            Key.dataset: provenance.dataset, Key.trainingSize: String(provenance.trainingSize),
            Key.seed: String(provenance.seed), Key.zooVersion: provenance.zooVersion,
        ]
        if let accuracy = provenance.testAccuracy { metadata[Key.testAccuracy] = String(accuracy) }
        if let data = provenance.data { metadata[Key.data] = try data.encoded() }
        if calibration != .identity {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            metadata[Key.calibration] = String(decoding: try encoder.encode(calibration), as: UTF8.self)
        }
        try SafeTensorsFile(tensors: state.tensors, metadata: metadata).write(to: path)
    }

    /// The model this file holds, as family `M`: `M(modelFile: self)`.
    public func model<M: PersistableModel>(as type: M.Type) throws -> M {
        try M(modelFile: self)
    }
}

extension PersistableModel {
    /// The fitted model in the model file at `url`, e.g. `try MLP(contentsOf: URL(fileURLWithPath:
    /// "Zoo/mlp.safetensors"))`. Throws `ModelFileError` when the file cannot be read, is damaged, holds another
    /// family, or its tensors do not fit its hyperparameters.
    public init(contentsOf url: URL) throws {
        try self.init(modelFile: try ModelFile.read(url.path))
    }

    /// The fitted model `file` holds; throws `ModelFileError.wrongFamily` for a file of another family.
    public init(modelFile file: ModelFile) throws {
        guard file.family == Self.familyName else {
            throw ModelFileError.wrongFamily(file: file.state.file, expected: Self.familyName, found: file.family)
        }
        try self.init(modelState: file.state)
    }

    /// Writes the fitted model to `url` atomically (temporary file, then rename), with `provenance` in its metadata.
    /// Throws `ModelError.notFitted` before `fit`, `ModelFileError.unwritable` when the file cannot be written.
    public func save(to url: URL, provenance: ModelProvenance = .unspecified) throws {
        try ModelFile(model: self, provenance: provenance).write(to: url.path)
    }

    /// A fitted model of this family rebuilt from `state`, as an existential: what a loader that picks the family
    /// at run time calls on `any PersistableModel.Type`.
    public static func rebuilt(from state: ModelState) throws -> any Model {
        try Self(modelState: state)
    }
}
