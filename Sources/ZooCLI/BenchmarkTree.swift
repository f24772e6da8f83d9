import ArgumentParser
import Foundation
import ZooCore
import ZooData
import ZooTree

extension Zoo {
    /// Fits the decision tree on the first N MNIST training images and prints one JSON record (the fields of
    /// Benchmarks/tree/sklearn_tree.py), for Benchmarks/tree/run.sh. Hidden: `zoo train --model tree --json`
    /// is the user-facing command.
    struct BenchmarkTree: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "benchmark-tree", abstract: "Time the decision tree on MNIST (JSON on stdout).",
            shouldDisplay: false)

        @Option(help: "Folder holding mnist/ (default: $ZOO_DATA).")
        var data: String?
        @Option(help: "Number of training images (the first N).")
        var size = 60000
        @Option(help: "Deepest level (default: no limit).")
        var maxDepth: Int?
        @Option(help: "Split criterion: gini or entropy.")
        var criterion = "gini"
        @Option(help: "Fits to time; the best is reported.")
        var repeats = 3

        func run() throws {
            guard let folder = data ?? ProcessInfo.processInfo.environment["ZOO_DATA"] else {
                throw ValidationError("pass --data or set ZOO_DATA to the folder that holds mnist/")
            }
            guard let criterion = SplitCriterion(rawValue: criterion) else {
                throw ValidationError("--criterion must be gini or entropy")
            }
            let digits = (0...9).map(String.init)
            func load(_ part: String) throws -> Dataset {
                try Dataset.load(name: "mnist/\(part)", images: "\(folder)/mnist/\(part)-images-idx3-ubyte.gz",
                                 labels: "\(folder)/mnist/\(part)-labels-idx1-ubyte.gz", classNames: digits)
            }
            let train = try load("train").prefix(size)
            let test = try load("t10k")
            let tree = DecisionTree(.init(criterion: criterion, maxDepth: maxDepth))
            var fitSeconds = Double.infinity
            var fitCPUSeconds = Double.infinity
            for _ in 0..<max(1, repeats) {
                let (start, startCPU) = (Date(), processCPUSeconds())
                try tree.fit(train.inputs, train.labels, classCount: train.classCount)
                fitSeconds = min(fitSeconds, Date().timeIntervalSince(start))
                fitCPUSeconds = min(fitCPUSeconds, processCPUSeconds() - startCPU)
            }
            var predictSeconds = Double.infinity
            var predicted = [Int]()
            for _ in 0..<max(1, repeats) {
                let start = Date()
                predicted = tree.predict(test.inputs)
                predictSeconds = min(predictSeconds, Date().timeIntervalSince(start))
            }
            let nodes = tree.nodes!
            let record: [String: Any] = [
                "model": "tree", "implementation": "zoo", "dataset": "mnist", "size": size, "seed": 0,
                "criterion": criterion.rawValue, "max_depth": maxDepth as Any? ?? NSNull(),
                "test_accuracy": accuracy(predicted: predicted, labels: test.labels),
                "train_accuracy": accuracy(predicted: tree.predict(train.inputs), labels: train.labels),
                "fit_seconds": fitSeconds, "fit_cpu_seconds": fitCPUSeconds, "predict_seconds": predictSeconds,
                "predict_rows_per_second": Double(test.count) / predictSeconds,
                "parameters": tree.parameterCount, "nodes": nodes.nodeCount, "leaves": nodes.leafCount,
                "depth": nodes.depth, "repeats": repeats,
            ]
            let json = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
            print(String(decoding: json, as: UTF8.self))
        }
    }
}

/// CPU time used by all threads of this process so far: on a machine shared with other jobs it shows the work
/// done, where wall time also counts waiting for a core.
private func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
