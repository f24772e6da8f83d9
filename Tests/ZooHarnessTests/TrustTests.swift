import Foundation
import Testing
import ZooCore
import ZooData
import ZooHarness
import ZooTensor

/// The shipped zoo's calibrated probabilities on a labelled set, computed once per set.
struct ShippedProbabilities: Sendable {
    let names: [String]
    /// `perModel[m][i]`: model m's calibrated probabilities of sample i.
    let perModel: [[[Double]]]
    let predictions: [[Int]]
    let labels: [Int]
    let pixels: [[UInt8]]

    init(_ dataset: Dataset) throws {
        let saved = try SavedModels.loadAll(in: shippedZooFolder)
        names = saved.map(\.name)
        perModel = try saved.map { try CalibratedVote.probabilities($0.model, $0.file.calibration, inputs: dataset.inputs) }
        predictions = try saved.map { try TestSetEvaluation(model: $0.model, dataset: dataset).predictions }
        labels = dataset.labels
        pixels = (0..<dataset.count).map { Array(dataset.pixels[$0 * 784 ..< ($0 + 1) * 784]) }
    }

    func accuracy(_ predicted: [Int]) -> Double {
        Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }

    /// The weighted vote's top class per sample, and its pool.
    func vote(_ policy: VotePolicy) -> (digits: [Int], pools: [[Double]]) {
        let weights = policy.weights(for: names)
        let pools = labels.indices.map { i in CalibratedVote.pooled(perModel.map { $0[i] }, weights: weights) }
        return (pools.map { pool in pool.indices.max { (pool[$0], -$0) < (pool[$1], -$1) }! }, pools)
    }
}

let shippedOnTest = Result { try ShippedProbabilities(DatasetRegistry.loadFromEnvironment().test) }
let shippedOnShifted = Result { try ShippedProbabilities(styleShifted(DatasetRegistry.loadFromEnvironment().test.prefix(3000))) }

/// MNIST test digits restyled the way other people's handwriting differs: thicker and thinner strokes,
/// rotations of ±12°, shifts of 2 pixels, one style per digit in turn.
func styleShifted(_ dataset: Dataset) -> Dataset {
    var pixels: [UInt8] = []
    for index in 0..<dataset.count {
        let digit = Array(dataset.pixels[index * 784 ..< (index + 1) * 784])
        func at(_ x: Int, _ y: Int) -> UInt8 { (0..<28).contains(x) && (0..<28).contains(y) ? digit[y * 28 + x] : 0 }
        let styled: [UInt8] = (0..<784).map { p in
            let (x, y) = (p % 28, p / 28)
            switch index % 6 {
            case 0: return [at(x, y), at(x + 1, y), at(x, y + 1), at(x + 1, y + 1)].max()!          // thicker
            case 1: return [at(x, y), at(x + 1, y), at(x, y + 1), at(x + 1, y + 1)].min()!          // thinner
            case 2, 3:                                                                              // rotated
                let angle = (index % 6 == 2 ? 12.0 : -12.0) * Double.pi / 180
                let (dx, dy) = (Double(x) - 13.5, Double(y) - 13.5)
                let sx = cos(angle) * dx - sin(angle) * dy + 13.5, sy = sin(angle) * dx + cos(angle) * dy + 13.5
                return at(Int(sx.rounded()), Int(sy.rounded()))
            case 4: return at(x - 2, y + 2)                                                         // shifted
            default: return at(x + 2, y - 2)
            }
        }
        pixels += styled
    }
    return Dataset(name: "mnist-style-shifted", pixels: pixels, labels: dataset.labels, imageShape: [28, 28],
                   classNames: dataset.classNames)
}

/// 200 images that are not digits: noise, filled and outlined shapes, dots, stripes, checkerboards (40 each),
/// on 64x64 gray pages, each prepared as a drawing would be. Nil for an image with no ink.
func nonDigits() -> [(kind: String, field: GrayImage?)] {
    var generator = SeededGenerator(seed: 17)
    let side = 64
    func page(_ ink: (Int, Int) -> Bool) -> [UInt8] {
        (0..<(side * side)).map { ink($0 % side, $0 / side) ? 0 : 255 }
    }
    var images: [(String, [UInt8])] = []
    for index in 0..<40 {
        let noise = (0..<(side * side)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        images.append(("noise", index % 2 == 0 ? noise : noise.map { $0 > 128 ? 255 : 0 }))
        let (cx, cy) = (Double.random(in: 24...40, using: &generator), Double.random(in: 24...40, using: &generator))
        let radius = Double.random(in: 8...22, using: &generator)
        switch index % 4 {
        case 0: images.append(("shape", page { x, y in hypot(Double(x) - cx, Double(y) - cy) < radius }))
        case 1: images.append(("shape", page { x, y in abs(Double(x) - cx) < radius && abs(Double(y) - cy) < radius * 0.7 }))
        case 2: images.append(("shape", page { x, y in Double(y) > cy - radius && abs(Double(x) - cx) < (Double(y) - cy + radius) / 2 }))
        default:
            images.append(("shape", page { x, y in
                abs(Double(x) - cx) < radius && abs(Double(y) - cy) < radius
                    && (abs(Double(x) - cx) > radius - 3 || abs(Double(y) - cy) > radius - 3)
            }))
        }
        let dots = (0..<(1 + index % 3)).map { _ in
            (Int.random(in: 8..<56, using: &generator), Int.random(in: 8..<56, using: &generator))
        }
        let dotRadius = Double(Int.random(in: 2...5, using: &generator))
        images.append(("dots", page { x, y in dots.contains { hypot(Double(x - $0.0), Double(y - $0.1)) < dotRadius } }))
        let period = Int.random(in: 4...16, using: &generator)
        images.append(("stripes", page { x, y in
            switch index % 3 {
            case 0: (x / period) % 2 == 0
            case 1: (y / period) % 2 == 0
            default: ((x + y) / period) % 2 == 0
            }
        }))
        let cell = Int.random(in: 2...16, using: &generator)
        images.append(("checkerboard", page { x, y in (x / cell + y / cell) % 2 == 0 }))
    }
    return images.map { kind, gray in
        (kind, try? DigitPreprocessing.mnistDigit(GrayImage(width: side, height: side, pixels: gray), source: kind))
    }
}

@Suite struct TrustTests {
    /// Guo et al.'s measure, 15 bins, on the full MNIST test set, after `zoo calibrate`.
    @Test func everyShippedModelIsCalibratedOnTheTestSet() throws {
        let shipped = try shippedOnTest.get()
        for (name, probabilities) in zip(shipped.names, shipped.perModel) {
            let ece = expectedCalibrationError(probabilities, shipped.labels)
            #expect(ece <= 0.02, "\(name): ECE \(ece) on the MNIST test set")
        }
    }

    @Test func theWeightedVoteIsAtLeastAsAccurateAsTheBestModel() throws {
        let policy = try VotePolicy.read(shippedZooFolder + "/" + VotePolicy.fileName)
        for (set, shipped) in [("MNIST test", try shippedOnTest.get()), ("style-shifted", try shippedOnShifted.get())] {
            let best = shipped.predictions.map(shipped.accuracy).max() ?? 1
            let vote = shipped.accuracy(shipped.vote(policy).digits)
            #expect(vote >= best, "\(set): vote \(vote), best single model \(best)")
        }
    }

    @Test func nonDigitsAreRejectedAndDigitsKept() throws {
        let shipped = try shippedOnTest.get()
        let policy = try VotePolicy.read(shippedZooFolder + "/" + VotePolicy.fileName)
        let pools = shipped.vote(policy).pools
        let rejectedDigits = zip(shipped.pixels, pools).filter {
            policy.outOfDistributionScore(pixels: $0, pool: $1) > 1
        }.count
        #expect(Double(rejectedDigits) <= 0.01 * Double(shipped.labels.count),
                "\(rejectedDigits) of \(shipped.labels.count) MNIST test digits called not a digit")

        let saved = try SavedModels.loadAll(in: shippedZooFolder)
        let models = saved.map { (name: $0.name, model: $0.model, calibration: $0.file.calibration) }
        var kept: [String: Int] = [:]
        let images = nonDigits()
        for (kind, field) in images {
            guard let field else { continue }  // no ink at all: rejected before any model runs
            let result = try DigitClassification(file: kind, digit: field, models: models, policy: policy)
            if result.vote != nil { kept[kind, default: 0] += 1 }
        }
        let keptCount = kept.values.reduce(0, +)
        #expect(images.count == 200)
        #expect(Double(keptCount) <= 0.05 * Double(images.count), "classified as digits: \(kept)")
    }

    @Test func votePoliciesAreValidatedWhenRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-vote-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = VotePolicy(weights: ["a": 0.25, "b": 0.75], inkedMedian: 0.2, inkedLimit: 0.1, grayMedian: 0.4,
                              grayLimit: 0.2, doubtLimit: 0.5, fittedOn: "probe")
        let path = folder.appendingPathComponent("vote.json").path
        try good.write(to: path)
        #expect(try VotePolicy.read(path) == good)
        #expect(good.weights(for: ["a", "b", "c"]) == [0.25 / 1.5, 0.75 / 1.5, 0.5 / 1.5],
                "an unknown model gets the mean weight")
        for bad in ["{", "{\"weights\": {}}", try String(contentsOfFile: path, encoding: .utf8)
                        .replacingOccurrences(of: "0.25", with: "-0.25")] {
            try bad.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: VotePolicyError.self) { try VotePolicy.read(path) }
        }
    }

    @Test func emWeightsFavourTheModelThatExplainsTheData() {
        // Model 0 is always right and sure, model 1 guesses evenly: the pool's likelihood is largest near w0 = 1.
        let labels = Array(repeating: 0, count: 50) + Array(repeating: 1, count: 50)
        let right = labels.map { $0 == 0 ? [0.95, 0.05] : [0.05, 0.95] }
        let even = labels.map { _ in [0.5, 0.5] }
        let weights = CalibratedVote.fitWeights([right, even], labels: labels)
        #expect(abs(weights.reduce(0, +) - 1) < 1e-9 && weights[0] > 0.95, "\(weights)")
    }
}
