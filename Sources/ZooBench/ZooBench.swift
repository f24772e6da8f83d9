import ArgumentParser
import Foundation
import ZooCore
import ZooData
import ZooTensor
import ZooTree

extension LearningRateSchedule: ExpressibleByArgument {}
extension SplitCriterion: ExpressibleByArgument {}

/// The `zoo-bench` command: speed measurements behind the scripts in Benchmarks/, each timing the libraries'
/// public API (what users run), one subcommand per benchmark.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` and `OPENBLAS_L2_SIZE` when it loads, so a benchmark that wants both the
/// environment's kernels and this CPU's own runs `zoo-bench` twice (the scripts do, the second time under
/// `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`); every subcommand prints which core it got.
@main
struct ZooBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoo-bench",
        abstract: "Measure the zoo's speed through its public API (run by the scripts in Benchmarks/).",
        version: zooVersion,
        subcommands: [Matmul.self, LinearModels.self, MLPThroughput.self, Tree.self, Inception.self])

    /// Process policy is the executable's: tensor buffers freed by one training step are kept for the next, and
    /// OpenBLAS runs on its callers' threads while zoo's layers split the work across the cores (as `zoo` does).
    static func main() {
        retainFreedTensorMemory()
        runBLASOnCallingThreads()
        do { try checkThreadLimit() } catch { exit(withError: error) }
        main(nil)
    }
}

/// The options every benchmark that reads a dataset shares: `--dataset` and `--data-dir`.
struct BenchDataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The dataset to use (\(DatasetRegistry.names.joined(separator: ", "))).",
                               valueName: "name"))
    var dataset = "mnist"

    @Option(name: .customLong("data-dir"),
            help: ArgumentHelp("Folder holding the dataset's files (searched before $ZOO_DATA/<dataset>).",
                               valueName: "dir"))
    var dataDirectory: String?

    func validate() throws {
        guard DatasetRegistry.names.contains(dataset) else {
            throw ValidationError("--dataset: `\(dataset)` is not one of \(DatasetRegistry.names.joined(separator: ", "))")
        }
    }

    /// Finds and reads the dataset's train and test parts.
    func load() throws -> DatasetSplit {
        try DatasetRegistry.load(dataset, dataDirectory: dataDirectory)
    }
}

/// `OpenBLAS core SkylakeX, 2 threads (OPENBLAS_CORETYPE=unset, OPENBLAS_L2_SIZE=unset)`: which kernels ran.
func openBLASLine() -> String {
    let environment = ProcessInfo.processInfo.environment
    return "OpenBLAS core \(openBLASCoreName()), \(openBLASThreadCount()) threads (OPENBLAS_CORETYPE="
        + "\(environment["OPENBLAS_CORETYPE"] ?? "unset"), OPENBLAS_L2_SIZE="
        + "\(environment["OPENBLAS_L2_SIZE"] ?? "unset"))"
}

/// CPU seconds used by every thread of this process so far: unlike wall time, it does not grow while other
/// processes hold the cores (spinning threads still count).
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Wall seconds of the fastest of `repeats` runs of `body`.
func fastestWallSeconds(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    return best
}

/// GFLOP/s of the fastest of `repeats` `[m, k] x [k, n]` products through `Tensor.gemm`, after one warm-up.
func sgemmGFLOPS(m: Int, k: Int, n: Int, repeats: Int) -> Double {
    var generator = SeededGenerator(seed: 0)
    let a = Tensor.uniform([m, k], in: -1...1, using: &generator)
    let b = Tensor.uniform([k, n], in: -1...1, using: &generator)
    var c = Tensor(shape: [m, n], repeating: 0)
    Tensor.gemm(a, b, into: &c, accumulate: false)
    let seconds = fastestWallSeconds(repeats: repeats) { Tensor.gemm(a, b, into: &c, accumulate: false) }
    return 2 * Double(m * k * n) / seconds / 1e9
}

/// Prints `line` on stderr (progress), keeping stdout for results.
func printProgress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
