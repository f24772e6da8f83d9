import ZooCore

/// One training run's outcome: what `zoo train --json` prints and `zoo compare` collects, one JSON object with
/// snake_case keys (`test_accuracy`, `fit_seconds`, ...).
public struct TrainingRecord: Sendable, Equatable, Codable {
    /// Family name, e.g. "mlp".
    public var model: String
    /// Dataset name, e.g. "mnist".
    public var dataset: String
    /// Training samples drawn: the model fitted `size - calibrationSize` of them, its calibration the rest.
    public var size: Int
    /// Whether they were a stratified sample (else the first `size`).
    public var stratified: Bool
    /// The seed of every random step.
    public var seed: UInt64
    /// Fraction of the test set classified right, 0...1.
    public var testAccuracy: Double
    /// Fraction of the training samples the model fitted classified right after fitting, 0...1.
    public var trainAccuracy: Double
    /// The model's loss on the training samples after fitting (its own loss: cross-entropy, squared error, ...).
    public var finalLoss: Float
    /// Wall-clock seconds of `fit`.
    public var fitSeconds: Double
    /// Wall-clock seconds to predict the whole test set.
    public var predictSeconds: Double
    /// Learned values (weights and biases, or tree nodes).
    public var parameters: Int
    /// Share of the training sample held out to fit the calibration (`CalibrationHoldout`), 0 for none; nil in
    /// records written before every fit was calibrated (they held nothing out).
    public var calibrationSplit: Double?
    /// Samples of the training sample the calibration was fitted on (0 when nothing was held out); nil in older
    /// records.
    public var calibrationSize: Int?
    /// The calibration fitted on them (`Calibration.identity` when none); nil in older records.
    public var calibration: Calibration?
    /// Log-loss (natural log) of the test labels under the model's calibrated probabilities (with
    /// `calibration`; a softmax of its scores when nothing was held out); nil in records written before it was
    /// measured.
    public var testLogLoss: Double?
    /// Expected calibration error (15 bins) of those probabilities on the test set, 0...1; nil in older records.
    public var testCalibrationError: Double?
    /// The reliability diagram behind it: per bin `[mean confidence, accuracy, count]`; nil in older records.
    public var testReliability: [[Double]]?
    /// Log-loss of the test labels under the model's own probabilities, before calibration; nil in older records.
    public var testUncalibratedLogLoss: Double?
    /// ECE (15 bins) of the model's own probabilities on the test set, before calibration; nil in older records.
    public var testUncalibratedCalibrationError: Double?

    public init(model: String, dataset: String, size: Int, stratified: Bool, seed: UInt64, testAccuracy: Double,
                trainAccuracy: Double, finalLoss: Float, fitSeconds: Double, predictSeconds: Double, parameters: Int) {
        self.model = model
        self.dataset = dataset
        self.size = size
        self.stratified = stratified
        self.seed = seed
        self.testAccuracy = testAccuracy
        self.trainAccuracy = trainAccuracy
        self.finalLoss = finalLoss
        self.fitSeconds = fitSeconds
        self.predictSeconds = predictSeconds
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case model, dataset, size, stratified, seed, parameters
        case testAccuracy = "test_accuracy"
        case trainAccuracy = "train_accuracy"
        case finalLoss = "final_loss"
        case fitSeconds = "fit_seconds"
        case predictSeconds = "predict_seconds"
        case testLogLoss = "test_log_loss"
        case testCalibrationError = "test_ece"
        case testReliability = "test_reliability"
        case calibrationSplit = "calibration_split"
        case calibrationSize = "calibration_size"
        case calibration
        case testUncalibratedLogLoss = "test_log_loss_uncalibrated"
        case testUncalibratedCalibrationError = "test_ece_uncalibrated"
    }
}
