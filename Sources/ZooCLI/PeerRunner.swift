import Foundation

/// Runs Benchmarks/peers/run.sh (scikit-learn and PyTorch on zoo's own samples) after `zoo compare`, passing its
/// output through. The script makes its own virtual environment and prints the zoo/peer ratios.
enum PeerRunner {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let script = "Benchmarks/peers/run.sh"

    /// Runs the peers on the samples in `resultsFolder` and compares with its results.json.
    static func run(resultsFolder: URL, dataDirectory: String?) throws {
        guard FileManager.default.isExecutableFile(atPath: script) else {
            throw Failure(description: "--with-peers needs \(script): run zoo compare from the repository's root")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = [resultsFolder.path] + (dataDirectory.map { ["--data-dir", $0] } ?? [])
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(script) failed with status \(process.terminationStatus) (its output is above)")
        }
    }
}
