import Foundation
import Testing
import ZooCore
import ZooData
import ZooHarness
import ZooTensor

/// A stand-in that always says its class with near certainty: it reads the class a sample's first pixel codes
/// (`label * 80`) and outputs a score of 20 for it, 0 for the others, so its softmax gives the class ~1.0.
final class Overconfident: Model {
    let family = "overconfident"
    private var fitted = false

    func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool) throws {
        try validateTrainingData(inputs, targets, family: family)
        fitted = true
    }

    func forward(_ inputs: Tensor) throws -> Tensor {
        try validateInferenceInputs(inputs, featureCount: fitted ? 4 : nil, family: family)
        let coded = inputs.scalars
        return Tensor(shape: [inputs.rows, 3]) { out in
            for row in 0..<inputs.rows {
                let guess = min(2, max(0, Int((coded[row * 4] * 255 / 80).rounded())))
                for column in 0..<3 { out[row * 3 + column] = column == guess ? 20 : 0 }
            }
        }
    }

    func loss(_ outputs: Tensor, _ targets: [Int]) -> Float { 0 }
    var parameterCount: Int { 0 }
    var description: String { "Overconfident()" }
}

/// The calibration share every fit holds out (`CalibrationHoldout`), what it does to the records, and that
/// resuming and merging keep records of different shares apart.
@Suite struct CalibrationHoldoutTests {
    static let data = CompareEngineTests.unbalanced

    /// 600 samples whose first pixel codes a class that is the label three times in four (else the next
    /// class): a model reading that pixel is right 75% of the time, whatever it claims. Pixels 1 and 2 number the
    /// sample (`offset` apart from another set's).
    static func noisy(offset: Int) -> Dataset {
        let labels = (0..<600).map { $0 % 3 }
        let pixels = labels.enumerated().flatMap { index, label in
            let coded = index % 4 == 3 ? (label + 1) % 3 : label
            let number = index + offset
            return [UInt8(coded * 80), UInt8(number % 256), UInt8(number / 256), 0]
        }
        return Dataset(name: "noisy", pixels: pixels, labels: labels, imageShape: [2, 2], classNames: ["a", "b", "c"])
    }

    static func holdout(_ fraction: Double?) throws -> CalibrationHoldout {
        var options = ModelOptions()
        options.calibrationSplit = fraction
        return try CalibrationHoldout(options)
    }

    /// Each sample's number, from pixels 1 and 2.
    static func numbers(_ dataset: Dataset) -> [Int] {
        (0..<dataset.count).map { Int(dataset.pixels[$0 * 4 + 1]) + 256 * Int(dataset.pixels[$0 * 4 + 2]) }
    }

    @Test func theShareHeldOutIsStratifiedSeededAndDisjointFromTheFit() throws {
        let holdout = try Self.holdout(0.1)
        let (fit, heldOut) = try holdout.split(Self.data, seed: 3)
        let calibration = try #require(heldOut)
        #expect(calibration.classCounts == [50, 30, 20], "each class gives a tenth")
        #expect(fit.classCounts == [450, 270, 180])
        let (fitNumbers, heldNumbers) = (Self.numbers(fit), Self.numbers(calibration))
        #expect(Set(fitNumbers).isDisjoint(with: heldNumbers))
        #expect(Set(fitNumbers + heldNumbers) == Set(0..<1_000))

        let again = try #require(try holdout.split(Self.data, seed: 3).heldOut)
        #expect(Self.numbers(again) == heldNumbers, "the same seed holds out the same samples")
        let other = try #require(try holdout.split(Self.data, seed: 4).heldOut)
        #expect(Self.numbers(other) != heldNumbers, "another seed holds out others")
        #expect(other.classCounts == [50, 30, 20])
    }

    @Test func nothingIsHeldOutAtZeroOrFromASampleTooSmallToGiveAny() throws {
        #expect(try Self.holdout(nil).fraction == CalibrationHoldout.defaultFraction)
        let none = try Self.holdout(0).split(Self.data, seed: 0)
        #expect(none.heldOut == nil && none.fit.count == 1_000)
        let four = Self.data.subset([0, 1, 2, 3])  // one class, four samples: a tenth rounds to none
        let tiny = try Self.holdout(0.1).split(four, seed: 0)
        #expect(tiny.heldOut == nil && tiny.fit.count == 4)
    }

    @Test(arguments: [-0.1, 1, 1.5, Double.nan, Double.infinity])
    func aShareOutsideZeroToOneIsRefusedWithoutNamingAFlag(fraction: Double) throws {
        do {
            _ = try Self.holdout(fraction)
            Issue.record("\(fraction) was accepted")
        } catch let error as ModelError {
            guard case let .invalidHyperparameter(name, _, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(name == "calibration split")
            #expect(!error.description.contains("--"), "\(error)")
        }
        var options = ModelOptions()
        options.calibrationSplit = fraction
        #expect(throws: ModelError.self) { try ModelEntry(.tree, options: options) }
    }

    @Test func calibrationOnTheHeldOutShareMendsAnOverconfidentModel() throws {
        let (train, test) = (Self.noisy(offset: 0), Self.noisy(offset: 1_000))
        let plan = ComparePlan(models: [
            ModelEntry(name: "held", holdout: try Self.holdout(0.2)) { _ in Overconfident() },
            ModelEntry(name: "none") { _ in Overconfident() },
        ], sizes: [train.count], seeds: [0])
        let run = try runComparison(plan, train: train, test: test, datasetName: "noisy")
        let (held, none) = (run.records[0], run.records[1])
        #expect(held.testAccuracy == 0.75 && none.testAccuracy == 0.75, "calibration never moves a prediction")

        #expect(held.calibrationSplit == 0.2 && held.calibrationSize == 120 && held.size == 600)
        let temperature = try #require(held.calibration?.temperature)
        #expect(temperature > 5, "scores of 20 for a 75% guess need a large temperature: \(temperature)")
        let (before, after) = (try #require(held.testUncalibratedCalibrationError),
                               try #require(held.testCalibrationError))
        #expect(before > 0.2, "near-certain and right 75% of the time: \(before)")
        #expect(after < 0.05, "calibrated: \(after)")
        #expect(try #require(held.testLogLoss) < (try #require(held.testUncalibratedLogLoss)) / 2)

        #expect(none.calibrationSplit == 0 && none.calibrationSize == 0 && none.calibration == .identity)
        #expect(none.testCalibrationError == none.testUncalibratedCalibrationError)
        #expect(try #require(none.testCalibrationError) > 0.2)

        let rerun = try runComparison(plan, train: train, test: test, datasetName: "noisy")
        #expect(rerun.records.map(\.outcome) == run.records.map(\.outcome), "same seed, same records")
    }

    @Test func aFitThatIgnoresTheSeedIsFittedOnceOnTheWholeSetAlsoWithAShareHeldOut() throws {
        let entry = ModelEntry(name: "fixed", fitIgnoresSeed: true, holdout: try Self.holdout(0.1)) { _ in
            NearestCentroid()
        }
        #expect(entry.fitIgnoresSeed)
        let whole = Self.data.count
        let plan = ComparePlan(models: [entry], sizes: [whole / 2, whole], seeds: [0, 1])
        #expect(plan.tasks(trainingSetSize: whole).count == 3, "half the set: a fit per seed; all of it: one")
        let run = try runComparison(plan, train: Self.data, test: Self.data, datasetName: "unbalanced")
        let atFull = run.records.filter { $0.size == whole }
        #expect(atFull.map(\.reusedFromSeed) == [nil, 0])
        let fitted = run.samples.filter { $0.size == whole }.map(\.fitted)
        #expect(fitted.count == 2 && fitted[0] == fitted[1] && fitted[0].count < whole,
                "at the full size every seed holds out the same share")
        let half = run.samples.filter { $0.size == whole / 2 }.map(\.fitted)
        #expect(half.count == 2 && half[0] != half[1], "a sample a seed drew has its share drawn with that seed")

        // The record reused for seed 1 is what fitting seed 1 on its own gives.
        let alone = try runComparison(ComparePlan(models: [entry], sizes: [whole], seeds: [1]), train: Self.data,
                                      test: Self.data, datasetName: "unbalanced").records
        var reused = try #require(atFull.last).outcome
        reused.reusedFromSeed = nil
        #expect(alone.map(\.outcome) == [reused])
    }

    // MARK: Records of different shares are not mixed

    static func configuration(_ fraction: Double?) throws -> CompareConfiguration {
        var options = ModelOptions()
        options.calibrationSplit = fraction
        return try CompareConfiguration(dataset: "unbalanced", split: DatasetSplit(train: data, test: data),
                                        options: options)
    }

    @Test func theConfigurationRecordsTheShareResolvedAndApartFromTheOptions() throws {
        let byDefault = try Self.configuration(nil)
        #expect(byDefault.calibrationSplit == CalibrationHoldout.defaultFraction)
        #expect(byDefault.options.isEmpty, "\(byDefault.options)")
        #expect(try Self.configuration(0.1) == byDefault, "the default spelled out is the same configuration")
        let differences = try Self.configuration(0.25).differences(from: byDefault)
        #expect(differences == ["calibration split: 0.1 there, 0.25 here"])

        // Written before the share was recorded: nothing was held out.
        let encoded = try JSONEncoder().encode(byDefault)
        var object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect(object["calibration_split"] as? Double == 0.1)
        object.removeValue(forKey: "calibration_split")
        let old = try JSONDecoder().decode(CompareConfiguration.self,
                                           from: try JSONSerialization.data(withJSONObject: object))
        #expect(old.calibrationSplit == 0)
    }

    @Test func resumingRefusesRecordsOfAnotherShare() throws {
        let folder = CompareTasksTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try Self.configuration(0.1)
        let results = CompareResults(dataset: "unbalanced", testSize: Self.data.count, machine: .current(),
                                     records: [record("centroid", size: 50, testAccuracy: 0.9)],
                                     configuration: written)
        try CompareOutput.writeResults(results, to: folder)
        #expect(try CompareOutput.resumableRecords(in: folder, configuration: written).count == 1)
        do {
            _ = try CompareOutput.resumableRecords(in: folder, configuration: try Self.configuration(0))
            Issue.record("records held out at 0.1 were resumed with none held out")
        } catch let CompareTaskError.otherConfiguration(_, differences) {
            #expect(differences == ["calibration split: 0.1 there, 0.0 here"])
        }
    }

    @Test func mergingRefusesTaskRecordsOfAnotherShare() throws {
        let folder = CompareTasksTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let entries = [ModelEntry(name: "centroid", holdout: try Self.holdout(0.2)) { _ in NearestCentroid() }]
        let plan = ComparePlan(models: entries, sizes: [100], seeds: [0])
        let split = DatasetSplit(train: Self.data, test: Self.data)
        let fifth = try Self.configuration(0.2)
        _ = try runCompareTask(0, of: plan, on: split, configuration: fifth, folder: folder)
        let merged = try mergeCompareTasks(of: plan, trainingSetSize: Self.data.count, configuration: fifth,
                                           folders: [folder])
        #expect(merged.records.first?.calibrationSize == 20)
        #expect(throws: CompareTaskError.self) {
            try mergeCompareTasks(of: plan, trainingSetSize: Self.data.count,
                                  configuration: try Self.configuration(0.1), folders: [folder])
        }
        #expect(throws: CompareTaskError.self, "a task file of another share is not overwritten") {
            try runCompareTask(0, of: plan, on: split, configuration: try Self.configuration(0.1), folder: folder)
        }
        let line = try plan.tasks(trainingSetSize: Self.data.count)[0].planLine(configuration: fifth, folder: "out")
        #expect(line.contains("\"calibration_split\":0.2"), "\(line)")
    }
}
