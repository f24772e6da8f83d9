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
    /// The model's calibrated probability for that class, in 0...1.
    public let probability: Double
    /// The model's calibrated probability of every class, summing to 1.
    public let probabilities: [Double]
    /// The model's weight in the vote, in 0...1.
    public let weight: Double

    public init(model: String, digit: Int, probability: Double, probabilities: [Double] = [], weight: Double = 0) {
        self.model = model
        self.digit = digit
        self.probability = probability
        self.probabilities = probabilities
        self.weight = weight
    }
}

/// A model as the classifier runs it: its name, the fitted model and its calibration.
public typealias VotingModel = (name: String, model: any Model, calibration: Calibration)

/// Every model's answer for one image, their weighted soft vote, and whether the image looks like a digit at all.
public struct DigitClassification: Sendable, Equatable {
    /// The image's path.
    public let file: String
    /// One prediction per model, in the models' order.
    public let predictions: [DigitPrediction]
    /// The vote's probability of every class: `Σ_m weight_m p_m` (see `CalibratedVote`).
    public let voteProbabilities: [Double]
    /// The vote's top class, whatever the "not a digit" score says.
    public let guess: Int
    /// `guess`, or nil when the image is judged not to be a digit (and no guess was forced).
    public let vote: Int?
    /// How unlike held-out digits the image is (`VotePolicy.outOfDistributionScore`); above 1 is not a digit.
    /// Nil without a vote policy.
    public let notADigitScore: Double?

    /// How many models' own top digit is the vote's guess.
    public var agreeing: Int { predictions.filter { $0.digit == guess }.count }

    /// Runs each of `models` on an MNIST-style `digit` (white ink on black, as many pixels as the models take),
    /// pools their calibrated probabilities with `policy`'s weights (equal weights without one) and scores how
    /// unlike a digit the image is; `forceGuess` keeps the vote even for an image that is not a digit.
    /// Throws what a model's `forward` throws: an image of another size than the model's inputs, outputs that
    /// are not finite.
    public init(file: String, digit: GrayImage, models: [VotingModel], policy: VotePolicy?,
                forceGuess: Bool = false) throws {
        let input = Tensor(shape: [1, digit.pixels.count]) { out in
            for (i, pixel) in digit.pixels.enumerated() { out[i] = Float(pixel) / 255 }
        }
        let weights = policy?.weights(for: models.map(\.name))
            ?? models.map { _ in 1 / Double(max(1, models.count)) }
        let predictions = try zip(models, weights).map { entry, weight in
            let probabilities = entry.calibration.probabilities(try entry.model.calibrationOutputs(input))[0]
            let best = Self.argmax(probabilities)
            return DigitPrediction(model: entry.name, digit: best, probability: probabilities[best],
                                   probabilities: probabilities, weight: weight)
        }
        let pool = CalibratedVote.pooled(predictions.map(\.probabilities), weights: weights)
        let score = policy?.outOfDistributionScore(pixels: digit.pixels, pool: pool)
        self.init(file: file, predictions: predictions, voteProbabilities: pool, notADigitScore: score,
                  forceGuess: forceGuess)
    }

    /// A classification from given predictions and pool; `vote` is nil when `notADigitScore` exceeds 1 and
    /// `forceGuess` is false.
    public init(file: String, predictions: [DigitPrediction], voteProbabilities: [Double], notADigitScore: Double?,
                forceGuess: Bool = false) {
        self.file = file
        self.predictions = predictions
        self.voteProbabilities = voteProbabilities
        self.notADigitScore = notADigitScore
        guess = Self.argmax(voteProbabilities)
        vote = forceGuess || (notADigitScore ?? 0) <= 1 ? guess : nil
    }

    /// Whether the "not a digit" score rejected the image.
    public var isNotADigit: Bool { (notADigitScore ?? 0) > 1 }

    /// The index of the largest value (the smaller index on ties); -1 for none.
    static func argmax(_ values: [Double]) -> Int {
        values.indices.max { (values[$0], -$0) < (values[$1], -$1) } ?? -1
    }

    /// One line of JSON: `{"file": ..., "predictions": [{"model": "mlp", "digit": 3, "probability": 0.98,
    /// "probabilities": [10 values], "weight": 0.4}, ...], "vote": 3 (null when not a digit), "guess": 3,
    /// "vote_probabilities": [10 values], "agreeing": 5, "models": 6, "not_a_digit_score": 0.2 (null without a
    /// vote policy), "not_a_digit": false}`. Every number is finite.
    public var jsonLine: String {
        func vector(_ values: [Double]) -> String { "[" + values.map(jsonNumber).joined(separator: ", ") + "]" }
        let items = predictions.map {
            "{\"model\": \(jsonStringLiteral($0.model)), \"digit\": \($0.digit), "
                + "\"probability\": \(jsonNumber($0.probability)), \"probabilities\": \(vector($0.probabilities)), "
                + "\"weight\": \(jsonNumber($0.weight))}"
        }
        return "{\"file\": \(jsonStringLiteral(file)), \"predictions\": [\(items.joined(separator: ", "))], "
            + "\"vote\": \(vote.map(String.init) ?? "null"), \"guess\": \(guess), "
            + "\"vote_probabilities\": \(vector(voteProbabilities)), \"agreeing\": \(agreeing), "
            + "\"models\": \(predictions.count), \"not_a_digit_score\": \(notADigitScore.map(jsonNumber) ?? "null"), "
            + "\"not_a_digit\": \(isNotADigit)}"
    }

    /// The JSON line for an image that could not be classified: `{"file": ..., "error": "..."}`.
    public static func errorJSONLine(file: String, message: String) -> String {
        "{\"file\": \(jsonStringLiteral(file)), \"error\": \(jsonStringLiteral(message))}"
    }

    /// A table for people: a header, each model's digit, probability and weight, then the vote.
    public var text: String {
        let width = max(8, predictions.map(\.model.count).max() ?? 0)
        func padded(_ name: String) -> String { name + String(repeating: " ", count: max(0, width - name.count)) }
        var lines = [file, "  \(padded("model"))  digit  probability  weight"]
        for prediction in predictions {
            lines.append("  \(padded(prediction.model))  \(prediction.digit)    "
                         + String(format: "%9.1f%%  %6.3f", 100 * prediction.probability, prediction.weight))
        }
        let score = notADigitScore.map { String(format: "not-a-digit score %.2f", $0) } ?? "no vote policy"
        if let vote {
            lines.append("  \(padded("vote"))  \(vote)    " + String(format: "%9.1f%%", 100 * voteProbabilities[vote])
                         + "  (\(agreeing) of \(predictions.count) models agree; \(score))")
        } else {
            lines.append("  \(padded("vote"))  not a digit (score \(String(format: "%.2f", notADigitScore ?? 0))"
                         + "; the models' best guess would be \(guess))")
        }
        return lines.joined(separator: "\n")
    }
}

/// `value` as a JSON number with 4 decimals, or `null` when it is not finite: output never holds NaN.
func jsonNumber(_ value: Double) -> String {
    value.isFinite ? String(format: "%.4f", value) : "null"
}
