import ArgumentParser
import Foundation
import ZooCore
import ZooData
import ZooTensor
import ZooTree

extension ZooBench {
    /// `zoo-bench tree`: fit and predict time (best of N) and accuracy of the decision tree on the first N
    /// training images, as one JSON object with the fields of Benchmarks/tree/sklearn_tree.py.
    /// Benchmarks/tree/run.sh runs both and prints the ratios.
    struct Tree: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tree",
            abstract: "Fit/predict time and accuracy of the decision tree, best of N runs, as JSON.")

        @OptionGroup var data: BenchDataOptions

        @Option(help: "Training images (the first N).")
        var size = 60000

        @Option(help: "Deepest level (default: no limit).")
        var maxDepth: Int?

        @Option(help: "Split criterion.")
        var criterion: SplitCriterion = .gini

        @Option(help: "Timed fits and predictions; the fastest is reported.")
        var repeats = 3

        func validate() throws {
            guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
            guard size >= 1 else { throw ValidationError("--size must be at least 1") }
        }

        func run() throws {
            let split = try data.load()
            let train = try split.train.prefix(size)
            let test = split.test
            let tree = DecisionTree(.init(criterion: criterion, maxDepth: maxDepth))
            var fit = (seconds: Double.infinity, cpuSeconds: Double.infinity)
            for _ in 0..<repeats {
                let (start, startCPU) = (Date(), processCPUSeconds())
                try tree.fit(train.inputs, train.labels, classCount: train.classCount)
                fit.seconds = min(fit.seconds, Date().timeIntervalSince(start))
                fit.cpuSeconds = min(fit.cpuSeconds, processCPUSeconds() - startCPU)
            }
            var predictSeconds = Double.infinity
            var predicted = [Int]()
            for _ in 0..<repeats {
                let start = Date()
                predicted = try tree.predict(test.inputs)
                predictSeconds = min(predictSeconds, Date().timeIntervalSince(start))
            }
            guard let nodes = tree.nodes else { return }
            let record: [String: Any] = [
                "model": "tree", "implementation": "zoo", "dataset": data.dataset, "size": size,
                "seed": 0, "criterion": criterion.rawValue, "max_depth": maxDepth.map { $0 as Any } ?? NSNull(),
                "test_accuracy": accuracy(predicted: predicted, labels: test.labels),
                "train_accuracy": accuracy(predicted: try tree.predict(train.inputs), labels: train.labels),
                "fit_seconds": fit.seconds, "fit_cpu_seconds": fit.cpuSeconds, "predict_seconds": predictSeconds,
                "predict_rows_per_second": Double(test.count) / predictSeconds, "parameters": tree.parameterCount,
                "nodes": nodes.nodeCount, "leaves": nodes.leafCount, "depth": nodes.depth, "repeats": repeats,
                "threads": processorCount,
            ]
            let json = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
            print(String(decoding: json, as: UTF8.self))
        }
    }
}

