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
    /// Set when this record is not a fit of its own: the family's fit does not depend on the seed and every seed
    /// trained on the same sample (the whole training set), so the model fitted with this seed was measured once
    /// and its record is reused. Nil for a record of its own fit.
    public var reusedFromSeed: UInt64?

    public init(training: TrainingRecord, modelBytes: Int, peakMemoryBytes: Int, reusedFromSeed: UInt64? = nil) {
        self.training = training
        self.modelBytes = modelBytes
        self.peakMemoryBytes = peakMemoryBytes
        self.reusedFromSeed = reusedFromSeed
    }

    /// This record for `seed`, marked as reusing this one's fit.
    func reused(for seed: UInt64) -> CompareRecord {
        var copy = self
        copy.training.seed = seed
        copy.reusedFromSeed = training.seed
        return copy
    }

    /// The record without what varies between two runs of the same fit (fit and predict seconds, peak memory):
    /// two runs of the same configuration give equal outcomes.
    public var outcome: CompareRecord {
        var copy = self
        copy.training.fitSeconds = 0
        copy.training.predictSeconds = 0
        copy.peakMemoryBytes = 0
        return copy
    }

    /// Checks what a record read from a file must hold before it is used: accuracies in 0...1, finite
    /// non-negative seconds, positive size, non-negative counts. Returns what is wrong, or nil.
    func problem() -> String? {
        let record = training
        if !(0...1).contains(record.testAccuracy) || !(0...1).contains(record.trainAccuracy) {
            return "an accuracy outside 0...1"
        }
        if !record.finalLoss.isFinite { return "a final loss that is not a finite number" }
        if !(record.fitSeconds >= 0 && record.fitSeconds.isFinite)
            || !(record.predictSeconds >= 0 && record.predictSeconds.isFinite) {
            return "a negative or infinite time"
        }
        if record.size < 1 { return "a size below 1" }
        if record.parameters < 0 || modelBytes < 0 || peakMemoryBytes < 0 { return "a negative count" }
        return nil
    }

    /// A field of the training record: `record.testAccuracy`, `record.model`, ...
    public subscript<Value>(dynamicMember keyPath: KeyPath<TrainingRecord, Value>) -> Value {
        training[keyPath: keyPath]
    }

    enum CodingKeys: String, CodingKey {
        case modelBytes = "model_bytes"
        case peakMemoryBytes = "peak_memory_bytes"
        case reusedFromSeed = "reused_from_seed"
    }

    public init(from decoder: any Decoder) throws {
        training = try TrainingRecord(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        modelBytes = try container.decode(Int.self, forKey: .modelBytes)
        peakMemoryBytes = try container.decode(Int.self, forKey: .peakMemoryBytes)
        reusedFromSeed = try container.decodeIfPresent(UInt64.self, forKey: .reusedFromSeed)
    }

    public func encode(to encoder: any Encoder) throws {
        try training.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(modelBytes, forKey: .modelBytes)
        try container.encode(peakMemoryBytes, forKey: .peakMemoryBytes)
        try container.encodeIfPresent(reusedFromSeed, forKey: .reusedFromSeed)
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
    /// The data and options every record was measured with, which resuming and merging check; nil in files
    /// written before it was recorded and in the peers' files.
    public var configuration: CompareConfiguration?
    /// The dataset: its kind, sample shape, classes and class balance of both parts; nil in files written
    /// before it was recorded and in the peers' files.
    public var data: DatasetProfile?

    public init(framework: String = "zoo", dataset: String, testSize: Int, machine: MachineInfo,
                records: [CompareRecord], configuration: CompareConfiguration? = nil, data: DatasetProfile? = nil) {
        schema = Self.currentSchema
        self.framework = framework
        self.dataset = dataset
        self.testSize = testSize
        self.machine = machine
        self.records = records
        self.configuration = configuration
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case schema, framework, dataset, machine, records, configuration, data
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
