import Foundation

/// One trained and evaluated model: one family at one training-set size with one seed.
/// The field names (snake_case in JSON) are those of `zoo train --json`, plus the two size measures a comparison
/// adds (`model_bytes`, `peak_memory_bytes`). Schema: Benchmarks/compare/SCHEMA.md.
public struct CompareRecord: Codable, Equatable, Sendable {
    /// Family name as on the command line ("tree", "mlp", ...).
    public var model: String
    /// Dataset name ("mnist", "fashion-mnist", or the folder name for `--data-dir`).
    public var dataset: String
    /// Number of training samples the model was fitted on.
    public var size: Int
    /// Seed of the stratified sample and of the model's own random steps.
    public var seed: UInt64
    /// Fraction of the full test set classified correctly, 0...1.
    public var testAccuracy: Double
    /// Fraction of the training sample classified correctly, 0...1.
    public var trainAccuracy: Double
    /// The model's own loss (`Model.loss`) on the training sample after fitting.
    public var finalLoss: Double
    /// Wall-clock seconds of `fit`.
    public var fitSeconds: Double
    /// Wall-clock seconds to predict the whole test set.
    public var predictSeconds: Double
    /// Learned values (weights and biases, or tree nodes): `Model.parameterCount`.
    public var parameters: Int
    /// Size of the learned values in memory: `parameters` x 4 bytes (Float32).
    public var modelBytes: Int
    /// Peak resident memory of the whole process while this model was fitted and evaluated, in bytes
    /// (includes the loaded dataset; see the schema for how it is measured).
    public var peakMemoryBytes: Int

    public init(model: String, dataset: String, size: Int, seed: UInt64, testAccuracy: Double, trainAccuracy: Double,
                finalLoss: Double, fitSeconds: Double, predictSeconds: Double, parameters: Int, modelBytes: Int,
                peakMemoryBytes: Int) {
        self.model = model
        self.dataset = dataset
        self.size = size
        self.seed = seed
        self.testAccuracy = testAccuracy
        self.trainAccuracy = trainAccuracy
        self.finalLoss = finalLoss
        self.fitSeconds = fitSeconds
        self.predictSeconds = predictSeconds
        self.parameters = parameters
        self.modelBytes = modelBytes
        self.peakMemoryBytes = peakMemoryBytes
    }

    enum CodingKeys: String, CodingKey {
        case model, dataset, size, seed, parameters
        case testAccuracy = "test_accuracy"
        case trainAccuracy = "train_accuracy"
        case finalLoss = "final_loss"
        case fitSeconds = "fit_seconds"
        case predictSeconds = "predict_seconds"
        case modelBytes = "model_bytes"
        case peakMemoryBytes = "peak_memory_bytes"
    }
}

/// The contents of `results.json`: what was run, where, and one record per model x size x seed.
public struct CompareResults: Codable, Equatable, Sendable {
    /// Names this file format and its version; bumped when a field changes meaning.
    public static let currentSchema = "zoo-compare/1"

    /// Always `currentSchema` when written by this version.
    public var schema: String
    /// Who trained the models: "zoo", or a peer ("scikit-learn", "pytorch").
    public var framework: String
    /// Dataset name.
    public var dataset: String
    /// Number of test samples every record was evaluated on.
    public var testSize: Int
    /// The machine and build that produced the records.
    public var machine: MachineInfo
    /// One record per model x size x seed, in run order.
    public var records: [CompareRecord]

    public init(framework: String = "zoo", dataset: String, testSize: Int, machine: MachineInfo,
                records: [CompareRecord]) {
        schema = Self.currentSchema
        self.framework = framework
        self.dataset = dataset
        self.testSize = testSize
        self.machine = machine
        self.records = records
    }

    enum CodingKeys: String, CodingKey {
        case schema, framework, dataset, machine, records
        case testSize = "test_size"
    }

    /// Pretty-printed JSON with sorted keys, so two runs diff cleanly.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads `results.json` contents; throws `DecodingError` naming the missing or mistyped field.
    public static func decoded(from data: Data) throws -> CompareResults {
        try JSONDecoder().decode(CompareResults.self, from: data)
    }
}
