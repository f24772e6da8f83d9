import Foundation
import ZooCore
import ZooData
import ZooTensor

/// Calibrated probabilities of saved models, the weighted soft vote over them, and the "not a digit" score.
///
/// The vote is a linear opinion pool, `p(y) = Σ_m w_m p_m(y)`, whose weights maximise the pool's log-likelihood
/// on held-out digits (EM for mixture weights with fixed components: convex, so the fit is unique); a model that
/// adds nothing the others do not say gets a weight near 0. The "not a digit" score combines six statistics
/// of the 28x28 field and the vote: how far the inked fraction lies from held-out digits' median and how far
/// the fraction of anti-aliased (gray) ink lies above it, the share of the ink outside its largest connected stroke (dots, stripes and
/// checkerboards scatter their ink; a digit is one or two strokes), the share of strong ink deep inside a blob
/// (filled shapes; a pen stroke is thin), the share of the image that the 40 principal components of held-out digits
/// do not explain (PCA reconstruction error, the classic novelty score), and the vote's doubt (1 − its top
/// probability). Each is divided by its own limit, the 99.9th percentile of held-out digits, and the score is
/// the largest ratio: above 1 is not a digit.
public enum CalibratedVote {
    /// The calibrated probabilities of `model` (with `calibration`) on `inputs` `[N, features]`, in batches of
    /// `batchSize`: N rows of K probabilities. Throws what the model's `forward` throws.
    public static func probabilities(_ model: any Model, _ calibration: Calibration, inputs: Tensor,
                                     batchSize: Int = 1000) throws -> [[Double]] {
        var rows: [[Double]] = []
        rows.reserveCapacity(inputs.rows)
        for start in stride(from: 0, to: inputs.rows, by: batchSize) {
            let batch = inputs.rows(start..<min(start + batchSize, inputs.rows))
            rows += calibration.probabilities(try model.calibrationOutputs(batch))
        }
        return rows
    }

    /// The calibration of `model` fitted on `dataset` (held-out digits). Throws what `forward` throws and
    /// `CalibrationError` for empty data.
    public static func fitCalibration(_ model: any Model, on dataset: Dataset, batchSize: Int = 1000) throws
        -> Calibration {
        var outputs: [Float] = []
        var columns = 0
        for start in stride(from: 0, to: dataset.count, by: batchSize) {
            let batch = try model.calibrationOutputs(dataset.inputs.rows(start..<min(start + batchSize, dataset.count)))
            columns = batch.columns
            outputs += batch.scalars
        }
        return try Calibration.fitted(outputs: Tensor(shape: [dataset.count, columns], values: outputs),
                                      labels: dataset.labels)
    }

    /// Mixture weights (summing to 1) maximising `Σ_i log Σ_m w_m p_m(y_i)` for per-model probabilities
    /// `perModel[m][i]` of the true `labels`: 200 EM steps from equal weights.
    public static func fitWeights(_ perModel: [[[Double]]], labels: [Int]) -> [Double] {
        let models = perModel.count
        guard models > 0, !labels.isEmpty else { return [] }
        let truth = perModel.map { rows in zip(rows, labels).map { max($0[$1], 1e-15) } }
        var weights = [Double](repeating: 1 / Double(models), count: models)
        for _ in 0..<200 {
            var responsibility = [Double](repeating: 0, count: models)
            for sample in labels.indices {
                let total = (0..<models).reduce(0) { $0 + weights[$1] * truth[$1][sample] }
                for m in 0..<models { responsibility[m] += weights[m] * truth[m][sample] / total }
            }
            weights = responsibility.map { $0 / Double(labels.count) }
        }
        return weights
    }

    /// The pool `Σ_m weights[m] perModel[m]` of one sample's probability vectors.
    public static func pooled(_ perModel: [[Double]], weights: [Double]) -> [Double] {
        guard let classes = perModel.first?.count else { return [] }
        var pool = [Double](repeating: 0, count: classes)
        for (probabilities, weight) in zip(perModel, weights) {
            for k in 0..<classes { pool[k] += weight * probabilities[k] }
        }
        let total = pool.reduce(0, +)
        return total > 0 ? pool.map { $0 / total } : pool
    }

    /// The statistics of a 28x28 MNIST-style field (784 bytes, ink 255) that the "not a digit" score reads:
    /// the fraction of pixels with any ink, and the fraction of inked pixels that are gray (anti-aliased
    /// edges: 32...223).
    public static func inkStatistics(_ pixels: [UInt8]) -> (inked: Double, gray: Double) {
        let inked = pixels.filter { $0 > 0 }.count
        let gray = pixels.filter { (32...223).contains($0) }.count
        return (Double(inked) / Double(max(1, pixels.count)), inked == 0 ? 0 : Double(gray) / Double(inked))
    }
}

/// What the weighted vote and the "not a digit" score need, fitted on held-out digits and stored as JSON next to
/// the pretrained models (`Zoo/vote.json`).
public struct VotePolicy: Codable, Sendable, Equatable {
    /// Model name (the file's name without extension) -> pool weight. Weights of the models used are
    /// renormalised; a model missing here gets the mean of the others' (equal weights when none is known).
    public var weights: [String: Double]
    /// Median inked fraction of held-out digits, and the 99.9th percentile of |inked − median|.
    public var inkedMedian: Double, inkedLimit: Double
    /// Median gray fraction of held-out digits' ink, and the 99.9th percentile of how far above it a digit's
    /// lies. One-sided: crisp drawings without anti-aliasing are digits too; gray mush (noise) is not.
    public var grayMedian: Double, grayLimit: Double
    /// The 99.9th percentile of the vote's doubt (1 − top probability) on held-out digits.
    public var doubtLimit: Double
    /// Mean held-out digit (pixels 0...1, one value per pixel) and the top principal components of held-out
    /// digits (orthonormal rows, each as long as `mean`).
    public var mean: [Float], components: [[Float]]
    /// The 99.9th percentile of the share of a held-out digit's energy the components leave unexplained.
    public var residualLimit: Double
    /// The 99.9th percentile of the share of a held-out digit's ink outside its largest connected stroke.
    public var scatterLimit: Double
    /// The 99.9th percentile of the share of a held-out digit's strong ink deep inside a blob (`solidity`).
    public var solidityLimit: Double
    /// What the numbers were fitted on, e.g. "mnist train 50000..<60000".
    public var fittedOn: String

    /// File name of the policy in the zoo folder.
    public static let fileName = "vote.json"

    public init(weights: [String: Double], inkedMedian: Double, inkedLimit: Double, grayMedian: Double,
                grayLimit: Double, doubtLimit: Double, mean: [Float] = [], components: [[Float]] = [],
                residualLimit: Double = 1, scatterLimit: Double = 1, solidityLimit: Double = 1,
                fittedOn: String) {
        self.solidityLimit = solidityLimit
        self.scatterLimit = scatterLimit
        self.mean = mean
        self.components = components
        self.residualLimit = residualLimit
        self.weights = weights
        self.inkedMedian = inkedMedian
        self.inkedLimit = inkedLimit
        self.grayMedian = grayMedian
        self.grayLimit = grayLimit
        self.doubtLimit = doubtLimit
        self.fittedOn = fittedOn
    }

    /// The weights of `names`, in their order, summing to 1.
    public func weights(for names: [String]) -> [Double] {
        let known = names.compactMap { weights[$0] }
        let fallback = known.isEmpty ? 1 : known.reduce(0, +) / Double(known.count)
        let raw = names.map { weights[$0] ?? fallback }
        let total = raw.reduce(0, +)
        return total > 0 ? raw.map { $0 / total } : names.map { _ in 1 / Double(names.count) }
    }

    /// How unlike held-out digits a field with `pixels` (784 bytes) and a vote `pool` is: the largest of three
    /// statistics over its limit; above 1 is "not a digit". ≥ 0 and finite.
    public func outOfDistributionScore(pixels: [UInt8], pool: [Double]) -> Double {
        let ink = CalibratedVote.inkStatistics(pixels)
        let doubt = 1 - (pool.max() ?? 0)
        let ratios = [abs(ink.inked - inkedMedian) / inkedLimit, max(0, ink.gray - grayMedian) / grayLimit,
                      doubt / doubtLimit, Self.residual(pixels, mean: mean, components: components) / residualLimit,
                      Self.scatter(pixels) / scatterLimit, Self.solidity(pixels) / solidityLimit]
        let score = ratios.max() ?? 0
        return score.isFinite ? score : 1e9
    }

    /// The policy fitted on held-out digits: weights by EM on the models' calibrated `perModel[m][i]`, limits
    /// as the 99.9th percentiles of the statistics. `pixels` are the digits' 784-byte fields.
    public static func fitted(names: [String], perModel: [[[Double]]], labels: [Int], pixels: [[UInt8]],
                              fittedOn: String) -> VotePolicy {
        let weights = CalibratedVote.fitWeights(perModel, labels: labels)
        let ink = pixels.map(CalibratedVote.inkStatistics)
        let inkedMedian = percentile(ink.map(\.inked), 0.5), grayMedian = percentile(ink.map(\.gray), 0.5)
        let doubts = labels.indices.map { sample in
            1 - (CalibratedVote.pooled(perModel.map { $0[sample] }, weights: weights).max() ?? 0)
        }
        let (mean, components) = principalComponents(pixels, count: componentCount)
        let residuals = pixels.map { residual($0, mean: mean, components: components) }
        return VotePolicy(
            weights: Dictionary(uniqueKeysWithValues: zip(names, weights)), inkedMedian: inkedMedian,
            inkedLimit: max(1e-6, percentile(ink.map { abs($0.inked - inkedMedian) }, limitQuantile)),
            grayMedian: grayMedian,
            grayLimit: max(1e-6, percentile(ink.map { max(0, $0.gray - grayMedian) }, limitQuantile)),
            doubtLimit: max(1e-6, percentile(doubts, limitQuantile)), mean: mean, components: components,
            residualLimit: max(1e-6, percentile(residuals, limitQuantile)),
            scatterLimit: max(1e-6, percentile(pixels.map(scatter), limitQuantile)),
            solidityLimit: max(0.01, percentile(pixels.map(solidity), limitQuantile)), fittedOn: fittedOn)
    }

    /// Each statistic's limit rejects this much of held-out digits at most (six of them: ≤ 0.6% together).
    static let limitQuantile = 0.999

    /// The share of a square field's strong ink (≥ 128) deep inside a blob: pixels whose whole 5x5 neighbourhood
    /// is strong ink. A pen stroke is 2–4 pixels wide in MNIST's field, so digits have almost none; filled shapes
    /// and big dots are mostly interior. In 0...1.
    static func solidity(_ pixels: [UInt8]) -> Double {
        let side = Int(Double(pixels.count).squareRoot())
        guard side * side == pixels.count else { return 0 }
        var strong = 0, interior = 0
        for y in 0..<side {
            for x in 0..<side where pixels[y * side + x] >= 128 {
                strong += 1
                guard (2..<(side - 2)).contains(x), (2..<(side - 2)).contains(y) else { continue }
                let inside = (-2...2).allSatisfy { dy in (-2...2).allSatisfy { dx in pixels[(y + dy) * side + x + dx] >= 128 } }
                if inside { interior += 1 }
            }
        }
        return strong > 0 ? Double(interior) / Double(strong) : 0
    }

    /// The share of a square field's ink (`pixels`, ink > 0) outside its largest 4-connected component, in 0...1.
    static func scatter(_ pixels: [UInt8]) -> Double {
        let side = Int(Double(pixels.count).squareRoot())
        guard side * side == pixels.count else { return 0 }
        var seen = [Bool](repeating: false, count: pixels.count)
        var total = 0.0, largest = 0.0
        for start in pixels.indices where pixels[start] > 0 && !seen[start] {
            var mass = 0.0, stack = [start]
            seen[start] = true
            while let pixel = stack.popLast() {
                mass += Double(pixels[pixel])
                let (x, y) = (pixel % side, pixel / side)
                for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)]
                where (0..<side).contains(nx) && (0..<side).contains(ny) {
                    let neighbour = ny * side + nx
                    if pixels[neighbour] > 0 && !seen[neighbour] {
                        seen[neighbour] = true
                        stack.append(neighbour)
                    }
                }
            }
            total += mass
            largest = max(largest, mass)
        }
        return total > 0 ? (total - largest) / total : 0
    }

    /// How many principal components of held-out digits the reconstruction keeps.
    static let componentCount = 40

    /// The share of `pixels`' energy around `mean` that `components` leave unexplained, in 0...1 (0 when there
    /// are no components or the sizes differ: the statistic is then off).
    static func residual(_ pixels: [UInt8], mean: [Float], components: [[Float]]) -> Double {
        guard !components.isEmpty, mean.count == pixels.count else { return 0 }
        let centred = zip(pixels, mean).map { Double($0) / 255 - Double($1) }
        let energy = centred.reduce(0) { $0 + $1 * $1 }
        guard energy > 1e-12 else { return 0 }
        let explained = components.reduce(0.0) { total, component in
            let projection = zip(centred, component).reduce(0) { $0 + $1.0 * Double($1.1) }
            return total + projection * projection
        }
        return max(0, energy - explained) / energy
    }

    /// The mean and top `count` principal components of `pixels` (rows of equal length): subspace iteration on
    /// the covariance (30 products, Gram–Schmidt after each), from a seeded start.
    static func principalComponents(_ pixels: [[UInt8]], count: Int) -> (mean: [Float], components: [[Float]]) {
        guard let size = pixels.first?.count, !pixels.isEmpty else { return ([], []) }
        var mean = [Float](repeating: 0, count: size)
        for row in pixels { for i in 0..<size { mean[i] += Float(row[i]) / 255 } }
        mean = mean.map { $0 / Float(pixels.count) }
        let centred = Tensor(shape: [pixels.count, size], values: pixels.flatMap { row in
            (0..<size).map { Float(row[$0]) / 255 - mean[$0] }
        })
        let covariance = Tensor.matmul(centred, transposed: true, centred)
        var generator = SeededGenerator(seed: 0)
        var basis = (0..<(count * size)).map { _ in generator.nextUniform() - 0.5 }
        for _ in 0..<30 {
            let product = Tensor.matmul(covariance, transposed: false, Tensor(shape: [count, size], values: basis),
                                        transposed: true)
            let columns = product.scalars  // [size, count]
            var rows = (0..<count).map { k in (0..<size).map { Double(columns[$0 * count + k]) } }
            for k in 0..<count {
                for j in 0..<k {
                    let dot = zip(rows[k], rows[j]).reduce(0) { $0 + $1.0 * $1.1 }
                    for i in 0..<size { rows[k][i] -= dot * rows[j][i] }
                }
                let norm = sqrt(rows[k].reduce(0) { $0 + $1 * $1 })
                rows[k] = rows[k].map { $0 / max(norm, 1e-30) }
            }
            basis = rows.flatMap { $0.map(Float.init) }
        }
        return (mean, (0..<count).map { Array(basis[$0 * size ..< ($0 + 1) * size]) })
    }

    /// Reads a policy; throws `VotePolicyError` naming `path` when it cannot be read, is not a policy, or holds
    /// numbers out of range (negative or non-finite weights, limits ≤ 0).
    public static func read(_ path: String) throws -> VotePolicy {
        let policy: VotePolicy
        do {
            policy = try JSONDecoder().decode(VotePolicy.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw VotePolicyError.unreadable(file: path, reason: "\(error)")
        }
        let numbers = [policy.inkedMedian, policy.grayMedian]
        let limits = [policy.inkedLimit, policy.grayLimit, policy.doubtLimit, policy.residualLimit,
                      policy.scatterLimit, policy.solidityLimit]
        guard policy.weights.values.allSatisfy({ $0.isFinite && $0 >= 0 }), numbers.allSatisfy(\.isFinite),
              limits.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw VotePolicyError.unreadable(file: path, reason: "a weight is negative or not finite, or a limit "
                                             + "is not a positive number")
        }
        guard policy.mean.allSatisfy(\.isFinite), policy.components.count <= policy.mean.count,
              policy.components.allSatisfy({ $0.count == policy.mean.count && $0.allSatisfy(\.isFinite) }) else {
            throw VotePolicyError.unreadable(file: path, reason: "its principal components do not match its mean "
                                             + "image or hold values that are not finite")
        }
        return policy
    }

    /// Writes the policy as JSON atomically.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try writeAtomically(Array(try encoder.encode(self)) + [10], to: path)
    }
}

/// The q-quantile (0...1) of `values` by the nearest rank; 0 for none.
func percentile(_ values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))]
}

/// A vote policy file that cannot be used.
public enum VotePolicyError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "\(file) is not a vote policy: \(reason). Regenerate it with Zoo/calibrate.sh"
        }
    }
}

/// One model's calibration, as `calibrateZoo` reports it.
public struct CalibrationReport: Sendable {
    public let name: String
    public let calibration: Calibration
    /// Log-loss and ECE (15 bins) on the held-out digits before (identity) and after calibration.
    public let logLossBefore: Double, logLossAfter: Double, eceBefore: Double, eceAfter: Double
    /// The model's weight in the vote.
    public let weight: Double
}

extension CalibratedVote {
    /// Calibrates every model file in `directory` on the held-out digits `heldOut`, rewrites each file
    /// atomically with its calibration, and writes the vote policy fitted on the same digits next to them.
    /// With `test`, also rewrites the "Calibration" section of each model's card (`<name>.md` next to its file,
    /// where there is one) with the calibration, its test-set log-loss and ECE and the model's vote weight.
    /// Throws what loading, `forward` or writing throws.
    public static func calibrateZoo(directory: String, heldOut: Dataset, fittedOn: String,
                                    test: Dataset? = nil) throws -> [CalibrationReport] {
        let saved = try SavedModels.loadAll(in: directory)
        var perModel: [[[Double]]] = []
        var partial: [(SavedModel, Calibration, [[Double]])] = []
        for model in saved {
            let calibration = try fitCalibration(model.model, on: heldOut)
            var file = model.file
            file.calibration = calibration
            try file.write(to: model.path)
            let before = try probabilities(model.model, .identity, inputs: heldOut.inputs)
            let after = try probabilities(model.model, calibration, inputs: heldOut.inputs)
            perModel.append(after)
            partial.append((model, calibration, before))
        }
        let size = heldOut.pixelsPerImage
        let pixels = (0..<heldOut.count).map { Array(heldOut.pixels[$0 * size ..< ($0 + 1) * size]) }
        let policy = VotePolicy.fitted(names: saved.map(\.name), perModel: perModel, labels: heldOut.labels,
                                       pixels: pixels, fittedOn: fittedOn)
        try policy.write(to: URL(fileURLWithPath: directory).appendingPathComponent(VotePolicy.fileName).path)
        if let test {
            for (model, calibration, _) in partial {
                try updateCard(of: model, calibration: calibration, fittedOn: fittedOn, test: test,
                               weight: policy.weights[model.name] ?? 0)
            }
        }
        let labels = heldOut.labels
        return zip(partial, perModel).map { entry, after in
            let (model, calibration, before) = entry
            return CalibrationReport(
                name: model.name, calibration: calibration,
                logLossBefore: negativeLogLikelihood(before, labels), logLossAfter: negativeLogLikelihood(after, labels),
                eceBefore: expectedCalibrationError(before, labels), eceAfter: expectedCalibrationError(after, labels),
                weight: policy.weights[model.name] ?? 0)
        }
    }
}

extension CalibratedVote {
    /// Rewrites the "Calibration" section of `model`'s card (its file's name with `.md`), if it has one.
    static func updateCard(of model: SavedModel, calibration: Calibration, fittedOn: String, test: Dataset,
                           weight: Double) throws {
        let card = URL(fileURLWithPath: model.path).deletingPathExtension().appendingPathExtension("md").path
        guard FileManager.default.fileExists(atPath: card) else { return }
        let text = try String(contentsOfFile: card, encoding: .utf8)
        let evaluation = try TestSetEvaluation(model: model.model, dataset: test, calibration: calibration)
        let section = CardCalibration(
            calibration: calibration, fittedOn: "\(fittedOn), digits this model was not trained on",
            testLogLoss: evaluation.logLoss, testCalibrationError: evaluation.expectedCalibrationError,
            voteWeight: weight)
        try writeAtomically(Array(ModelCard.replacingCalibration(in: text, with: section).utf8), to: card)
    }
}
