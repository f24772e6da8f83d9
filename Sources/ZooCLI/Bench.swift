import ArgumentParser
import Foundation
import ZooTensor

extension Zoo {
    /// `zoo bench ...`: speed measurements behind the scripts in Benchmarks/. Hidden from `zoo --help`.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the core's speed (see Benchmarks/).",
            shouldDisplay: false,
            subcommands: [Matmul.self, LinearModels.self, MLPThroughput.self, Tree.self, Inception.self])
    }
}

extension Zoo.Bench {
    /// `zoo bench matmul`: GFLOP/s of `Tensor.matmul` (OpenBLAS sgemm) for the zoo's typical shapes, best of N.
    struct Matmul: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GFLOP/s of Tensor.matmul for [m, k] x [k, n] shapes, best of N runs.",
            discussion: "OpenBLAS reads OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE when it loads, so "
                + "--compare-native-core runs a second zoo process with both unset and prints the ratio.")

        @Option(help: "Comma-separated shapes MxKxN: [M, K] x [K, N].")
        var shapes = "128x784x256,128x256x10,10000x784x256"

        @Option(help: "Timed runs per shape; the fastest is reported.")
        var repeats = 20

        @Flag(help: "Also measure in a child process with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.")
        var compareNativeCore = false

        @Flag(help: .hidden)
        var machineReadable = false

        func validate() throws {
            _ = try parsedShapes()
            if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        }

        func run() throws {
            let results = try parsedShapes().map { measure($0) }
            if machineReadable {
                print(openBLASCoreName())
                for gflops in results { print(gflops) }
                return
            }
            let environment = ProcessInfo.processInfo.environment
            print("OpenBLAS core: \(openBLASCoreName()), \(openBLASThreadCount()) threads "
                  + "(OPENBLAS_CORETYPE=\(environment["OPENBLAS_CORETYPE"] ?? "unset"), "
                  + "OPENBLAS_L2_SIZE=\(environment["OPENBLAS_L2_SIZE"] ?? "unset")), best of \(repeats)")
            var native: [Double]? = nil
            if compareNativeCore {
                let (core, speeds) = try runNativeChild()
                print("child process with both unset: OpenBLAS core \(core)")
                native = speeds
            }
            print("shape (MxKxN)      GFLOP/s" + (native == nil ? "" : "   unset GFLOP/s   ratio unset/this"))
            for (index, shape) in try parsedShapes().enumerated() {
                let name = "\(shape.m)x\(shape.k)x\(shape.n)".padding(toLength: 16, withPad: " ", startingAt: 0)
                var line = name + String(format: "%9.1f", results[index])
                if let native, index < native.count {
                    line += String(format: "   %13.1f   %17.2fx", native[index], native[index] / results[index])
                }
                print(line)
            }
        }

        private func parsedShapes() throws -> [(m: Int, k: Int, n: Int)] {
            try shapes.split(separator: ",").map { text in
                let sizes = text.split(separator: "x").compactMap { Int($0) }
                guard sizes.count == 3, sizes.allSatisfy({ $0 > 0 }) else {
                    throw ValidationError("shape '\(text)' is not MxKxN with positive sizes")
                }
                return (sizes[0], sizes[1], sizes[2])
            }
        }

        /// Best-of-`repeats` GFLOP/s of one `[m, k] x [k, n]` product (after one warm-up run).
        private func measure(_ shape: (m: Int, k: Int, n: Int)) -> Double {
            var generator = SeededGenerator(seed: 0)
            let a = Tensor.uniform([shape.m, shape.k], in: -1...1, using: &generator)
            let b = Tensor.uniform([shape.k, shape.n], in: -1...1, using: &generator)
            var c = Tensor(shape: [shape.m, shape.n], repeating: 0)
            Tensor.gemm(a, b, into: &c, accumulate: false)
            var best = Double.infinity
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                Tensor.gemm(a, b, into: &c, accumulate: false)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
            }
            return 2 * Double(shape.m * shape.k * shape.n) / best / 1e9
        }

        /// Runs this benchmark again in a child process whose environment lacks the OpenBLAS overrides; returns
        /// the core the child got and its GFLOP/s per shape.
        private func runNativeChild() throws -> (String, [Double]) {
            var environment = ProcessInfo.processInfo.environment
            environment["OPENBLAS_CORETYPE"] = nil
            environment["OPENBLAS_L2_SIZE"] = nil
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            child.arguments = ["bench", "matmul", "--shapes", shapes, "--repeats", "\(repeats)",
                               "--machine-readable"]
            child.environment = environment
            let output = Pipe()
            child.standardOutput = output
            try child.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            child.waitUntilExit()
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
            guard child.terminationStatus == 0, let core = lines.first else {
                throw BenchChildFailed(status: child.terminationStatus)
            }
            return (String(core), lines.dropFirst().compactMap { Double($0) })
        }
    }
}

/// The benchmark's child process did not report.
struct BenchChildFailed: Error, CustomStringConvertible {
    let status: Int32
    var description: String { "the benchmark's child process failed (exit status \(status))" }
}
