import Foundation

/// Writes a comparison's files into a folder: `results.json`, `learning-curves.svg`, `index.html` and
/// `samples.json` (the index lists of the training samples, for the peer scripts). Each file is written to a
/// temporary name and renamed, so a reader never sees half a file.
public enum CompareOutput {
    /// Writes every output file of `results` into `directory` (created if missing). `samples` are the training
    /// index lists by size and seed. Returns the paths written.
    @discardableResult
    public static func write(_ results: CompareResults, samples: [SampleIndices],
                             to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let plot = LearningCurvePlot(summaries: CompareSummary.summarize(results.records),
                                     title: "Test error vs training-set size: \(results.dataset)")
        let files: [(String, Data)] = [
            ("results.json", try results.encoded()),
            ("samples.json", try SampleIndices.encoded(samples, dataset: results.dataset)),
            ("learning-curves.svg", Data(plot.svg().utf8)),
            ("index.html", Data(HTMLReport(results: results, plot: plot).html().utf8)),
        ]
        return try files.map { name, contents in
            let url = directory.appendingPathComponent(name)
            try writeAtomically(contents, to: url)
            return url
        }
    }

    /// Writes `contents` to a temporary file next to `url`, then renames it over `url`.
    public static func writeAtomically(_ contents: Data, to url: URL) throws {
        do {
            try contents.write(to: url, options: .atomic)
        } catch {
            throw CompareOutputError.unwritable(path: url.path, reason: error.localizedDescription)
        }
    }
}

/// The training-set indices one size and seed used, so peers can fit exactly the same samples.
public struct SampleIndices: Codable, Equatable, Sendable {
    public let size: Int
    public let seed: UInt64
    /// Indices into the training set, ascending.
    public let indices: [Int]

    public init(size: Int, seed: UInt64, indices: [Int]) {
        self.size = size
        self.seed = seed
        self.indices = indices
    }

    /// `{"dataset": ..., "samples": [{"size", "seed", "indices"}]}`, compact (the lists are long).
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

/// An output file could not be written.
public enum CompareOutputError: Error, CustomStringConvertible, Equatable {
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unwritable(path, reason):
            "cannot write \(path): \(reason). Choose another folder with --out"
        }
    }
}
