import ArgumentParser
import Foundation
import ZooCore
import ZooData
import ZooHarness
import ZooTree

extension Zoo {
    /// `zoo train --model mlp --size 10k`: trains one family on part of a dataset's training set and reports how it
    /// does on the whole test set.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train one model family and report its test accuracy, loss and timings.",
            discussion: """
                Trains on the first N training images (or a stratified sample) and tests on the full test set. \
                Results go to stdout (one JSON object with --json); the progress bar goes to stderr.
                Example: zoo train --model mlp --size 10k --hidden 256,128 --optimizer momentum
                """)

        @Option(help: "The model family to train.")
        var model: ModelKind

        @OptionGroup var data: DataOptions

        @OptionGroup(title: "Your own data")
        var ownData: OwnDataOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("Training samples: any count (such as 500, 2.5k or 60k) or all.",
                                   valueName: "count"),
                transform: SampleSize.init(parsing:))
        var size: SampleSize = .all

        @Flag(help: "Take a seeded stratified sample (each class keeps its share) instead of the first N.")
        var stratified = false

        @OptionGroup var training: TrainingArguments

        @Flag(help: "Print one JSON object (model, dataset, size, seed, test_accuracy, ...) instead of text.")
        var json = false

        @Option(help: ArgumentHelp("Save the fitted model to this .safetensors file (read by zoo eval, zoo "
                                   + "classify, Python's safetensors).", valueName: "file"))
        var save: String?

        @Option(help: ArgumentHelp("With --save: also write a Markdown model card (architecture, command, "
                                   + "accuracy, confusion matrix, fit time, machine).", valueName: "file"))
        var card: String?

        @Flag(help: "Decision tree: also print its top levels as if-then rules (on stderr with --json).")
        var rules = false

        @Option(help: ArgumentHelp("Decision tree: levels of rules --rules prints.", valueName: "levels"))
        var rulesDepth = 3

        func validate() throws {
            if card != nil && save == nil { throw ValidationError("--card needs --save") }
            if rules && model != .tree { throw ValidationError("--rules needs --model tree") }
            if rulesDepth < 0 { throw ValidationError("--rules-depth must be at least 0") }
        }

        func run() throws {
            let options = try training.options()
            let prepared = try ownData.load(registered: data, seed: options.seed)
            let split = prepared.split
            if model.readsImages && !prepared.isImages {
                throw ValidationError("--model \(model) learns from images only; \(prepared.name) is a table")
            }
            if prepared.description != nil && !training.quiet { printProgress(prepared.summary) }
            let trainingSize = try size.resolve(available: split.train.count)
            let run = TrainingRun(kind: model, datasetName: prepared.name, size: size, stratified: stratified,
                                  options: prepared.description == nil ? options
                                      : options.forSmallData(model, trainingSize: trainingSize),
                                  quiet: training.quiet)
            let (record, fitted) = try run.run(on: split)
            if let save {
                try saveModel(fitted, record: record, test: split.test, data: prepared.description,
                              augmentation: run.options.training.augmentation, to: save)
            }
            let ruleText = rules ? (fitted as? DecisionTree)?.nodes?.rules(
                depth: rulesDepth, imageShape: split.train.imageShape, classNames: split.train.classNames) : nil
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(record), as: UTF8.self))
                if let ruleText { printProgress(ruleText) }
                return
            }
            print(fitted)
            print("""
                trained on \(record.size - (record.calibrationSize ?? 0)) \(record.stratified ? "stratified " : "")\(record.dataset) samples, seed \(record.seed)
                test accuracy   \(Format.percent(record.testAccuracy))
                train accuracy  \(Format.percent(record.trainAccuracy))
                final loss      \(Format.fixed(record.finalLoss, 4))
                \(calibrationLines(record))
                fit time        \(Format.fixed(record.fitSeconds, 2)) s
                predict time    \(Format.fixed(record.predictSeconds, 3)) s (\(split.test.count) test samples)
                parameters      \(record.parameters)
                """)
            if let ruleText { print("\n" + ruleText) }
        }

        /// The calibration's lines of the text report: what it was fitted on, and the test set's log-loss and
        /// ECE after (and before) it.
        private func calibrationLines(_ record: TrainingRecord) -> String {
            let logLoss = record.testLogLoss.map { Format.fixed($0, 4) } ?? "–"
            let ece = record.testCalibrationError.map { Format.fixed($0, 4) } ?? "–"
            guard let calibration = record.calibration, let heldOut = record.calibrationSize, heldOut > 0 else {
                return "calibration     none (nothing held out)\n"
                    + "test log-loss   \(logLoss)\ntest ECE        \(ece)"
            }
            let fitted = calibration.smoothing > 0 ? "smoothing \(Format.fixed(calibration.smoothing, 4))"
                : "temperature \(Format.fixed(calibration.temperature, 3))"
            let before = (record.testUncalibratedLogLoss.map { Format.fixed($0, 4) } ?? "–",
                          record.testUncalibratedCalibrationError.map { Format.fixed($0, 4) } ?? "–")
            return "calibration     \(fitted), fitted on \(heldOut) held-out samples\n"
                + "test log-loss   \(logLoss) (uncalibrated \(before.0))\n"
                + "test ECE        \(ece) (uncalibrated \(before.1))"
        }

        /// Writes the model file and, with `--card`, its model card. The accuracy recorded is the one `zoo eval`
        /// measures (batched prediction of the test set).
        private func saveModel(_ fitted: any Model, record: TrainingRecord, test: Dataset, data: DataDescription?,
                               augmentation: Augmentation?, to path: String) throws {
            let calibration = record.calibration ?? .identity
            let evaluation = try TestSetEvaluation(model: fitted, dataset: test, calibration: calibration)
            let provenance = ModelProvenance(dataset: record.dataset,
                                             trainingSize: record.size - (record.calibrationSize ?? 0),
                                             seed: record.seed, testAccuracy: evaluation.accuracy, data: data)
            try SavedModels.save(fitted, provenance: provenance, calibration: calibration, to: path)
            printProgress("saved \(path)")
            guard let card else { return }
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            let command = (["zoo"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
            var modelCard = ModelCard(name: name, architecture: fitted.description, command: command,
                                      provenance: provenance, confusion: evaluation.confusion,
                                      classNames: test.classNames, fitSeconds: record.fitSeconds,
                                      family: fitted.family, inceptionWidth: ModelCard.inceptionWidth(of: fitted))
            if let heldOut = record.calibrationSize, heldOut > 0 {
                modelCard.calibration = CardCalibration(
                    calibration: calibration,
                    fittedOn: "the \(heldOut) of its \(record.size) training samples held out of the fit "
                        + "(stratified, seed \(record.seed))",
                    testLogLoss: evaluation.logLoss, testCalibrationError: evaluation.expectedCalibrationError)
            }
            modelCard.augmentation = augmentation
            if !test.isTable, let shifted = try? test.styleShifted(seed: 0) {
                modelCard.styleShiftAccuracy = try TestSetEvaluation(model: fitted, dataset: shifted).accuracy
            }
            try writeAtomically(Array(modelCard.markdown.utf8), to: card)
            printProgress("wrote \(card)")
        }
    }
}
