/// Mean and sample standard deviation of one measure over seeds.
public struct MeanStd: Equatable, Sendable {
    public let mean: Double
    /// Sample standard deviation (n - 1 in the denominator); 0 for a single value.
    public let std: Double

    /// The mean and standard deviation of `values` (at least one).
    public init(_ values: [Double]) {
        precondition(!values.isEmpty, "MeanStd: no values")
        let mean = values.reduce(0, +) / Double(values.count)
        self.mean = mean
        std = values.count < 2 ? 0
            : (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
    }
}

/// One family at one training-set size, aggregated over seeds: a row of the results table.
public struct CompareSummary: Equatable, Sendable {
    public let model: String
    public let size: Int
    /// How many seeds were aggregated.
    public let seedCount: Int
    public let testAccuracy: MeanStd
    public let trainAccuracy: MeanStd
    public let fitSeconds: MeanStd
    public let predictSeconds: MeanStd
    /// Test log-loss and ECE of the calibrated probabilities over the seeds whose records have them; nil when
    /// none has (records written before they were measured).
    public let testLogLoss: MeanStd?, testCalibrationError: MeanStd?
    /// Mean over seeds (a tree's node count differs by seed; a network's does not).
    public let parameters: Int
    /// Mean over seeds.
    public let modelBytes: Int
    /// Largest over seeds.
    public let peakMemoryBytes: Int
    /// Seeds whose record reuses another seed's fit (`CompareRecord.reusedFromSeed`): the family's fit ignores
    /// the seed and they all trained on the same sample, so their spread is 0 by construction.
    public let reusedSeedCount: Int

    /// Test error (1 - accuracy) over seeds: what the learning curves plot.
    public var testError: MeanStd {
        MeanStd(mean: 1 - testAccuracy.mean, std: testAccuracy.std)
    }

    /// Rows for `records` grouped by model and size, models in first-seen order, sizes ascending.
    public static func summarize(_ records: [CompareRecord]) -> [CompareSummary] {
        var models = [String]()
        for record in records where !models.contains(record.model) { models.append(record.model) }
        return models.flatMap { model in
            let ofModel = records.filter { $0.model == model }
            return Set(ofModel.map(\.size)).sorted().map { size in
                let group = ofModel.filter { $0.size == size }
                return CompareSummary(
                    model: model, size: size, seedCount: group.count,
                    testAccuracy: MeanStd(group.map(\.testAccuracy)),
                    trainAccuracy: MeanStd(group.map(\.trainAccuracy)),
                    fitSeconds: MeanStd(group.map(\.fitSeconds)),
                    predictSeconds: MeanStd(group.map(\.predictSeconds)),
                    testLogLoss: MeanStd(ifAny: group.compactMap(\.testLogLoss)),
                    testCalibrationError: MeanStd(ifAny: group.compactMap(\.testCalibrationError)),
                    parameters: group.map(\.parameters).reduce(0, +) / group.count,
                    modelBytes: group.map(\.modelBytes).reduce(0, +) / group.count,
                    peakMemoryBytes: group.map(\.peakMemoryBytes).max() ?? 0,
                    reusedSeedCount: group.filter { $0.reusedFromSeed != nil }.count)
            }
        }
    }
}

extension MeanStd {
    init(mean: Double, std: Double) {
        self.mean = mean
        self.std = std
    }

    /// The mean and standard deviation of `values`, or nil when there are none.
    init?(ifAny values: [Double]) {
        guard !values.isEmpty else { return nil }
        self.init(values)
    }
}
