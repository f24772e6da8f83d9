import ArgumentParser
import Foundation
import ZooHarness

extension Zoo {
    /// `zoo eval FILE`: a saved model's accuracy and confusion matrix on a dataset's test part.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a saved model on a dataset's test part.",
            discussion: "Prints the accuracy and the confusion matrix, and compares the accuracy with the one "
                + "recorded in the model file.")

        @Argument(help: ArgumentHelp("The model file (.safetensors) to evaluate.", valueName: "file"))
        var modelFile: String

        @OptionGroup var data: DataOptions

        func run() throws {
            let saved = try SavedModels.load(modelFile)
            let split = try data.load()
            let summary = saved.model.description.split(separator: "\n").first.map(String.init) ?? saved.model.family
            printProgress("evaluating \(summary) on \(split.test.count) test images")
            let clock = ContinuousClock()
            let start = clock.now
            let evaluation = try TestSetEvaluation(model: saved.model, dataset: split.test)
            let seconds = (clock.now - start) / .seconds(1)
            let provenance = saved.file.provenance
            print("model:      \(saved.path): \(summary)")
            print("trained on: \(provenance.dataset), \(provenance.trainingSize) images, seed \(provenance.seed), "
                  + "zoo \(provenance.zooVersion)")
            print("dataset:    \(data.dataset.descriptor.name) test, \(split.test.count) images")
            print(String(format: "accuracy:   %.2f%% (%.1f s)", 100 * evaluation.accuracy, seconds))
            if let recorded = provenance.testAccuracy {
                print(String(format: "recorded:   %.2f%% (difference %+.2f points)", 100 * recorded,
                             100 * (evaluation.accuracy - recorded)))
            }
            print(confusionTable(evaluation.confusion, classNames: split.test.classNames))
        }
    }
}
