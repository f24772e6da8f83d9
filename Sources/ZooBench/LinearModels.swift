import ArgumentParser
import Foundation
import ZooCore
import ZooData
import ZooLinear
import ZooPerceptron
import ZooTensor

extension ZooBench {
    /// `zoo-bench linear`: fit time (best of N) and test accuracy of least squares and the perceptron (plain and
    /// averaged) on the first N MNIST training images. Benchmarks/linear_vs_sklearn.py runs it next to
    /// scikit-learn's counterparts and prints the ratios.
    struct LinearModels: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "linear",
            abstract: "Fit time and test accuracy of least squares and the perceptron, best of N runs.")

        @OptionGroup var data: BenchDataOptions

        @Option(help: "Comma-separated training-set sizes (the first N images).")
        var sizes = "10000,60000"

        @Option(help: "Timed fits per model and size; the fastest is reported.")
        var repeats = 3

        @Option(help: "Perceptron epochs.")
        var epochs = Perceptron.Configuration().epochs

        @Flag(help: "One JSON object per line instead of a table.")
        var json = false

        func validate() throws {
            guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
            guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
            guard !parsedSizes.isEmpty, parsedSizes.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--sizes must list positive counts, e.g. 10000,60000")
            }
        }

        private var parsedSizes: [Int] { sizes.split(separator: ",").compactMap { Int($0) } }

        func run() throws {
            let split = try data.load()
            if !json {
                print(openBLASLine() + "; \(processorCount) cores; best of \(repeats)")
                print("model                       size   fit s   test accuracy")
            }
            let models: [(name: String, make: () -> any Model)] = [
                ("least squares", { LinearRegression() }),
                ("perceptron", { Perceptron(.init(epochs: epochs)) }),
                ("averaged perceptron", { Perceptron(.init(epochs: epochs, averaged: true)) }),
            ]
            for size in parsedSizes {
                let train = try split.train.prefix(size)
                for (name, make) in models {
                    var model = make()
                    let best = try fastestWallSeconds(repeats: repeats) {
                        model = make()
                        try model.fit(train.inputs, train.labels)
                    }
                    let testAccuracy = accuracy(predicted: try model.predict(split.test.inputs), labels: split.test.labels)
                    if json {
                        print("{\"model\": \"\(name)\", \"size\": \(size), \"fit_seconds\": \(best), "
                              + "\"test_accuracy\": \(testAccuracy), \"openblas_core\": \"\(openBLASCoreName())\"}")
                    } else {
                        print(name.padding(toLength: 24, withPad: " ", startingAt: 0)
                              + String(format: "%7d %7.3f   %.4f", size, best, testAccuracy))
                    }
                }
            }
        }
    }
}
