import Foundation
import ZooData

/// One fit of a comparison that a batch scheduler can run on its own: task `index` of the plan
/// (`ComparePlan.tasks`), the index a job array hands out (`$SLURM_ARRAY_TASK_ID`).
public struct CompareTask: Equatable, Sendable {
    /// Position in the plan's task list, from 0.
    public let index: Int
    /// The family, size and seed this task fits.
    public let job: CompareJob
    /// Further seeds whose records are this task's (the family's fit ignores the seed and every seed trains on
    /// the whole training set); empty for most tasks.
    public let reusedForSeeds: [UInt64]

    /// The task's record file in the output folder: `task-<model>-<size>-seed<seed>.json`.
    public var fileName: String { "task-\(job.model)-\(job.size)-seed\(job.seed).json" }

    /// The task as one compact JSON line (sorted keys), as `--plan`-style listings print it: index, model,
    /// size, seed, reused seeds, dataset, data checksum, options, calibration split, and `output`, the record file in `folder`
    /// (as given: relative paths stay relative).
    public func planLine(configuration: CompareConfiguration, folder: String) throws -> String {
        struct Line: Encodable {
            let task: Int
            let model: String
            let size: Int
            let seed: UInt64
            let alsoForSeeds: [UInt64]
            let dataset: String
            let dataChecksum: String
            let options: [String: String]
            let calibrationSplit: Double
            let output: String

            enum CodingKeys: String, CodingKey {
                case task, model, size, seed, dataset, options, output
                case alsoForSeeds = "also_for_seeds"
                case dataChecksum = "data_checksum"
                case calibrationSplit = "calibration_split"
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = Line(task: index, model: job.model, size: job.size, seed: job.seed, alsoForSeeds: reusedForSeeds,
                        dataset: configuration.dataset, dataChecksum: configuration.dataChecksum,
                        options: configuration.options, calibrationSplit: configuration.calibrationSplit,
                        output: (folder.hasSuffix("/") ? folder : folder + "/") + fileName)
        return String(decoding: try encoder.encode(line), as: UTF8.self)
    }
}

/// What one task writes: its record, the configuration it was measured with, and the machine.
public struct CompareTaskResult: Codable, Equatable, Sendable {
    /// Names this file format and its version.
    public static let currentSchema = "zoo-compare-task/1"

    /// Always `currentSchema` when written by this version.
    public var schema: String
    /// The task's index in the plan that ran it.
    public var task: Int
    /// The data and options of the record.
    public var configuration: CompareConfiguration
    /// The machine and build that measured it.
    public var machine: MachineInfo
    /// The fit's record.
    public var record: CompareRecord

    public init(task: Int, configuration: CompareConfiguration, machine: MachineInfo, record: CompareRecord) {
        schema = Self.currentSchema
        self.task = task
        self.configuration = configuration
        self.machine = machine
        self.record = record
    }

    /// Pretty-printed JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a task file, checking its schema and record; throws `CompareTaskError.unreadable` naming `path`.
    public static func read(_ path: String) throws -> CompareTaskResult {
        let result: CompareTaskResult
        do {
            result = try JSONDecoder().decode(CompareTaskResult.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CompareTaskError.unreadable(file: path, reason: describe(error))
        }
        guard result.schema == currentSchema else {
            throw CompareTaskError.unreadable(file: path, reason: "schema \(result.schema), expected \(currentSchema)")
        }
        if let problem = result.record.problem() {
            throw CompareTaskError.unreadable(file: path, reason: "its record has \(problem)")
        }
        return result
    }
}

/// Runs task `index` of `plan` on `split` and writes its record atomically to `folder/<task.fileName>`.
///
/// When that file already holds the task's record for the same configuration, nothing is fitted and the
/// existing result is returned (`fitted` false): running a task twice is harmless. A file there of another
/// configuration is an error, not overwritten. Throws `CompareTaskError.taskOutOfRange` for an index outside
/// the plan.
public func runCompareTask(_ index: Int, of plan: ComparePlan, on split: DatasetSplit,
                           configuration: CompareConfiguration, folder: URL,
                           machine: MachineInfo = .current()) throws -> (result: CompareTaskResult, fitted: Bool) {
    let tasks = plan.tasks(trainingSetSize: split.train.count)
    guard tasks.indices.contains(index) else {
        throw CompareTaskError.taskOutOfRange(index: index, count: tasks.count)
    }
    let task = tasks[index]
    let path = folder.appendingPathComponent(task.fileName).path
    if FileManager.default.fileExists(atPath: path) {
        let existing = try CompareTaskResult.read(path)
        let differences = configuration.differences(from: existing.configuration)
        guard differences.isEmpty else {
            throw CompareTaskError.otherConfiguration(file: path, differences: differences)
        }
        if existing.record.job == task.job { return (existing, false) }
    }
    guard let entry = plan.models.first(where: { $0.name == task.job.model }) else {
        preconditionFailure("plan task \(index) names \(task.job.model), which is not among the plan's models")
    }
    let indices = try split.train.stratifiedSampleIndices(task.job.size, seed: task.job.seed)
    let sample = indices.count == split.train.count ? split.train : split.train.subset(indices)
    let record: CompareRecord
    do {
        record = try evaluate(entry, seed: task.job.seed, sample: sample,
                              wholeTrainingSet: indices.count == split.train.count, test: split.test,
                              datasetName: configuration.dataset)
    } catch {
        throw CompareError.modelFailed(model: task.job.model, size: task.job.size, seed: task.job.seed,
                                       reason: String(describing: error))
    }
    let result = CompareTaskResult(task: index, configuration: configuration, machine: machine, record: record)
    try writeAtomically([UInt8](try result.encoded()), to: path)
    return (result, true)
}

/// Merges the task files (`task-*.json`) found in `folders` into the records of the whole comparison `plan`
/// on a training set of `trainingSetSize` samples, in `plan.jobs` order, with the reused seeds filled in.
///
/// Every task file must be of `configuration` (else `CompareTaskError.otherConfiguration`, naming the first
/// such file and how it differs); files of tasks outside the plan are ignored; when a task of the plan has no
/// file, `CompareTaskError.missingTasks` lists them all. Returns the records and the machine of task 0.
public func mergeCompareTasks(of plan: ComparePlan, trainingSetSize: Int, configuration: CompareConfiguration,
                              folders: [URL]) throws -> (records: [CompareRecord], machine: MachineInfo?) {
    var found = [CompareJob: CompareTaskResult]()
    for folder in folders {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw CompareTaskError.unreadable(file: folder.path, reason: "not a readable folder")
        }
        for name in names.sorted() where name.hasPrefix("task-") && name.hasSuffix(".json") {
            let path = folder.appendingPathComponent(name).path
            let result = try CompareTaskResult.read(path)
            let differences = configuration.differences(from: result.configuration)
            guard differences.isEmpty else {
                throw CompareTaskError.otherConfiguration(file: path, differences: differences)
            }
            if found[result.record.job] == nil { found[result.record.job] = result }
        }
    }
    let tasks = plan.tasks(trainingSetSize: trainingSetSize)
    let missing = tasks.filter { found[$0.job] == nil }
    guard missing.isEmpty else { throw CompareTaskError.missingTasks(missing, total: tasks.count) }

    var records = [CompareRecord]()
    for job in plan.jobs {
        let source = plan.reusedSource(of: job, trainingSetSize: trainingSetSize)
        guard let fit = found[source ?? job]?.record else { throw CompareTaskError.missingTasks([], total: tasks.count) }
        records.append(source == nil ? fit : fit.reused(for: job.seed))
    }
    return (records, tasks.first.flatMap { found[$0.job]?.machine })
}

/// Why a comparison task could not run or its records not be merged or resumed.
public enum CompareTaskError: Error, CustomStringConvertible, Equatable {
    /// A task index outside `0..<count`.
    case taskOutOfRange(index: Int, count: Int)
    /// A file of records measured with another configuration (data or options), with how it differs.
    case otherConfiguration(file: String, differences: [String])
    /// Tasks of the plan that have no record, out of `total`.
    case missingTasks([CompareTask], total: Int)
    /// A results or task file that cannot be read or holds impossible values.
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .taskOutOfRange(index, count):
            "task \(index) is out of range: this comparison has \(count) tasks, numbered 0 to \(count - 1)"
        case let .otherConfiguration(file, differences):
            "\(file) holds records of another configuration (\(differences.joined(separator: "; "))): "
                + "they cannot be mixed with this one's"
        case let .missingTasks(tasks, total):
            "\(tasks.count) of \(total) tasks have no record: "
                + tasks.map { "\($0.index) (\($0.job.model), \($0.job.size) samples, seed \($0.job.seed))" }
                    .joined(separator: ", ")
        case let .unreadable(file, reason):
            "cannot read \(file): \(reason)"
        }
    }
}

/// A decoding error as one line: which key or value was wrong, and where.
func describe(_ error: any Error) -> String {
    switch error {
    case let DecodingError.keyNotFound(key, context):
        return "missing key `\(key.stringValue)` at \(path(context))"
    case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
         let DecodingError.dataCorrupted(context):
        return "\(context.debugDescription) at \(path(context))"
    default:
        return (error as NSError).localizedDescription
    }
}

private func path(_ context: DecodingError.Context) -> String {
    context.codingPath.isEmpty ? "the top level" : context.codingPath.map(\.stringValue).joined(separator: ".")
}
