import ArgumentParser
import Foundation
import ZooCore
import ZooInception
import ZooMLP
import ZooNN
import ZooNetwork
import ZooTensor

extension ZooBench {
    /// `zoo-bench inception`: training throughput and single-digit latency of the small Inception network, printed
    /// as one JSON object with the same fields as Benchmarks/inception/pytorch_inception.py.
    struct Inception: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Training img/s and single-digit inference ms of InceptionNet, as JSON.")

        @OptionGroup var data: BenchDataOptions

        @Option(help: "Images per timed training run (the first ones of the training set).")
        var images = 2560

        @Option(help: "Timed training runs; the fastest is reported.")
        var repeats = 3

        @Option(help: "Mini-batch size.")
        var batchSize = InceptionNet.Configuration().training.batchSize

        @Option(help: "Also train on the first N training images and report test accuracy (0: skip).")
        var trainSize = 0

        @Option(help: "Adam learning rate for --train-size (default: InceptionNet's).")
        var learningRate: Float?

        @Option(help: "Learning-rate schedule for --train-size (default: InceptionNet's).")
        var schedule = InceptionNet.Configuration().training.schedule

        @Option(help: "Epochs for --train-size.")
        var epochs = InceptionNet.Configuration().training.epochs

        @Flag(help: "Print each top-level layer's forward and backward time for one batch on stderr.")
        var profile = false

        @Option(help: ArgumentHelp("Also time inference over the 10k test images at these batch sizes, for the "
                                   + "Inception network and the default MLP (comma-separated; empty: skip).",
                                   valueName: "sizes"))
        var inferenceBatches = ""

        func validate() throws {
            if images < batchSize || batchSize < 1 { throw ValidationError("--images must be ≥ --batch-size ≥ 1") }
            if repeats < 1 || epochs < 1 || trainSize < 0 {
                throw ValidationError("--repeats and --epochs must be ≥ 1, --train-size ≥ 0")
            }
        }

        func run() throws {
            let split = try data.load()
            let training = try split.train.prefix(images)
            var fields: [(String, String)] = [
                ("framework", "\"zoo\""), ("threads", "\(processorCount)"),
                ("openblas_core", "\"\(openBLASCoreName())\""), ("batch_size", "\(batchSize)"),
                ("parameters", "\(Self.makeNetwork().parameterCount)"),
            ]
            if profile { profileLayers(training.inputs.rows(0..<batchSize), training.labels) }
            for size in inferenceBatches.split(separator: ",").compactMap({ Int($0) }) where size > 0 {
                fields += inferenceRates(split.test.inputs, batch: size)
            }

            var best = 0.0, cpuMilliseconds = Double.infinity
            var fitted: InceptionNet?
            for run in 0..<repeats {
                let cpuStart = processCPUSeconds()
                var configuration = InceptionNet.Configuration()
                configuration.training.epochs = 1
                configuration.training.batchSize = batchSize
                let model = InceptionNet(configuration)
                try model.fit(training.inputs, training.labels, quiet: true)
                let rate = model.history?.epochs.first?.samplesPerSecond ?? 0
                cpuMilliseconds = min(cpuMilliseconds, (processCPUSeconds() - cpuStart) * 1000 / Double(images))
                printProgress("run \(run + 1)/\(repeats): \(Int(rate)) img/s")
                best = max(best, rate)
                fitted = model
            }
            fields.append(("train_images_per_second", String(format: "%.1f", best)))
            fields.append(("train_cpu_ms_per_image", String(format: "%.3f", cpuMilliseconds)))
            if let fitted {
                fields.append(("inference_ms_per_digit",
                               String(format: "%.3f", singleDigitMilliseconds(fitted, training.inputs.rows(0..<1)))))
            }

            if trainSize > 0 {
                var configuration = InceptionNet.Configuration()
                configuration.training.epochs = epochs
                configuration.training.batchSize = batchSize
                if let learningRate { configuration.training.optimizer.learningRate = learningRate }
                configuration.training.schedule = schedule
                let model = InceptionNet(configuration)
                let subset = try split.train.prefix(trainSize)
                let start = Date()
                var accuracy = 0.0
                try model.fit(subset.inputs, subset.labels) { report in
                    accuracy = ZooCore.accuracy(predicted: (try? model.predict(split.test.inputs)) ?? [],
                                                labels: split.test.labels)
                    printProgress("epoch \(report.epoch): test accuracy \(accuracy), "
                                  + "\(Int(Date().timeIntervalSince(start))) s so far")
                }
                let seconds = Date().timeIntervalSince(start)
                fields += [("train_size", "\(trainSize)"), ("epochs", "\(epochs)"),
                           ("learning_rate", "\(configuration.training.optimizer.effectiveLearningRate)"),
                           ("schedule", "\"\(schedule)\""),
                           ("train_seconds", String(format: "%.1f", seconds)),
                           ("test_accuracy", String(format: "%.4f", accuracy))]
            }
            print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        }

        /// The untrained Inception network for MNIST: `[N, 784] -> [N, 10]` logits.
        private static func makeNetwork() -> Sequential {
            InceptionNet.Configuration().makeNetwork(input: InputShape(height: 28, width: 28, channels: 1), classCount: 10)
        }

        /// Best-of-200 time of `InceptionNet.forward` (class probabilities) on one 28x28 digit, in milliseconds.
        private func singleDigitMilliseconds(_ model: InceptionNet, _ digit: Tensor) -> Double {
            _ = try? model.forward(digit)
            return fastestWallSeconds(repeats: 200) { _ = try? model.forward(digit) } * 1e3
        }

        /// Test images per second of an untrained network's inference forward pass (the work is the same as a
        /// trained one's) over `inputs`, `batch` rows at a time, and its CPU time per image: best of 3, for the
        /// Inception network and the default MLP. The sizes an evaluation should use come from these.
        private func inferenceRates(_ inputs: Tensor, batch: Int) -> [(String, String)] {
            let shape = InputShape(height: 28, width: 28, channels: 1)
            let networks: [(String, Sequential)] = [
                ("inception", Self.makeNetwork()),
                ("mlp", MLP.Configuration().makeNetwork(input: shape, classCount: 10)),
            ]
            return networks.flatMap { name, network -> [(String, String)] in
                var cpu = Double.infinity
                let seconds = fastestWallSeconds(repeats: 3) {
                    let cpuStart = processCPUSeconds()
                    for start in stride(from: 0, to: inputs.rows, by: batch) {
                        _ = network.forward(inputs.rows(start..<min(start + batch, inputs.rows)), training: false)
                    }
                    cpu = min(cpu, processCPUSeconds() - cpuStart)
                }
                printProgress("\(name) inference, batch \(batch): \(Int(Double(inputs.rows) / seconds)) img/s")
                return [("\(name)_inference_batch_\(batch)_images_per_second",
                         String(format: "%.0f", Double(inputs.rows) / seconds)),
                        ("\(name)_inference_batch_\(batch)_cpu_us_per_image",
                         String(format: "%.1f", cpu * 1e6 / Double(inputs.rows)))]
            }
        }

        /// Best-of-5 forward and backward time of every top-level layer for one batch, on stderr.
        private func profileLayers(_ inputs: Tensor, _ labels: [Int]) {
            let network = Self.makeNetwork()
            func milliseconds(_ body: () -> Void) -> Double {
                var best = Double.infinity
                for _ in 0..<5 {
                    let start = DispatchTime.now().uptimeNanoseconds
                    body()
                    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-6)
                }
                return best
            }
            var activations = [inputs]
            for layer in network.layers { activations.append(layer.forward(activations.last!, training: true)) }
            var gradient = SoftmaxCrossEntropy().evaluate(activations.last!, labels: Array(labels[..<inputs.rows]))
                .gradient
            var total = 0.0
            for (index, layer) in network.layers.enumerated().reversed() {
                let forward = milliseconds { _ = layer.forward(activations[index], training: true) }
                var next = gradient
                let backward = milliseconds { next = layer.backward(gradient) }
                gradient = next
                total += forward + backward
                let name = String(layer.description.split(separator: "\n")[0].prefix(90))
                printProgress(name.padding(toLength: 92, withPad: " ", startingAt: 0)
                              + String(format: "forward %7.2f ms  backward %7.2f ms", forward, backward))
            }
            printProgress(String(format: "total %.1f ms per batch of %d", total, inputs.rows))
        }
    }
}
