import ArgumentParser
import Foundation
import ZooCore
import ZooMLP
import ZooNN
import ZooTensor

extension ZooBench {
    /// `zoo-bench mlp`: MLP training throughput (img/s) of `MLP.fit` at steady state, its share of the machine's
    /// sgemm peak, and where one training step of the fitted network's layers goes. Run by
    /// Benchmarks/mlp/throughput.sh.
    struct MLPThroughput: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mlp",
            abstract: "MLP.fit throughput in img/s (best steady-state epoch), sgemm share, step breakdown.")

        @OptionGroup var data: BenchDataOptions

        @Option(help: "MLP hidden layer widths, comma-separated.")
        var hidden = "256"

        @Option(help: "Samples per mini-batch.")
        var batchSize = 128

        @Option(help: "Epochs to run; the first is a warm-up and is excluded, the best of the rest is reported.")
        var epochs = 4

        @Option(help: "Training samples (the first N).")
        var size = 60_000

        @Option(help: "Timed repetitions of each part of the step breakdown; the fastest is kept.")
        var repeats = 50

        func validate() throws {
            if epochs < 2 { throw ValidationError("--epochs must be at least 2 (the first is a warm-up)") }
            if batchSize < 2 || size < batchSize { throw ValidationError("need --size ≥ --batch-size ≥ 2") }
            if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
            _ = try hiddenSizes()
        }

        private func hiddenSizes() throws -> [Int] {
            let sizes = hidden.split(separator: ",").map { Int($0) }
            guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 1 << 16 }) else {
                throw ValidationError("--hidden '\(hidden)' is not a list of widths in 1...65536 such as 256,128")
            }
            return sizes.compactMap { $0 }
        }

        func run() throws {
            let hiddenSizes = try hiddenSizes()
            let train = try data.load().train.prefix(size)
            print(openBLASLine() + "; \(processorCount) cores")

            // What `zoo train --model mlp --hidden H --batch-size B --epochs N` runs.
            var configuration = MLP.Configuration(hiddenSizes: hiddenSizes)
            configuration.training.batchSize = batchSize
            configuration.training.epochs = epochs
            let model = MLP(configuration)
            let cpuStart = processCPUSeconds()
            try model.fit(train.inputs, train.labels, quiet: true)
            let cpuSeconds = processCPUSeconds() - cpuStart
            guard let history = model.history, let network = model.network else { return }
            for report in history.epochs {
                print("epoch \(report.epoch): \(Format.compact(report.samplesPerSecond)) img/s wall, "
                      + "loss \(Format.fixed(report.trainingLoss, 4)), accuracy \(Format.percent(report.trainingAccuracy))")
            }
            print("whole fit: \(Format.compact(Double(train.count * epochs) / cpuSeconds)) img per CPU-second "
                  + "(all threads, standardisation included)")
            let best = history.epochs.dropFirst().map(\.samplesPerSecond).max() ?? 0
            let widths = [train.pixelsPerImage] + hiddenSizes + [train.classCount]
            // Per image: forward 2·in·out per layer, backward 2·in·out for dW and (except the first layer) for dX.
            let flopsPerImage = zip(widths, widths.dropFirst()).enumerated().reduce(0.0) { total, layer in
                total + Double(layer.element.0 * layer.element.1) * (layer.offset == 0 ? 4 : 6)
            }
            let peak = sgemmGFLOPS(m: batchSize, k: widths[0], n: widths[1], repeats: repeats)
            let achieved = best * flopsPerImage / 1e9
            print("best steady-state epoch: \(Format.compact(best)) img/s = \(Format.fixed(achieved, 1)) GFLOP/s of GEMM work; "
                  + "sgemm \(batchSize)x\(widths[0])x\(widths[1]) alone: \(Format.fixed(peak, 1)) GFLOP/s "
                  + "(\(Format.percent(achieved / peak)) of it)")
            breakdown(network, inputs: train.inputs.rows(0..<batchSize), labels: Array(train.labels[..<batchSize]),
                      widths: widths)
        }

        /// Times the parts of one training step of the fitted network in isolation (CPU time, best of `repeats`)
        /// through the layers' public API, and prints each part's share. A profile, not the throughput: the
        /// throughput above is `MLP.fit`'s own.
        private func breakdown(_ network: Sequential, inputs: Tensor, labels: [Int], widths: [Int]) {
            let optimizer = Adam()
            let loss = SoftmaxCrossEntropy()
            let parameters = network.parameters
            // CPU time, not wall time: on a machine shared with other jobs, being descheduled must not count.
            func best(_ body: () -> Void) -> Double {
                body()
                var fastest = Double.infinity
                for _ in 0..<repeats {
                    let start = processCPUSeconds()
                    body()
                    fastest = min(fastest, processCPUSeconds() - start)
                }
                return fastest
            }
            let step = best {
                let outputs = network.forward(inputs, training: true)
                network.backwardParametersOnly(loss.evaluate(outputs, labels: labels).gradient)
                optimizer.step(parameters: parameters)
            }
            let update = best { optimizer.step(parameters: parameters) }
            // Each Linear's own products as the step runs them (AVX-512 dense kernels, or OpenBLAS without them),
            // on the activations the step itself produces.
            let rows = labels.count
            var activation = inputs, firstLinear = true
            var gemmParts: [(String, Double)] = []
            for layer in network.layers {
                if let linear = layer as? Linear {
                    let x = activation
                    let g = Tensor(shape: [x.shape[0], linear.outputSize], repeating: 0.01)
                    let name = "\(linear.inputSize)→\(linear.outputSize)"
                    gemmParts.append(("\(name) forward", best { _ = linear.forward(x, training: true) }))
                    gemmParts.append(("\(name) dW, db", best { linear.backwardWithoutInputGradient(g) }))
                    // The first Linear's input gradient is never computed (nothing before it learns).
                    if !firstLinear {
                        let both = best { _ = linear.backward(g) }
                        gemmParts.append(("\(name) dX", max(0, both - gemmParts[gemmParts.count - 1].1)))
                    }
                    firstLinear = false
                }
                activation = layer.forward(activation, training: true)
            }
            let lossTime = best { _ = loss.evaluate(activation, labels: labels) }
            let gatherIndices = (0..<rows).map { ($0 * 7919) % max(1, inputs.shape[0]) }
            let gather = best { _ = inputs.gatherRows(gatherIndices) }
            let gemm = gemmParts.reduce(0) { $0 + $1.1 }
            print("Linear kernels: " + (Linear.usesDenseKernels ? "CKernels AVX-512 dense" : "OpenBLAS"))
            for (name, seconds) in gemmParts {
                print("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(Format.fixed(seconds * 1e3, 3)) ms  "
                      + Format.percent(seconds / step))
            }
            print("  loss (softmax cross-entropy)  \(Format.fixed(lossTime * 1e3, 3)) ms; gather of a batch "
                  + "(outside the step) \(Format.fixed(gather * 1e3, 3)) ms")
            let rest = max(0, step - gemm - update)
            print("one step of \(rows) (CPU time, best of \(repeats)): \(Format.fixed(step * 1e3, 3)) ms")
            for (name, seconds) in [("products (all Linear parts)", gemm), ("optimizer step (Adam)", update),
                                    ("elementwise, loss, copies", rest)] {
                print("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(Format.fixed(seconds * 1e3, 3)) ms  "
                      + Format.percent(seconds / step))
            }
        }
    }
}
