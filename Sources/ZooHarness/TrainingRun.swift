import ZooCore
import ZooData
import ZooTensor

/// One experiment: which family, on which data, how many samples, with which options. `run` does it.
public struct TrainingRun: Sendable {
    /// The family to train.
    public var kind: ModelKind
    /// The dataset's registry name, recorded in the result (e.g. "mnist").
    public var datasetName: String
    /// How many training samples.
    public var size: SampleSize
    /// A seeded stratified sample (each class keeps its share) instead of the first `size` samples.
    public var stratified: Bool
    /// Changes to the family's defaults, and the seed.
    public var options: ModelOptions
    /// No progress bar while fitting.
    public var quiet: Bool

    public init(kind: ModelKind, datasetName: String = "mnist", size: SampleSize = .all, stratified: Bool = false,
                options: ModelOptions = ModelOptions(), quiet: Bool = false) {
        self.kind = kind
        self.datasetName = datasetName
        self.size = size
        self.stratified = stratified
        self.options = options
        self.quiet = quiet
    }

    /// Builds the model, takes the training samples out of `split.train`, holds out the calibration share
    /// (`CalibrationHoldout`), fits the rest, fits the calibration, times fit and predict, and evaluates on all of
    /// `split.test`. Returns the record (with the calibration) and the fitted model (for saving or printing).
    public func run(on split: DatasetSplit) throws -> (record: TrainingRecord, model: any Model) {
        let model = try kind.makeModel(options)
        let holdout = try CalibrationHoldout(options)
        let count = try size.resolve(available: split.train.count)
        let train = stratified ? try split.train.stratifiedSample(count, seed: options.seed)
            : count == split.train.count ? split.train : try split.train.prefix(count)

        let holdoutSeed = CalibrationHoldout.drawingSeed(options.seed, wholeTrainingSet: count == split.train.count)
        let record = try fitAndEvaluate(model, name: kind.rawValue, datasetName: datasetName, sample: train,
                                        holdout: holdout, holdoutSeed: holdoutSeed, stratified: stratified,
                                        seed: options.seed, test: split.test, quiet: quiet)
        return (record, model)
    }
}

/// Holds `holdout`'s share of `sample` out (drawn with `holdoutSeed`, see `CalibrationHoldout.drawingSeed`), fits `model` on the rest (as
/// `[N, height, width, channels]` images for a family that reads images, so it sees their true shape; as
/// `[N, features]` rows for the others), fits its calibration on the share held out, times `fit` and the
/// prediction of all of `test`, and measures accuracy on both and log-loss and ECE of the calibrated
/// probabilities on `test`: the one measurement `zoo train` and `zoo compare` share. `name`, `datasetName`,
/// `stratified` and `seed` are recorded as given; `size` is the whole sample's.
func fitAndEvaluate(_ model: any Model, name: String, datasetName: String, sample: Dataset,
                    holdout: CalibrationHoldout, holdoutSeed: UInt64, stratified: Bool, seed: UInt64,
                    test: Dataset, quiet: Bool) throws -> TrainingRecord {
    let (train, heldOut) = try holdout.split(sample, seed: holdoutSeed)
    let inputs = ModelKind(of: model)?.readsImages == true ? train.images : train.inputs
    let fitStart = ContinuousClock.now
    try model.fit(inputs, train.labels, quiet: quiet)
    let fitSeconds = elapsedSeconds(since: fitStart)
    let calibration = try heldOut.map { try CalibratedVote.fitCalibration(model, on: $0) } ?? .identity

    let predictStart = ContinuousClock.now
    let testOutputs = try model.calibrationOutputs(test.inputs)
    let testPredictions = testOutputs.argmax(axis: 1)
    let predictSeconds = elapsedSeconds(since: predictStart)
    let probabilities = calibration.probabilities(testOutputs)
    let uncalibrated = Calibration.identity.probabilities(testOutputs)

    let trainOutputs = try model.forward(train.inputs)
    var record = TrainingRecord(
        model: name, dataset: datasetName, size: sample.count, stratified: stratified, seed: seed,
        testAccuracy: accuracy(predicted: testPredictions, labels: test.labels),
        trainAccuracy: accuracy(predicted: trainOutputs.argmax(axis: 1), labels: train.labels),
        finalLoss: model.loss(trainOutputs, train.labels), fitSeconds: fitSeconds,
        predictSeconds: predictSeconds, parameters: model.parameterCount)
    record.calibrationSplit = holdout.fraction
    record.calibrationSize = heldOut?.count ?? 0
    record.calibration = calibration
    record.testLogLoss = negativeLogLikelihood(probabilities, test.labels)
    record.testCalibrationError = expectedCalibrationError(probabilities, test.labels)
    record.testReliability = reliabilityBins(probabilities, test.labels).map {
        [$0.confidence, $0.accuracy, Double($0.count)]
    }
    record.testUncalibratedLogLoss = negativeLogLikelihood(uncalibrated, test.labels)
    record.testUncalibratedCalibrationError = expectedCalibrationError(uncalibrated, test.labels)
    return record
}
