import Foundation
import ZooCore
import ZooData
import ZooTensor

/// What models trained on an image folder say about one PNG: each model's class and probability, and the
/// majority vote, named by the classes the model files record (`zoo classify` with such models).
public struct ImageClassification: Sendable {
    /// The image's path.
    public let file: String
    /// Per model: its name, class index and probability; and the vote (as `DigitClassification` counts them).
    public let votes: DigitClassification
    /// The class names, in index order.
    public let classNames: [String]

    /// Reads the PNG at `file` as `data` (the models' recorded image shape and channels) says, scales it to
    /// 0...1 and runs every model on it. Throws `PNGError` for an unreadable image, a model's error for a model
    /// that does not take this shape.
    /// The vote pools the models' calibrated probabilities with equal weights (the fitted vote weights and the
    /// not-a-digit limits are MNIST's).
    public init(file: String, data: DataDescription, models: [VotingModel]) throws {
        let shape = data.sampleShape
        let channels = shape.count == 3 ? shape[2] : 1
        let pixels = try ImageFolder.readImage(file, height: shape[0], width: shape[1], channels: channels)
        let input = Tensor(shape: [1, pixels.count]) { out in
            for (i, pixel) in pixels.enumerated() { out[i] = Float(pixel) / 255 }
        }
        let weight = 1 / Double(max(1, models.count))
        let predictions = try models.map { entry in
            let probabilities = entry.calibration.probabilities(try entry.model.calibrationOutputs(input))[0]
            let best = DigitClassification.argmax(probabilities)
            return DigitPrediction(model: entry.name, digit: best, probability: probabilities[best],
                                   probabilities: probabilities, weight: weight)
        }
        let pool = CalibratedVote.pooled(predictions.map(\.probabilities), weights: predictions.map(\.weight))
        votes = DigitClassification(file: file, predictions: predictions, voteProbabilities: pool,
                                    notADigitScore: nil)
        self.file = file
        classNames = data.classNames
    }

    private func name(_ index: Int) -> String { classNames.indices.contains(index) ? classNames[index] : "\(index)" }

    /// `file`, then one line per model (`  mlp       circle   97.1%`) and the vote.
    public var text: String {
        let width = max(8, votes.predictions.map(\.model.count).max() ?? 0)
        func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        let classWidth = classNames.map(\.count).max() ?? 1
        var lines = [file]
        for prediction in votes.predictions {
            lines.append("  \(padded(prediction.model, width))  \(padded(name(prediction.digit), classWidth))  "
                         + String(format: "%5.1f%%", 100 * prediction.probability))
        }
        let agreeing = votes.agreeing
        lines.append("  \(padded("vote", width))  \(name(votes.guess))  (\(agreeing) of \(votes.predictions.count) models)")
        return lines.joined(separator: "\n")
    }

    /// One JSON object: `{"file": ..., "predictions": [{"model", "class", "probability"}], "vote": class}`.
    public var jsonLine: String {
        let items = votes.predictions.map {
            "{\"model\": \(jsonStringLiteral($0.model)), \"class\": \(jsonStringLiteral(name($0.digit))), "
                + "\"probability\": \(String(format: "%.4f", $0.probability))}"
        }
        return "{\"file\": \(jsonStringLiteral(file)), \"predictions\": [\(items.joined(separator: ", "))], "
            + "\"vote\": \(jsonStringLiteral(name(votes.guess)))}"
    }
}
