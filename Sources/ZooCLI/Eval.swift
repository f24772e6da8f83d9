import ArgumentParser
import Foundation
import ZooData
import ZooHarness

extension Zoo {
    /// `zoo eval --model-file FILE`: a saved model's accuracy and confusion matrix on a dataset's test part.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a saved model on a dataset's test part.",
            discussion: "Prints the accuracy and the confusion matrix (one JSON object with --json), and compares "
                + "the accuracy with the one recorded in the model file.")

        @Option(name: .customLong("model-file"),
                help: ArgumentHelp("The model file (.safetensors) to evaluate.", valueName: "file"))
        var modelFile: String?

        @Argument(help: .hidden)
        var oldModelFile: String?

        @OptionGroup var data: DataOptions

        @OptionGroup(title: "Your own data (prepared as the model file records: columns, classes, image size)")
        var ownData: OwnDataOptions

        @Flag(help: ArgumentHelp("Evaluate on a style-shifted copy of the test part instead (seeded by --seed): "
                                 + "thicker and thinner strokes, rotations up to ±15°, shifts up to ±3 px, sizes ±15%."))
        var styleShift = false

        @Option(help: "Seed of the --test-split and of the style-shifted copy.")
        var seed: UInt64 = 0

        @Flag(help: ArgumentHelp("Print one JSON object (model_file, family, accuracy, log_loss, ece, "
                                 + "recorded_accuracy, confusion, ...) instead of text."))
        var json = false

        func validate() throws {
            switch (modelFile, oldModelFile) {
            case (nil, nil): throw ValidationError("give the model file to evaluate: --model-file FILE")
            case (_?, _?): throw ValidationError("give the model file once, with --model-file")
            default: break
            }
        }

        func run() throws {
            if oldModelFile != nil { noteRenamed("zoo eval FILE", to: "zoo eval --model-file FILE") }
            guard let path = modelFile ?? oldModelFile else { return }
            let saved = try SavedModels.load(path)
            if let recorded = saved.file.provenance.data, ownData.data == nil {
                let kind = recorded.kind == .table ? "a table" : "a folder of images"
                throw ValidationError("\(path) was trained on \(saved.file.provenance.dataset) (\(kind)): give the "
                                      + "data to evaluate it on with --data")
            }
            let prepared = try ownData.load(registered: data, seed: seed, recorded: saved.file.provenance.data,
                                            wholeByDefault: true)
            let split = styleShift
                ? DatasetSplit(train: prepared.split.train, test: try prepared.split.test.styleShifted(seed: seed))
                : prepared.split
            let summary = saved.model.description.split(separator: "\n").first.map(String.init) ?? saved.model.family
            printProgress("evaluating \(summary) on \(split.test.count) test samples")
            let clock = ContinuousClock()
            let start = clock.now
            let evaluation = try TestSetEvaluation(model: saved.model, dataset: split.test,
                                                   calibration: saved.file.calibration)
            let seconds = (clock.now - start) / .seconds(1)
            let provenance = saved.file.provenance
            if json {
                let record = EvalRecord(
                    modelFile: saved.path, family: saved.model.family, dataset: styleShift ? split.test.name : prepared.name,
                    testSize: split.test.count, accuracy: evaluation.accuracy, logLoss: evaluation.logLoss,
                    expectedCalibrationError: evaluation.expectedCalibrationError,
                    temperature: saved.file.calibration.temperature, smoothing: saved.file.calibration.smoothing,
                    recordedAccuracy: provenance.testAccuracy.flatMap { $0.isFinite ? $0 : nil },
                    seconds: seconds, trainedOn: provenance.dataset, trainingSize: provenance.trainingSize,
                    seed: provenance.seed, zooVersion: provenance.zooVersion, classNames: split.test.classNames,
                    confusion: evaluation.confusion)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(record), as: UTF8.self))
                return
            }
            print("model:      \(saved.path): \(summary)")
            print("trained on: \(provenance.dataset), \(provenance.trainingSize) samples, seed \(provenance.seed), "
                  + "zoo \(provenance.zooVersion)")
            print("dataset:    \(prepared.name) test, \(split.test.count) samples")
            print(String(format: "accuracy:   %.2f%% (%.1f s)", 100 * evaluation.accuracy, seconds))
            let calibration = saved.file.calibration
            print(String(format: "log-loss:   %.4f   ECE (15 bins): %.4f   (temperature %.3f, smoothing %.2e)",
                         evaluation.logLoss, evaluation.expectedCalibrationError, calibration.temperature,
                         calibration.smoothing))
            if let recorded = provenance.testAccuracy {
                print(String(format: "recorded:   %.2f%% (difference %+.2f points)", 100 * recorded,
                             100 * (evaluation.accuracy - recorded)))
            }
            print(confusionTable(evaluation.confusion, classNames: split.test.classNames))
        }
    }
}

/// `zoo eval --json`'s one object; `recorded_accuracy` is null when the file records none.
private struct EvalRecord: Encodable {
    let modelFile: String, family: String, dataset: String, testSize: Int, accuracy: Double
    let logLoss: Double, expectedCalibrationError: Double, temperature: Double, smoothing: Double
    let recordedAccuracy: Double?
    let seconds: Double
    let trainedOn: String, trainingSize: Int, seed: UInt64, zooVersion: String
    let classNames: [String], confusion: [[Int]]

    enum CodingKeys: String, CodingKey {
        case modelFile = "model_file", family, dataset, testSize = "test_size", accuracy
        case logLoss = "log_loss", expectedCalibrationError = "ece", temperature, smoothing
        case recordedAccuracy = "recorded_accuracy", seconds, trainedOn = "trained_on"
        case trainingSize = "training_size", seed, zooVersion = "zoo_version", classNames = "class_names", confusion
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(modelFile, forKey: .modelFile)
        try container.encode(family, forKey: .family)
        try container.encode(dataset, forKey: .dataset)
        try container.encode(testSize, forKey: .testSize)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(logLoss, forKey: .logLoss)
        try container.encode(expectedCalibrationError, forKey: .expectedCalibrationError)
        try container.encode(temperature, forKey: .temperature)
        try container.encode(smoothing, forKey: .smoothing)
        try container.encode(recordedAccuracy, forKey: .recordedAccuracy)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(trainedOn, forKey: .trainedOn)
        try container.encode(trainingSize, forKey: .trainingSize)
        try container.encode(seed, forKey: .seed)
        try container.encode(zooVersion, forKey: .zooVersion)
        try container.encode(classNames, forKey: .classNames)
        try container.encode(confusion, forKey: .confusion)
    }
}
