import Foundation
import ZooCore
import ZooData
import ZooTensor

/// One model's answer for one image.
public struct DigitPrediction: Sendable, Equatable {
    /// The model's short name ("mlp", "tree", ...).
    public let model: String
    /// The predicted class.
    public let digit: Int
    /// The model's probability for that class, in 0...1. Families that output scores rather than probabilities
    /// get a softmax of their scores; the perceptron's step output makes it 1.
    public let probability: Double

    public init(model: String, digit: Int, probability: Double) {
        self.model = model
        self.digit = digit
        self.probability = probability
    }
}

/// Every model's answer for one image, and their majority vote.
public struct DigitClassification: Sendable, Equatable {
    /// The image's path.
    public let file: String
    /// One prediction per model, in the models' order.
    public let predictions: [DigitPrediction]
    /// The digit most models predicted; a tie goes to the digit with the larger summed probability, then the
    /// smaller digit.
    public let vote: Int

    /// Runs each of `models` on an MNIST-style `digit` (white ink on black, as many pixels as the models take).
    /// Throws what a model's `forward` throws: an image of another size than the model's inputs, outputs that
    /// are not finite.
    public init(file: String, digit: GrayImage, models: [(name: String, model: any Model)]) throws {
        let input = Tensor(shape: [1, digit.pixels.count]) { out in
            for (i, pixel) in digit.pixels.enumerated() { out[i] = Float(pixel) / 255 }
        }
        let predictions = try models.map { name, model in
            let probabilities = Self.probabilities(try model.forward(input).scalars)
            let best = probabilities.indices.max { (probabilities[$0], -$0) < (probabilities[$1], -$1) }!
            return DigitPrediction(model: name, digit: best, probability: probabilities[best])
        }
        self.init(file: file, predictions: predictions)
    }

    /// A classification from given predictions; the vote is computed.
    public init(file: String, predictions: [DigitPrediction]) {
        self.file = file
        self.predictions = predictions
        var votes: [Int: (count: Int, probability: Double)] = [:]
        for prediction in predictions {
            let previous = votes[prediction.digit] ?? (0, 0)
            votes[prediction.digit] = (previous.count + 1, previous.probability + prediction.probability)
        }
        vote = votes.max { a, b in
            (a.value.count, a.value.probability, -a.key) < (b.value.count, b.value.probability, -b.key)
        }?.key ?? -1
    }

    /// `scores` as probabilities: kept when they already are (each in 0...1, summing to 1), else a softmax.
    static func probabilities(_ scores: [Float]) -> [Double] {
        let values = scores.map(Double.init)
        if values.allSatisfy({ (0...1).contains($0) }) && abs(values.reduce(0, +) - 1) < 1e-3 { return values }
        let largest = values.max() ?? 0
        let exponentials = values.map { exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }

    /// One line of JSON: `{"file": ..., "predictions": [{"model": "mlp", "digit": 3, "probability": 0.98}, ...],
    /// "vote": 3}`.
    public var jsonLine: String {
        let items = predictions.map {
            "{\"model\": \(jsonStringLiteral($0.model)), \"digit\": \($0.digit), "
                + "\"probability\": \(String(format: "%.4f", $0.probability))}"
        }
        return "{\"file\": \(jsonStringLiteral(file)), \"predictions\": [\(items.joined(separator: ", "))], "
            + "\"vote\": \(vote)}"
    }

    /// The JSON line for an image that could not be classified: `{"file": ..., "error": "..."}`.
    public static func errorJSONLine(file: String, message: String) -> String {
        "{\"file\": \(jsonStringLiteral(file)), \"error\": \(jsonStringLiteral(message))}"
    }

    /// A few lines for people: each model's digit and probability, then the vote.
    public var text: String {
        let width = max(8, predictions.map(\.model.count).max() ?? 0)
        func padded(_ name: String) -> String { name + String(repeating: " ", count: width - name.count) }
        var lines = [file]
        for prediction in predictions {
            lines.append("  \(padded(prediction.model))  \(prediction.digit)  "
                         + String(format: "%5.1f%%", 100 * prediction.probability))
        }
        let agreeing = predictions.filter { $0.digit == vote }.count
        lines.append("  \(padded("vote"))  \(vote)  (\(agreeing) of \(predictions.count) models)")
        return lines.joined(separator: "\n")
    }
}
