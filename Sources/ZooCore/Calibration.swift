import Foundation
import ZooTensor

/// Calibrated class probabilities for any family: temperature scaling (Guo et al. 2017, "On Calibration of Modern
/// Neural Networks") on the model's logits, and additive smoothing of class frequencies for families whose
/// outputs are frequencies (the tree's leaves, Laplace's rule generalised to a fractional pseudo-count).
///
/// A model's logits are its scores when it outputs scores (least squares, the perceptron's `scores`), or the
/// logarithm of its (smoothed) probabilities when it outputs probabilities; the calibrated probabilities are
/// `softmax(logits / temperature)`. Both numbers are fitted on held-out data by minimising the negative
/// log-likelihood over one scalar (golden-section search on its logarithm), so a fit never changes a prediction's
/// argmax. The identity (`temperature` 1, `smoothing` 0) is what files written before calibration load with.
public struct Calibration: Sendable, Equatable, Codable {
    /// Divides the logits: above 1 softens overconfident probabilities, below 1 sharpens timid ones. > 0.
    public var temperature: Double
    /// Added to each probability before the logarithm (probability outputs only): `(p + s) / (1 + K s)`. ≥ 0.
    public var smoothing: Double

    /// Temperature 1, no smoothing: the model's own probabilities (a softmax of its scores).
    public static let identity = Calibration(temperature: 1, smoothing: 0)

    public init(temperature: Double, smoothing: Double) {
        self.temperature = temperature
        self.smoothing = smoothing
    }

    /// Whether both numbers are in range: a finite temperature > 0 and a finite smoothing ≥ 0.
    public var isValid: Bool {
        temperature.isFinite && temperature > 0 && smoothing.isFinite && smoothing >= 0
    }

    /// Calibrated probabilities from a model's `forward` outputs `[N, K]` -> `[N, K]` (rows sum to 1).
    public func probabilities(_ outputs: Tensor) -> [[Double]] {
        Self.logits(outputs, smoothing: smoothing).map { softmax($0, temperature: temperature) }
    }

    /// The logits of `outputs` `[N, K]`: each row's values when they are scores, `log(p + smoothing)` when the
    /// row is a probability vector (values in 0...1 summing to 1).
    public static func logits(_ outputs: Tensor, smoothing: Double) -> [[Double]] {
        let columns = outputs.columns
        let values = outputs.scalars
        return (0..<outputs.rows).map { row in
            let scores = values[row * columns ..< (row + 1) * columns].map(Double.init)
            guard isProbabilityRow(scores) else { return scores }
            return scores.map { Foundation.log(max($0, 0) + max(smoothing, 1e-30)) }
        }
    }

    /// The calibration of a model's `outputs` `[N, K]` for the true `labels` that minimises their negative
    /// log-likelihood: the better of a fitted temperature and (for probability outputs such as a tree's leaf
    /// frequencies, temperature 1) a fitted smoothing. Throws `CalibrationError` for empty or mismatched data,
    /// labels outside `0..<K`, or outputs that are not finite.
    public static func fitted(outputs: Tensor, labels: [Int]) throws -> Calibration {
        guard outputs.rank == 2, outputs.rows == labels.count, !labels.isEmpty else {
            throw CalibrationError.badData(reason: "\(labels.count) labels for outputs of shape \(outputs.shape)")
        }
        guard labels.allSatisfy({ (0..<outputs.columns).contains($0) }) else {
            throw CalibrationError.badData(reason: "a label is outside 0..<\(outputs.columns)")
        }
        guard outputs.isFinite else { throw CalibrationError.badData(reason: "outputs contain NaN or infinity") }
        let logits = Self.logits(outputs, smoothing: 0)
        let logTemperature = goldenSectionMinimum(lower: log(0.02), upper: log(50.0)) { logTemperature in
            negativeLogLikelihood(logits.map { softmax($0, temperature: exp(logTemperature)) }, labels)
        }
        let scaled = Calibration(temperature: exp(logTemperature), smoothing: 0)
        let logSmoothing = goldenSectionMinimum(lower: log(1e-6), upper: log(1.0)) { logSmoothing in
            negativeLogLikelihood(Calibration(temperature: 1, smoothing: exp(logSmoothing)).probabilities(outputs),
                                  labels)
        }
        let smoothed = Calibration(temperature: 1, smoothing: exp(logSmoothing))
        func cost(_ calibration: Calibration) -> Double {
            negativeLogLikelihood(calibration.probabilities(outputs), labels)
        }
        let values = outputs.scalars.map(Double.init), columns = outputs.columns
        let probabilityOutputs = isProbabilityRow(Array(values[0..<columns]))
        // Frequencies prefer smoothing: on 0/1 outputs both fits give the same probabilities.
        return probabilityOutputs && cost(smoothed) <= cost(scaled) + 1e-6 ? smoothed : scaled
    }

    static func isProbabilityRow(_ row: [Double]) -> Bool {
        row.allSatisfy { (0...1).contains($0) } && abs(row.reduce(0, +) - 1) < 1e-3
    }

    /// The argument in `lower...upper` minimising a unimodal `function`, to about 1e-4 of the interval.
    static func goldenSectionMinimum(lower: Double, upper: Double, _ function: (Double) -> Double) -> Double {
        let ratio = (sqrt(5.0) - 1) / 2
        var (a, b) = (lower, upper)
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = function(c), fd = function(d)
        for _ in 0..<40 {
            if fc < fd {
                (b, d, fd) = (d, c, fc)
                c = b - ratio * (b - a)
                fc = function(c)
            } else {
                (a, c, fc) = (c, d, fd)
                d = a + ratio * (b - a)
                fd = function(d)
            }
        }
        return (a + b) / 2
    }
}

/// `softmax(logits / temperature)`, computed stably. `K -> K` probabilities summing to 1.
public func softmax(_ logits: [Double], temperature: Double = 1) -> [Double] {
    let largest = logits.max() ?? 0
    let exponentials = logits.map { exp(($0 - largest) / temperature) }
    let total = exponentials.reduce(0, +)
    return exponentials.map { $0 / total }
}

/// Mean negative log-likelihood (log-loss, natural log) of `labels` under `probabilities` (one row per sample);
/// each probability is floored at 1e-15 so a confident mistake costs about 34.5, not infinity. 0 for no samples.
public func negativeLogLikelihood(_ probabilities: [[Double]], _ labels: [Int]) -> Double {
    guard !labels.isEmpty else { return 0 }
    var total = 0.0
    for (row, label) in zip(probabilities, labels) { total -= log(max(row[label], 1e-15)) }
    return total / Double(labels.count)
}

/// One bin of a reliability diagram: the samples whose top probability fell in `lower..<upper`.
public struct ReliabilityBin: Sendable, Equatable {
    public let lower: Double, upper: Double
    /// Samples in the bin.
    public let count: Int
    /// Their mean top probability (0 when empty).
    public let confidence: Double
    /// The fraction of them predicted right (0 when empty).
    public let accuracy: Double
}

/// The reliability diagram of `probabilities` (one row per sample) for `labels`: `bins` equal-width bins of the
/// top probability over 0...1 (the top one closed). Guo et al. use 15.
public func reliabilityBins(_ probabilities: [[Double]], _ labels: [Int], bins: Int = 15) -> [ReliabilityBin] {
    var counts = [Int](repeating: 0, count: bins), right = [Int](repeating: 0, count: bins)
    var confidence = [Double](repeating: 0, count: bins)
    for (row, label) in zip(probabilities, labels) {
        guard let top = row.indices.max(by: { (row[$0], -$0) < (row[$1], -$1) }) else { continue }
        let bin = min(bins - 1, max(0, Int(row[top] * Double(bins))))
        counts[bin] += 1
        confidence[bin] += row[top]
        if top == label { right[bin] += 1 }
    }
    return (0..<bins).map { bin in
        let count = counts[bin]
        return ReliabilityBin(lower: Double(bin) / Double(bins), upper: Double(bin + 1) / Double(bins), count: count,
                              confidence: count == 0 ? 0 : confidence[bin] / Double(count),
                              accuracy: count == 0 ? 0 : Double(right[bin]) / Double(count))
    }
}

/// Expected calibration error (Naeini et al. 2015; Guo et al. 2017): the sample-weighted mean over `bins`
/// equal-width bins of |accuracy − mean confidence|. In 0...1; 0 for no samples.
public func expectedCalibrationError(_ probabilities: [[Double]], _ labels: [Int], bins: Int = 15) -> Double {
    guard !labels.isEmpty else { return 0 }
    return reliabilityBins(probabilities, labels, bins: bins).reduce(0) { total, bin in
        total + Double(bin.count) * abs(bin.accuracy - bin.confidence)
    } / Double(labels.count)
}

/// Data a calibration cannot be fitted on.
public enum CalibrationError: Error, CustomStringConvertible, Equatable {
    case badData(reason: String)

    public var description: String {
        switch self {
        case let .badData(reason): "cannot calibrate: \(reason)"
        }
    }
}

/// A model whose `forward` hides the scores calibration needs (the perceptron's step output is one-hot): it
/// exposes them, `[N, features] -> [N, classCount]`, with the largest score the prediction.
public protocol ScoringModel: Model {
    func scores(_ inputs: Tensor) throws -> Tensor
}

extension Model {
    /// What calibration reads: `scores` for a `ScoringModel`, else `forward`. `[N, features] -> [N, classCount]`.
    public func calibrationOutputs(_ inputs: Tensor) throws -> Tensor {
        if let scoring = self as? any ScoringModel { return try scoring.scores(inputs) }
        return try forward(inputs)
    }
}
