import Foundation
import ZooCore
import ZooData
import ZooTensor

/// A family a comparison trains: its name, how to make a fresh, unfitted model for a seed, and the calibration
/// share its fits hold out.
public struct ModelEntry {
    /// Family name in records, tables and plots ("tree", "mlp", ...).
    public let name: String
    /// Whether the fit depends only on the training sample, not on the seed (no random step): then a comparison
    /// fits it once on the sample all seeds share, the whole training set (whose calibration share is drawn
    /// with one seed for all, `CalibrationHoldout.drawingSeed`), and reuses the record for the others.
    public let fitIgnoresSeed: Bool
    /// The share of each sample held out to fit the calibration on.
    public let holdout: CalibrationHoldout
    /// A new unfitted model whose random steps use `seed`.
    public let make: (_ seed: UInt64) throws -> any Model

    /// An entry whose fits hold out `holdout` of each sample (by default nothing).
    public init(name: String, fitIgnoresSeed: Bool = false, holdout: CalibrationHoldout = .none,
                make: @escaping (_ seed: UInt64) throws -> any Model) {
        self.name = name
        self.fitIgnoresSeed = fitIgnoresSeed
        self.holdout = holdout
        self.make = make
    }

    /// A zoo family made by `kind.makeModel(options)` with the seed of each run, holding out
    /// `options.calibrationSplit`. Throws now, not mid-run, if `options` are out of range for the family.
    public init(_ kind: ModelKind, options: ModelOptions = ModelOptions()) throws {
        _ = try kind.makeModel(options)
        self.init(name: kind.rawValue, fitIgnoresSeed: kind.fitIgnoresSeed(options),
                  holdout: try CalibrationHoldout(options)) { seed in
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

    /// Every (size, seed, model) in run order: small sizes first, so early results arrive early. One record each.
    public var jobs: [CompareJob] {
        sizes.flatMap { size in
            seeds.flatMap { seed in models.map { CompareJob(model: $0.name, size: size, seed: seed) } }
        }
    }

    /// The fits the comparison does on a training set of `trainingSetSize` samples, in run order, numbered from
    /// 0: every job, except that a family whose fit ignores the seed is fitted on the whole training set for the
    /// first seed only, its task then also standing for the other seeds.
    public func tasks(trainingSetSize: Int) -> [CompareTask] {
        var tasks = [CompareTask]()
        for job in jobs where reusedSource(of: job, trainingSetSize: trainingSetSize) == nil {
            let reusedBy = models.first { $0.name == job.model }?.fitIgnoresSeed == true
                && job.size == trainingSetSize && job.seed == seeds.first ? Array(seeds.dropFirst()) : []
            tasks.append(CompareTask(index: tasks.count, job: job, reusedForSeeds: reusedBy))
        }
        return tasks
    }

    /// The calibration share the families hold out: the first family's (a comparison the CLI builds gives every
    /// family the same).
    public var holdout: CalibrationHoldout { models.first?.holdout ?? .none }

    /// The stratified sample of each size and seed in `train`, and the part of it the families fit, in run
    /// order (what `samples.json` lists).
    public func sampleIndices(of train: Dataset) throws -> [SampleIndices] {
        try sizes.flatMap { size in
            try seeds.map { seed in
                let indices = try train.stratifiedSampleIndices(size, seed: seed)
                return try SampleIndices(size: size, seed: seed, indices: indices,
                                         sample: holdout.fraction > 0 ? train.subset(indices) : train,
                                         trainingSetSize: train.count, holdout: holdout)
            }
        }
    }

    /// The job whose record `job` reuses, or nil when `job` is fitted itself.
    func reusedSource(of job: CompareJob, trainingSetSize: Int) -> CompareJob? {
        guard let first = seeds.first, job.seed != first, job.size == trainingSetSize,
              models.first(where: { $0.name == job.model })?.fitIgnoresSeed == true else { return nil }
        return CompareJob(model: job.model, size: job.size, seed: first)
    }
}

/// One unit of a comparison: fit one family on one sample.
public struct CompareJob: Hashable, Sendable {
    public let model: String
    public let size: Int
    public let seed: UInt64

    public init(model: String, size: Int, seed: UInt64) {
        self.model = model
        self.size = size
        self.seed = seed
    }
}

extension CompareRecord {
    /// The job this record is the outcome of.
    public var job: CompareJob { CompareJob(model: training.model, size: training.size, seed: training.seed) }
}

/// What a comparison reports while it runs, for a progress line on stderr.
public enum CompareEvent {
    /// `job` (fit number `index` of the `total` this run does, from 0) is about to start; `elapsed` seconds so
    /// far, and the estimated seconds left (nil until there is a measured fit to extrapolate from).
    case started(job: CompareJob, index: Int, total: Int, elapsed: Double, remaining: Double?)
    /// A job finished with this record.
    case finished(CompareRecord)
    /// A job took the record of the same family's fit with another seed on the same sample.
    case reused(CompareRecord)

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
        case let .reused(record):
            return "    \(record.model) on \(Format.size(record.size)) samples, seed \(record.seed): the fit of seed "
                + "\(record.reusedFromSeed ?? 0) (its fit does not depend on the seed, and the sample is the same)"
        }
    }
}

/// Trains every family of `plan` on seeded stratified samples of `train` and evaluates each on all of `test`.
///
/// For each size and seed, one sample is drawn (`Dataset.stratifiedSampleIndices(size, seed:)`) and every family
/// fits that same sample, so differences come from the families, not the data. A family whose fit ignores the
/// seed is fitted once on the whole training set (see `ComparePlan.tasks`). Jobs that already have a record in
/// `finished` (an earlier, interrupted run of the same configuration) are not run again.
///
/// `beforeFit` runs before each fit, when the previous fit's model and buffers are freed: where an executable
/// can hand freed memory back to the system (its allocator policy is not a library's business), so that each
/// record's peak memory is its own fit's. After each new record, `onRecord` receives every record so far in
/// `plan.jobs` order (to save them as it goes); what it throws stops the comparison. Returns one record per
/// model x size x seed, in `plan.jobs` order, and the samples' indices. Throws the first model error, naming the job.
public func runComparison(_ plan: ComparePlan, train: Dataset, test: Dataset, datasetName: String,
                          finished: [CompareRecord] = [], onEvent: (CompareEvent) -> Void = { _ in },
                          onRecord: (_ recordsSoFar: [CompareRecord]) throws -> Void = { _ in },
                          beforeFit: () -> Void = {}) throws -> CompareRun {
    let jobs = plan.jobs
    var records = [CompareJob: CompareRecord]()
    for record in finished { records[record.job] = record }
    let fits = plan.tasks(trainingSetSize: train.count).map(\.job).filter { records[$0] == nil }
    var estimator = RemainingTimeEstimator(jobs: fits, testSize: test.count)
    let start = ContinuousClock.now
    var samples = [SampleIndices]()
    var fitted = 0
    for size in plan.sizes {
        for seed in plan.seeds {
            let indices = try train.stratifiedSampleIndices(size, seed: seed)
            var sample: Dataset?  // drawn when a family first needs it, released after this seed
            func drawnSample() -> Dataset {
                let data = sample ?? (indices.count == train.count ? train : train.subset(indices))
                sample = data
                return data
            }
            samples.append(try SampleIndices(size: size, seed: seed, indices: indices,
                                             sample: plan.holdout.fraction > 0 ? drawnSample() : train,
                                             trainingSetSize: train.count, holdout: plan.holdout))
            for entry in plan.models {
                let job = CompareJob(model: entry.name, size: size, seed: seed)
                guard records[job] == nil else { continue }
                let record: CompareRecord
                if let source = plan.reusedSource(of: job, trainingSetSize: train.count), let fit = records[source] {
                    record = fit.reused(for: seed)
                    onEvent(.reused(record))
                } else {
                    onEvent(.started(job: job, index: fitted, total: fits.count,
                                     elapsed: elapsedSeconds(since: start),
                                     remaining: estimator.remainingSeconds(after: fitted)))
                    let data = drawnSample()
                    beforeFit()
                    let jobStart = ContinuousClock.now
                    do {
                        record = try evaluate(entry, seed: seed, sample: data,
                                              wholeTrainingSet: indices.count == train.count, test: test,
                                              datasetName: datasetName)
                    } catch {
                        throw CompareError.modelFailed(model: entry.name, size: size, seed: seed,
                                                       reason: String(describing: error))
                    }
                    estimator.record(fitted, seconds: elapsedSeconds(since: jobStart), fitSeconds: record.fitSeconds)
                    fitted += 1
                    onEvent(.finished(record))
                }
                records[job] = record
                try onRecord(jobs.compactMap { records[$0] })
            }
        }
    }
    return CompareRun(records: jobs.compactMap { records[$0] }, samples: samples)
}

/// What a comparison produced: its records and the training samples they were fitted on.
public struct CompareRun: Sendable {
    /// One record per model x size x seed, in run order.
    public var records: [CompareRecord]
    /// The indices of each size and seed's stratified sample, in run order.
    public var samples: [SampleIndices]
}

/// Fits a fresh model of `entry` on `sample` and measures it on `sample` and `test`, with its own peak memory.
func evaluate(_ entry: ModelEntry, seed: UInt64, sample: Dataset, wholeTrainingSet: Bool, test: Dataset,
              datasetName: String) throws -> CompareRecord {
    PeakMemory.reset()
    let model = try entry.make(seed)
    let training = try fitAndEvaluate(model, name: entry.name, datasetName: datasetName, sample: sample,
                                      holdout: entry.holdout,
                                      holdoutSeed: CalibrationHoldout.drawingSeed(seed, wholeTrainingSet: wholeTrainingSet),
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

