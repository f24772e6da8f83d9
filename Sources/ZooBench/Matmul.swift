import ArgumentParser
import Foundation
import ZooTensor

extension ZooBench {
    /// `zoo-bench matmul`: GFLOP/s of `Tensor.gemm` (OpenBLAS sgemm) for the zoo's typical shapes, best of N.
    struct Matmul: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "GFLOP/s of Tensor.gemm for [m, k] x [k, n] shapes, best of N runs.",
            discussion: "Measures with the OpenBLAS core this process got; Benchmarks/matmul.sh runs it a second "
                + "time with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset and prints the ratio.")

        @Option(help: "Comma-separated shapes MxKxN: [M, K] x [K, N].")
        var shapes = "128x784x256,128x256x10,10000x784x256"

        @Option(help: "Timed runs per shape; the fastest is reported.")
        var repeats = 20

        @Flag(help: "One JSON object per shape (with the OpenBLAS core) instead of a table.")
        var json = false

        func validate() throws {
            _ = try parsedShapes()
            if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        }

        func run() throws {
            let shapes = try parsedShapes()
            if !json { print(openBLASLine() + ", best of \(repeats)\nshape (MxKxN)      GFLOP/s") }
            for shape in shapes {
                let gflops = sgemmGFLOPS(m: shape.m, k: shape.k, n: shape.n, repeats: repeats)
                let name = "\(shape.m)x\(shape.k)x\(shape.n)"
                if json {
                    print("{\"shape\": \"\(name)\", \"gflops\": \(String(format: "%.2f", gflops)), "
                          + "\"openblas_core\": \"\(openBLASCoreName())\", \"threads\": \(openBLASThreadCount())}")
                } else {
                    print(name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%9.1f", gflops))
                }
            }
        }

        private func parsedShapes() throws -> [(m: Int, k: Int, n: Int)] {
            try shapes.split(separator: ",").map { text in
                let sizes = text.split(separator: "x").compactMap { Int($0) }
                // Each matrix at most 2^28 floats (1 GiB), so a typo cannot ask for more memory than the machine has.
                guard sizes.count == 3, sizes.allSatisfy({ $0 > 0 && $0 <= 1 << 20 }),
                      sizes[0] * sizes[1] <= 1 << 28, sizes[1] * sizes[2] <= 1 << 28, sizes[0] * sizes[2] <= 1 << 28
                else {
                    throw ValidationError("shape '\(text)' is not MxKxN with positive sizes and matrices of at "
                                          + "most 2^28 floats")
                }
                return (sizes[0], sizes[1], sizes[2])
            }
        }
    }
}
