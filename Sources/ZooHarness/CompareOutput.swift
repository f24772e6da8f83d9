import Foundation
import ZooData

/// Writes a comparison's files into a folder: `results.json`, `learning-curves.svg`, `index.html` and
/// `samples.json` (the index lists of the training samples, for the peer scripts). Each file is written to a
/// temporary name and renamed, so a reader never sees half a file.
public enum CompareOutput {
    /// Writes every output file of `results` into `directory` (created if missing). `samples` are the training
    /// index lists by size and seed. Returns the paths written.
    @discardableResult
    public static func write(_ results: CompareResults, samples: [SampleIndices],
                             to directory: URL) throws -> [URL] {
        try write([("results.json", try results.encoded()),
                   ("samples.json", try SampleIndices.encoded(samples, dataset: results.dataset))], to: directory)
            + writeReport(results, to: directory)
    }

    /// Writes `results.json` alone into `directory` (created if missing), atomically: what a comparison does after
    /// every record, so a run stopped at any moment leaves every record finished so far. Returns its path.
    @discardableResult
    public static func writeResults(_ results: CompareResults, to directory: URL) throws -> URL {
        try write([("results.json", try results.encoded())], to: directory)[0]
    }

    /// The records of `directory/results.json` that a comparison of `configuration` continues from: none when
    /// there is no such file. Throws `CompareTaskError.otherConfiguration` when the file's records were measured
    /// with other data or options (or it does not say with which), and `.unreadable` for a damaged file.
    public static func resumableRecords(in directory: URL,
                                        configuration: CompareConfiguration) throws -> [CompareRecord] {
        let path = directory.appendingPathComponent("results.json").path
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let results: CompareResults
        do {
            results = try CompareResults.decoded(from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CompareTaskError.unreadable(file: path, reason: describe(error))
        }
        guard let recorded = results.configuration else {
            throw CompareTaskError.otherConfiguration(
                file: path, differences: ["it does not record the data and options it was made with"])
        }
        let differences = configuration.differences(from: recorded)
        guard differences.isEmpty else { throw CompareTaskError.otherConfiguration(file: path, differences: differences) }
        if let problem = results.records.lazy.compactMap({ $0.problem() }).first {
            throw CompareTaskError.unreadable(file: path, reason: "a record has \(problem)")
        }
        return results.records
    }

    /// Writes `learning-curves.svg` and `index.html` for `results` into `directory`. Returns the paths written.
    @discardableResult
    public static func writeReport(_ results: CompareResults, to directory: URL) throws -> [URL] {
        let plot = LearningCurvePlot(summaries: CompareSummary.summarize(results.records),
                                     title: "Test error vs training-set size: \(results.dataset)")
        return try write([("learning-curves.svg", Data(plot.svg().utf8)),
                          ("index.html", Data(HTMLReport(results: results, plot: plot).html().utf8))],
                         to: directory)
    }

    private static func write(_ files: [(String, Data)], to directory: URL) throws -> [URL] {
        try files.map { name, contents in
            let url = directory.appendingPathComponent(name)
            try writeAtomically([UInt8](contents), to: url.path)
            return url
        }
    }
}

/// The training-set indices one size and seed used, so peers can fit exactly the same samples.
public struct SampleIndices: Codable, Equatable, Sendable {
    public let size: Int
    public let seed: UInt64
    /// Indices into the training set, ascending: the whole sample.
    public let indices: [Int]
    /// The part of `indices` the families fit, ascending: the sample less the calibration share they held out
    /// (`CalibrationHoldout`, drawn with the same seed for every family); `indices` when nothing is held out.
    public let fitted: [Int]

    public init(size: Int, seed: UInt64, indices: [Int], fitted: [Int]? = nil) {
        self.size = size
        self.seed = seed
        self.indices = indices
        self.fitted = fitted ?? indices
    }

    /// The sample `indices` of a training set of `trainingSetSize` samples, whose samples are `sample`, with the
    /// indices a family holding out `holdout` for the run `seed` fits (see `CalibrationHoldout.drawingSeed`).
    init(size: Int, seed: UInt64, indices: [Int], sample: Dataset, trainingSetSize: Int,
         holdout: CalibrationHoldout) throws {
        let drawing = CalibrationHoldout.drawingSeed(seed, wholeTrainingSet: indices.count == trainingSetSize)
        let fitted = try holdout.positions(in: sample, seed: drawing).map { $0.fit.map { indices[$0] } }
        self.init(size: size, seed: seed, indices: indices, fitted: fitted)
    }

    /// `{"dataset": ..., "samples": [{"size", "seed", "indices", "fitted"}]}`, compact (the lists are long).
    static func encoded(_ samples: [SampleIndices], dataset: String) throws -> Data {
        struct File: Encodable {
            let dataset: String
            let samples: [SampleIndices]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(File(dataset: dataset, samples: samples))
    }
}
