import ArgumentParser
import Foundation
import ZooCore
import ZooData
import ZooMLP
import ZooNN
import ZooNetwork
import ZooTensor

extension Zoo.Bench {
    /// `zoo bench mlp`: MLP training throughput (img/s) at steady state, its share of the machine's sgemm peak,
    /// and where one training step's time goes. Run by Benchmarks/mlp-throughput.sh.
    struct MLPThroughput: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mlp",
            abstract: "MLP training throughput in img/s (best steady-state epoch), sgemm share, time breakdown.")

        @OptionGroup var data: DataOptions

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
        }

        func run() throws {
            let hiddenSizes = hidden.split(separator: ",").compactMap { Int($0) }
            let train = try data.load().train.prefix(size)
            let environment = ProcessInfo.processInfo.environment
            print("OpenBLAS core \(openBLASCoreName()), \(openBLASThreadCount()) threads (OPENBLAS_CORETYPE="
                  + "\(environment["OPENBLAS_CORETYPE"] ?? "unset"), OPENBLAS_L2_SIZE="
                  + "\(environment["OPENBLAS_L2_SIZE"] ?? "unset")); \(processorCount) cores")

            var configuration = MLP.Configuration(hiddenSizes: hiddenSizes)
            configuration.training.batchSize = batchSize
            configuration.training.epochs = epochs
            // What MLP.fit trains: the learned layers, on inputs standardised once.
            let network = Sequential(configuration.makeLayers(input: InputShape(features: train.pixelsPerImage),
                                                              classCount: train.classCount))
            let loader = DataLoader(inputs: Standardize(fittedTo: train.inputs)(train.inputs), labels: train.labels,
                                    batchSize: batchSize, seed: 0)
            var rates: [Double] = []
            var cpuSeconds = processCPUSeconds()
            try Trainer(configuration.training, quiet: true).fit(network, loss: SoftmaxCrossEntropy(),
                                                                 data: loader) { report in
                let cpu = processCPUSeconds()
                rates.append(report.samplesPerSecond)
                print("epoch \(report.epoch): \(compactCount(report.samplesPerSecond)) img/s wall, "
                      + "\(compactCount(Double(loader.sampleCount) / (cpu - cpuSeconds))) img per CPU-second, "
                      + "loss \(fixed(report.trainingLoss, 4)), accuracy \(percent(report.trainingAccuracy))")
                cpuSeconds = cpu
            }
            let best = rates.dropFirst().max()!
            let widths = [train.pixelsPerImage] + hiddenSizes + [train.classCount]
            // Per image: forward 2·in·out per layer, backward 2·in·out for dW and (except the first layer) for dX.
            let flopsPerImage = zip(widths, widths.dropFirst()).enumerated().reduce(0.0) { total, layer in
                total + Double(layer.element.0 * layer.element.1) * (layer.offset == 0 ? 4 : 6)
            }
            let peak = sgemmGFLOPS(m: batchSize, k: widths[0], n: widths[1])
            let achieved = best * flopsPerImage / 1e9
            print("best steady-state epoch: \(compactCount(best)) img/s = \(fixed(achieved, 1)) GFLOP/s of GEMM work; "
                  + "sgemm \(batchSize)x\(widths[0])x\(widths[1]) alone: \(fixed(peak, 1)) GFLOP/s "
                  + "(\(percent(achieved / peak)) of it)")
            breakdown(network, loader, widths: widths)
        }

        /// Times the parts of one training step in isolation (best of `repeats`) and prints each one's share.
        private func breakdown(_ network: Sequential, _ loader: DataLoader, widths: [Int]) {
            var batches = loader.makeIterator()
            let batch = batches.next()!
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
                let outputs = network.forward(batch.inputs, training: true)
                network.backwardParametersOnly(loss.evaluate(outputs, labels: batch.labels).gradient)
                optimizer.step(parameters: parameters)
            }
            let gather = best { _ = loader.inputs.gatherRows(batch.indices) }
            let update = best { optimizer.step(parameters: parameters) }
            var generator = SeededGenerator(seed: 1)
            let layers = zip(widths, widths.dropFirst()).map { (input: $0, output: $1) }
            let gemm = best {
                for (index, layer) in layers.enumerated() {
                    let x = Tensor.uniform([batch.labels.count, layer.input], in: 0...1, using: &generator)
                    let w = Tensor(shape: [layer.output, layer.input], repeating: 0.01)
                    let g = Tensor(shape: [batch.labels.count, layer.output], repeating: 0.01)
                    var y = Tensor(shape: g.shape, repeating: 0), dW = w
                    Tensor.gemm(x, transposed: false, w, transposed: true, into: &y, accumulate: true)
                    Tensor.gemm(g, transposed: true, x, into: &dW, accumulate: false)
                    if index > 0 { _ = Tensor.matmul(g, w) }
                }
            }
            let inputsMaking = best {
                for layer in layers {
                    _ = Tensor.uniform([batch.labels.count, layer.input], in: 0...1, using: &generator)
                }
            }
            let gemmOnly = max(0, gemm - inputsMaking)
            let rest = max(0, step - gemmOnly - update)
            print("one step of \(batch.labels.count) (CPU time, best of \(repeats)): \(fixed(step * 1e3, 3)) ms + batch gather "
                  + "\(fixed(gather * 1e3, 3)) ms")
            for (name, seconds) in [("GEMM (same products alone)", gemmOnly), ("optimizer step (Adam)", update),
                                    ("elementwise, loss, copies", rest), ("batch gather (copy)", gather)] {
                print("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(fixed(seconds * 1e3, 3)) ms  "
                      + percent(seconds / (step + gather)))
            }
        }

        /// CPU seconds used by every thread of this process so far (what a loaded machine cannot steal).
        private func processCPUSeconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
        }

        /// Best-of-`repeats` GFLOP/s of one `[m, k] x [k, n]` sgemm.
        private func sgemmGFLOPS(m: Int, k: Int, n: Int) -> Double {
            var generator = SeededGenerator(seed: 0)
            let a = Tensor.uniform([m, k], in: -1...1, using: &generator)
            let b = Tensor.uniform([k, n], in: -1...1, using: &generator)
            var c = Tensor(shape: [m, n], repeating: 0)
            var fastest = Double.infinity
            for _ in 0...repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                Tensor.gemm(a, b, into: &c, accumulate: false)
                fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
            }
            return 2 * Double(m * k * n) / fastest / 1e9
        }
    }
}
