import Foundation

/// One trained and evaluated model in a comparison: one family at one training-set size with one seed.
///
/// It is `zoo train --json`'s `TrainingRecord` (same fields, same names) plus the two size measures a comparison
/// adds, `model_bytes` and `peak_memory_bytes`, all in one flat JSON object. `record.testAccuracy` and the
/// other training fields read straight through. Schema: Benchmarks/compare/SCHEMA.md.
@dynamicMemberLookup
public struct CompareRecord: Codable, Equatable, Sendable {
    /// What `zoo train` measures: model, dataset, size, seed, accuracies, loss, timings, parameters.
    public var training: TrainingRecord
    /// Size of the learned values in memory: `parameters` x 4 bytes (Float32).
    public var modelBytes: Int
    /// Peak resident memory of the whole process while this model was fitted and evaluated, in bytes
    /// (includes the loaded dataset; see the schema for how it is measured).
    public var peakMemoryBytes: Int

    public init(training: TrainingRecord, modelBytes: Int, peakMemoryBytes: Int) {
        self.training = training
        self.modelBytes = modelBytes
        self.peakMemoryBytes = peakMemoryBytes
    }

    /// A field of the training record: `record.testAccuracy`, `record.model`, ...
    public subscript<Value>(dynamicMember keyPath: KeyPath<TrainingRecord, Value>) -> Value {
        training[keyPath: keyPath]
    }

    enum CodingKeys: String, CodingKey {
        case modelBytes = "model_bytes"
        case peakMemoryBytes = "peak_memory_bytes"
    }

    public init(from decoder: any Decoder) throws {
        training = try TrainingRecord(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        modelBytes = try container.decode(Int.self, forKey: .modelBytes)
        peakMemoryBytes = try container.decode(Int.self, forKey: .peakMemoryBytes)
    }

    public func encode(to encoder: any Encoder) throws {
        try training.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(modelBytes, forKey: .modelBytes)
        try container.encode(peakMemoryBytes, forKey: .peakMemoryBytes)
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
