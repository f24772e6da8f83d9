import Foundation
import ZooCore
import ZooData
import ZooTensor

/// A family a comparison trains: its name and how to make a fresh, unfitted model for a seed.
public struct ModelEntry {
    /// Family name in records, tables and plots ("tree", "mlp", ...).
    public let name: String
    /// A new unfitted model whose random steps use `seed`.
    public let make: (_ seed: UInt64) throws -> any Model

    public init(name: String, make: @escaping (_ seed: UInt64) throws -> any Model) {
        self.name = name
        self.make = make
    }

    /// A zoo family made by `kind.makeModel(options)` with the seed of each run. Throws now, not mid-run, if
    /// `options` are out of range for the family.
    public init(_ kind: ModelKind, options: ModelOptions = ModelOptions()) throws {
        _ = try kind.makeModel(options)
        self.init(name: kind.rawValue) { seed in
            var seeded = options
            seeded.seed = seed
            return try kind.makeModel(seeded)
        }
    }
}

/// What to compare: which families, on how many training samples, with how many seeds.
public struct ComparePlan {
    /// Families, in the order they run and are reported.
    public var models: [ModelEntry]
    /// Training-set sizes in samples, each at most the training set's size.
    public var sizes: [Int]
    /// Seeds; each seed draws its own stratified sample (shared by all families) and seeds the models.
    public var seeds: [UInt64]

    public init(models: [ModelEntry], sizes: [Int], seeds: [UInt64]) {
        self.models = models
        self.sizes = sizes
        self.seeds = seeds
    }

    /// Every (size, seed, model) in run order: small sizes first, so early results arrive early.
    public var jobs: [CompareJob] {
        sizes.flatMap { size in
            seeds.flatMap { seed in models.map { CompareJob(model: $0.name, size: size, seed: seed) } }
        }
    }
}

/// One unit of a comparison: fit one family on one sample.
public struct CompareJob: Equatable, Sendable {
    public let model: String
    public let size: Int
    public let seed: UInt64
}

/// What a comparison reports while it runs, for a progress line on stderr.
public enum CompareEvent {
    /// `job` (number `index` of `total`, from 0) is about to start; `elapsed` seconds so far, and the estimated
    /// seconds left (nil until there is a measured job to extrapolate from).
    case started(job: CompareJob, index: Int, total: Int, elapsed: Double, remaining: Double?)
    /// A job finished with this record.
    case finished(CompareRecord)

    /// The event as one line for stderr: `[4/27] mlp on 10k samples, seed 1 · elapsed 1m02s · ETA 4m10s`.
    public var progressLine: String {
        switch self {
        case let .started(job, index, total, elapsed, remaining):
            let eta = remaining.map { "ETA \(Format.duration($0))" } ?? "ETA after the first model"
            return "[\(index + 1)/\(total)] \(job.model) on \(Format.size(job.size)) samples, seed \(job.seed) · "
                + "elapsed \(Format.duration(elapsed)) · \(eta)"
        case let .finished(record):
            return String(format: "    test accuracy %.2f%%, fit %@ s, predict %@ s", record.testAccuracy * 100,
                          Format.seconds(record.fitSeconds), Format.seconds(record.predictSeconds))
        }
    }
}

/// Trains every family of `plan` on seeded stratified samples of `train` and evaluates each on all of `test`.
///
/// For each size and seed, one sample is drawn (`Dataset.stratifiedSampleIndices(size, seed:)`) and every family
/// fits that same sample, so differences come from the families, not the data. Returns one record per
/// model x size x seed, in `plan.jobs` order, and the samples' indices. Throws the first model error, naming the job.
public func runComparison(_ plan: ComparePlan, train: Dataset, test: Dataset, datasetName: String,
                          onEvent: (CompareEvent) -> Void = { _ in }) throws -> CompareRun {
    let jobs = plan.jobs
    var estimator = RemainingTimeEstimator(jobs: jobs, testSize: test.count)
    let start = ContinuousClock.now
    var run = CompareRun(records: [], samples: [])
    var index = 0
    for size in plan.sizes {
        for seed in plan.seeds {
            let indices = try train.stratifiedSampleIndices(size, seed: seed)
            run.samples.append(SampleIndices(size: size, seed: seed, indices: indices))
            let sample = indices.count == train.count ? train : train.subset(indices)
            for entry in plan.models {
                let job = jobs[index]
                onEvent(.started(job: job, index: index, total: jobs.count, elapsed: elapsedSeconds(since: start),
                                 remaining: estimator.remainingSeconds(after: index)))
                let jobStart = ContinuousClock.now
                let record: CompareRecord
                do {
                    record = try evaluate(entry, seed: seed, sample: sample, test: test, datasetName: datasetName)
                } catch {
                    throw CompareError.modelFailed(model: entry.name, size: size, seed: seed,
                                                   reason: String(describing: error))
                }
                estimator.record(index, seconds: elapsedSeconds(since: jobStart), fitSeconds: record.fitSeconds)
                run.records.append(record)
                onEvent(.finished(record))
                index += 1
            }
        }
    }
    return run
}

/// What a comparison produced: its records and the training samples they were fitted on.
public struct CompareRun: Sendable {
    /// One record per model x size x seed, in run order.
    public var records: [CompareRecord]
    /// The indices of each size and seed's stratified sample, in run order.
    public var samples: [SampleIndices]
}

/// Fits a fresh model of `entry` on `sample` and measures it on `sample` and `test`, with its own peak memory.
func evaluate(_ entry: ModelEntry, seed: UInt64, sample: Dataset, test: Dataset,
              datasetName: String) throws -> CompareRecord {
    PeakMemory.reset()
    let model = try entry.make(seed)
    let training = try fitAndEvaluate(model, name: entry.name, datasetName: datasetName, train: sample,
                                      stratified: true, seed: seed, test: test, quiet: true)
    return CompareRecord(training: training, modelBytes: model.parameterCount * MemoryLayout<Float>.size,
                         peakMemoryBytes: PeakMemory.bytes())
}

/// A comparison that could not finish.
public enum CompareError: Error, CustomStringConvertible, Equatable {
    /// A family failed to build, fit or predict.
    case modelFailed(model: String, size: Int, seed: UInt64, reason: String)

    public var description: String {
        switch self {

        case let .modelFailed(model, size, seed, reason):
            "\(model) failed at size \(size), seed \(seed): \(reason)"
        }
    }
}

