import ZooCore
import ZooData
import ZooTensor

/// A model's score on a labelled set: what `zoo eval` prints and the model cards record.
public struct TestSetEvaluation: Sendable {
    /// Fraction of correct predictions, in 0...1.
    public let accuracy: Double
    /// `confusion[true][predicted]` counts, `classCount x classCount`.
    public let confusion: [[Int]]
    /// Predicted class per sample.
    public let predictions: [Int]
    /// Mean negative log-likelihood (natural log) of the labels under the calibrated probabilities.
    public let logLoss: Double
    /// Expected calibration error of the calibrated probabilities, 15 bins, in 0...1.
    public let expectedCalibrationError: Double
    /// The reliability diagram's 15 bins.
    public let reliability: [ReliabilityBin]

    /// Predicts `dataset` in batches of `batchSize` (so a convolutional model's activations stay small) and
    /// scores the predictions and their probabilities (with `calibration`) against its labels. Throws what the
    /// model's `forward` throws (inputs of another width than the model's, outputs that are not finite).
    public init(model: any Model, dataset: Dataset, calibration: Calibration = .identity,
                batchSize: Int = 1000) throws {
        // One forward pass per batch: the prediction is the argmax of the scores calibration reads (a
        // `ScoringModel`'s largest score is its prediction; a temperature or smoothing moves no argmax).
        var probabilities: [[Double]] = []
        var predictions: [Int] = []
        probabilities.reserveCapacity(dataset.count)
        predictions.reserveCapacity(dataset.count)
        for start in stride(from: 0, to: dataset.count, by: batchSize) {
            let outputs = try model.calibrationOutputs(dataset.inputs.rows(start..<min(start + batchSize, dataset.count)))
            predictions += outputs.argmax(axis: 1)
            probabilities += calibration.probabilities(outputs)
        }
        self.predictions = predictions
        logLoss = negativeLogLikelihood(probabilities, dataset.labels)
        expectedCalibrationError = ZooCore.expectedCalibrationError(probabilities, dataset.labels)
        reliability = reliabilityBins(probabilities, dataset.labels)
        accuracy = ZooCore.accuracy(predicted: predictions, labels: dataset.labels)
        confusion = confusionMatrix(predicted: predictions, labels: dataset.labels, classCount: dataset.classCount)
    }
}

/// The confusion matrix as a fixed-width text table, true classes down, predicted classes across.
public func confusionTable(_ confusion: [[Int]], classNames: [String]) -> String {
    let width = max(5, (confusion.flatMap { $0 }.max() ?? 0).description.count + 1)
    func cell(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
    var lines = ["true\\pred" + classNames.map { cell(String($0.prefix(width - 1))) }.joined()]
    for (row, counts) in confusion.enumerated() {
        let label = String(classNames[row].prefix(9))
        lines.append(label + String(repeating: " ", count: 9 - label.count) + counts.map { cell("\($0)") }.joined())
    }
    return lines.joined(separator: "\n")
}
