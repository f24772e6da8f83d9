import ArgumentParser
import ZooCore
import ZooData
import ZooHarness
import ZooTree

extension Zoo {
    /// `zoo explain --model tree --depth 3`: trains a model and shows what it learned, in the family's own
    /// terms (a tree: its top levels as if-then rules over pixels, with the training samples at each node).
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a model and show what it learned (a decision tree: its top rules).",
            discussion: "Example: zoo explain --model tree --size 60k --depth 3")

        @Option(help: "The model family to explain (tree).")
        var model: ModelKind

        @OptionGroup var data: DataOptions

        @Option(help: "Training samples: a count (500, 1k, 10k, 60k) or all.")
        var size: SampleSize = .all

        @Option(help: "Decision tree: how many levels of rules to print.")
        var depth = 3

        @OptionGroup var training: TrainingArguments

        func validate() throws {
            guard depth >= 0 else { throw ValidationError("--depth must be at least 0") }
            guard model == .tree else {
                throw ValidationError("zoo explain supports --model tree so far (not \(model.rawValue))")
            }
        }

        func run() throws {
            let split = try data.load()
            let run = TrainingRun(kind: model, datasetName: data.dataset.descriptor.name, size: size,
                                  options: try training.options())
            let (record, fitted) = try run.run(on: split)
            printProgress("trained \(model.rawValue) on \(record.size) samples: test accuracy "
                          + percent(record.testAccuracy) + ", fit \(fixed(record.fitSeconds, 2)) s")
            switch model {
            case .tree:
                guard let nodes = (fitted as? DecisionTree)?.nodes else { return }
                print(nodes.rules(depth: depth, imageShape: split.train.imageShape,
                                  classNames: split.train.classNames))
            case .linear, .logistic, .perceptron, .mlp, .inception:
                throw ValidationError("zoo explain supports --model tree so far (not \(model.rawValue))")
            }
        }
    }
}
