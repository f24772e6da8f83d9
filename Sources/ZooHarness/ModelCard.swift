import Foundation
import ZooCore
import ZooData

/// A model card (Mitchell et al. 2019, "Model Cards for Model Reporting"), cut to what a zoo model needs: what
/// it is, how to make it again, what data it saw, how well it does and where it errs, on which machine.
public struct ModelCard: Sendable {
    /// Short name, the model file's name without extension ("mlp").
    public var name: String
    /// The model's own `description`: structure and parameter count.
    public var architecture: String
    /// The command that trained and saved it.
    public var command: String
    /// Dataset, training size, seed, test accuracy, zoo version.
    public var provenance: ModelProvenance
    /// Test-set confusion matrix, true classes down.
    public var confusion: [[Int]]
    /// Names of the classes.
    public var classNames: [String]
    /// Wall-clock seconds `fit` took.
    public var fitSeconds: Double
    /// The machine it was trained on, one line.
    public var machine: String
    /// How to use the weights without zoo (`weightsGuide(family:inceptionWidth:)`), nil for none.
    public var weights: String?
    /// Its calibration and how well calibrated it is on the test set (the "Calibration" section), nil for none.
    public var calibration: CardCalibration?
    /// The augmentation it was trained with (nil: none).
    public var augmentation: Augmentation?
    /// Its accuracy on the style-shifted test set (`Dataset.styleShifted(seed: 0)`), nil when not measured (a
    /// table has no style shift). With `augmentation`, the "Augmentation and style shift" section.
    public var styleShiftAccuracy: Double?

    public init(name: String, architecture: String, command: String, provenance: ModelProvenance,
                confusion: [[Int]], classNames: [String], fitSeconds: Double, machine: String = ModelCard.thisMachine,
                family: String? = nil, inceptionWidth: Int = 1) {
        self.name = name
        self.architecture = architecture
        self.command = command
        self.provenance = provenance
        self.confusion = confusion
        self.classNames = classNames
        self.fitSeconds = fitSeconds
        self.machine = machine
        // The guides describe the shipped architectures on 28x28 digits; a card of another one gets none.
        let shipped = family != "mlp" || (architecture.components(separatedBy: "Linear(").count == 3
                                          && architecture.contains("Linear(784 → 256)"))
        weights = shipped ? family.flatMap { Self.weightsGuide(family: $0, inceptionWidth: inceptionWidth) } : nil
    }

    /// Prefix of the card's machine-readable accuracy line: `test-accuracy: 0.9812`.
    public static let accuracyLinePrefix = "test-accuracy: "

    /// The accuracy a card's text records (its `test-accuracy:` line), or nil when it has none.
    public static func recordedAccuracy(inCard text: String) -> Double? {
        text.split(separator: "\n").lazy.compactMap { line -> Double? in
            guard line.hasPrefix(accuracyLinePrefix) else { return nil }
            return Double(line.dropFirst(accuracyLinePrefix.count).trimmingCharacters(in: .whitespaces))
        }.first
    }

    /// The card as Markdown.
    public var markdown: String {
        let accuracy = provenance.testAccuracy.map { String(format: "%.2f%%", 100 * $0) } ?? "not measured"
        let perClass = confusion.enumerated().map { row, counts in
            let total = counts.reduce(0, +)
            return "| \(classNames[row]) | \(total) | "
                + (total > 0 ? String(format: "%.1f%%", 100 * Double(counts[row]) / Double(total)) : "–") + " |"
        }
        return """
            # \(name)

            \(Self.accuracyLinePrefix)\(provenance.testAccuracy.map { String(format: "%.4f", $0) } ?? "none")

            | | |
            |---|---|
            | family | \(architecture.split(separator: "\n").first.map(String.init) ?? "") |
            | data | \(provenance.dataset), \(provenance.trainingSize) training images; tested on the full test set |
            | seed | \(provenance.seed) |
            | test accuracy | \(accuracy) |
            | fit time | \(String(format: "%.1f", fitSeconds)) s |
            | machine | \(machine) |
            | zoo version | \(provenance.zooVersion) |
            \(calibration.map { "\n" + $0.markdown + "\n" } ?? "")\(augmentationSection.map { "\n" + $0 + "\n" } ?? "")
            ## Architecture

            ```
            \(architecture)
            ```

            ## Training command

            ```
            \(command)
            ```

            ## Confusion matrix (test set)

            Rows are the true digits, columns the predicted ones.

            ```
            \(confusionTable(confusion, classNames: classNames))
            ```

            | class | test images | recall |
            |---|---|---|
            \(perClass.joined(separator: "\n"))

            """ + (weights.map { "\n" + $0 + "\n" } ?? "")
    }

    /// What it was trained with and how it does on the style-shifted test set; nil when neither is known.
    var augmentationSection: String? {
        guard augmentation != nil || styleShiftAccuracy != nil else { return nil }
        let trained = augmentation.map {
            "Trained with `--augment`: every training image redrawn afresh each epoch (seeded by `--seed`): \($0)."
        } ?? "Trained without augmentation."
        let shifted = styleShiftAccuracy.map {
            " On the style-shifted test set (`zoo eval --model-file \(name).safetensors --style-shift`, seed 0: "
                + "\(Augmentation.styleShift)): " + String(format: "%.2f%%", 100 * $0) + "."
        } ?? ""
        return "## Augmentation and style shift\n\n" + trained + shifted
    }

    /// `card` (a card's Markdown) with its "Calibration" section replaced by `calibration`'s, or, in a card
    /// without one, inserted before its first other section.
    public static func replacingCalibration(in card: String, with calibration: CardCalibration) -> String {
        let heading = "\n## Calibration\n"
        if let start = card.range(of: heading) {
            let end = card.range(of: "\n## ", range: start.upperBound..<card.endIndex)?.lowerBound ?? card.endIndex
            return card[..<start.lowerBound] + "\n" + calibration.markdown + "\n" + card[end...]
        }
        guard let first = card.range(of: "\n## ") else { return card + "\n" + calibration.markdown + "\n" }
        return card[..<first.lowerBound] + "\n" + calibration.markdown + "\n" + card[first.lowerBound...]
    }

    /// This machine in one line: CPU model, core count, memory, operating system.
    public static var thisMachine: String {
        let info = ProcessInfo.processInfo
        let cpu = MachineInfo.cpuModelName() ?? "unknown CPU"
        let memory = Double(info.physicalMemory) / 1_073_741_824
        return "\(cpu), \(info.activeProcessorCount) cores, \(String(format: "%.0f", memory)) GiB, "
            + info.operatingSystemVersionString
    }
}

/// A model card's "Calibration" section: the fitted temperature or smoothing, what it was fitted on, and the
/// calibrated probabilities' log-loss and ECE on the test set.
public struct CardCalibration: Sendable, Equatable {
    public var calibration: Calibration
    /// What it was fitted on, as a phrase ("mnist train 50000..<60000, digits this model was not trained on").
    public var fittedOn: String
    /// Log-loss and expected calibration error (15 bins) of the calibrated probabilities on the test set.
    public var testLogLoss: Double, testCalibrationError: Double
    /// The model's weight in the zoo's vote, nil when it has none.
    public var voteWeight: Double?

    public init(calibration: Calibration, fittedOn: String, testLogLoss: Double, testCalibrationError: Double,
                voteWeight: Double? = nil) {
        self.calibration = calibration
        self.fittedOn = fittedOn
        self.testLogLoss = testLogLoss
        self.testCalibrationError = testCalibrationError
        self.voteWeight = voteWeight
    }

    public var markdown: String {
        let fitted = String(format: "temperature %.4f, smoothing %.3g", calibration.temperature, calibration.smoothing)
        return """
            ## Calibration

            Fitted on \(fittedOn): \(fitted).
            Probabilities are `softmax(logits / T)`, logits the scores or `log(p + smoothing)`; both numbers are stored
            in the file's `calibration` metadata. On the full test set: log-loss \(String(format: "%.4f", testLogLoss)),
            expected calibration error (15 bins) \(String(format: "%.4f", testCalibrationError)).
            """ + (voteWeight.map { "\nWeight in the zoo's vote (`Zoo/vote.json`): " + String(format: "%.4f", $0) + "." } ?? "")
    }
}
