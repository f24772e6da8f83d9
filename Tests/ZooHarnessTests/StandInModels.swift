import Foundation
import ZooCore
import ZooData
import ZooHarness
import ZooTensor

/// A cheap real classifier for testing the comparison engine without any family: each class is the mean of
/// its training inputs, and an input belongs to the nearest mean. Scores are negative squared distances.
final class NearestCentroid: Model {
    let family = "centroid"
    private(set) var centroids: Tensor?
    /// Every sample fitted, as (size, fingerprint of inputs and labels), to check that all families saw the same.
    let fitLog: FitLog?

    init(fitLog: FitLog? = nil) {
        self.fitLog = fitLog
    }

    func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool) throws {
        try validateTrainingData(inputs, targets, family: family)
        fitLog?.note(family: family, inputs: inputs, targets: targets)
        let classCount = (targets.max() ?? 0) + 1
        let width = inputs.columns
        var sums = [Float](repeating: 0, count: classCount * width)
        var counts = [Float](repeating: 0, count: classCount)
        inputs.withUnsafeBufferPointer { values in
            for (row, target) in targets.enumerated() {
                counts[target] += 1
                for column in 0..<width { sums[target * width + column] += values[row * width + column] }
            }
        }
        for c in 0..<classCount where counts[c] > 0 {
            for column in 0..<width { sums[c * width + column] /= counts[c] }
        }
        centroids = Tensor(shape: [classCount, width], values: sums)
    }

    func forward(_ inputs: Tensor) -> Tensor {
        guard let centroids else { preconditionFailure("NearestCentroid.forward before fit") }
        let products = Tensor.matmul(inputs, transposed: false, centroids, transposed: true)
        let centroidNorms = centroids.withUnsafeBufferPointer { c in
            (0..<centroids.rows).map { row in (0..<centroids.columns).reduce(Float(0)) {
                $0 + c[row * centroids.columns + $1] * c[row * centroids.columns + $1] } }
        }
        return Tensor(shape: products.shape) { out in
            products.withUnsafeBufferPointer { p in
                for i in 0..<out.count { out[i] = 2 * p[i] - centroidNorms[i % centroids.rows] }
            }
        }
    }

    func loss(_ outputs: Tensor, _ targets: [Int]) -> Float {
        Float(1 - accuracy(predicted: outputs.argmax(axis: 1), labels: targets))
    }

    var parameterCount: Int { centroids?.count ?? 0 }
    var description: String { "NearestCentroid(\(parameterCount) parameters)" }
}

/// The simplest baseline: always predicts the most frequent training class.
final class MajorityClass: Model {
    let family = "majority"
    private var classCount = 0
    private var majority = 0
    let fitLog: FitLog?

    init(fitLog: FitLog? = nil) {
        self.fitLog = fitLog
    }

    func fit(_ inputs: Tensor, _ targets: [Int], quiet: Bool) throws {
        try validateTrainingData(inputs, targets, family: family)
        fitLog?.note(family: family, inputs: inputs, targets: targets)
        classCount = (targets.max() ?? 0) + 1
        var counts = [Int](repeating: 0, count: classCount)
        for target in targets { counts[target] += 1 }
        majority = counts.indices.max { counts[$0] < counts[$1] } ?? 0
    }

    func forward(_ inputs: Tensor) -> Tensor {
        Tensor(shape: [inputs.rows, classCount]) { out in
            for i in 0..<out.count { out[i] = i % classCount == majority ? 1 : 0 }
        }
    }

    func loss(_ outputs: Tensor, _ targets: [Int]) -> Float { 0 }
    var parameterCount: Int { 1 }
    var description: String { "MajorityClass(\(majority))" }
}

/// What the stand-in models were fitted on, in order.
final class FitLog: @unchecked Sendable {
    struct Entry: Equatable {
        let family: String
        let size: Int
        let fingerprint: Int
    }
    private(set) var entries = [Entry]()

    func note(family: String, inputs: Tensor, targets: [Int]) {
        var hasher = Hasher()
        inputs.withUnsafeBufferPointer { for value in $0 { hasher.combine(value) } }
        hasher.combine(targets)
        entries.append(Entry(family: family, size: targets.count, fingerprint: hasher.finalize()))
    }

    static func fingerprint(_ dataset: Dataset) -> Int {
        let log = FitLog()
        log.note(family: "", inputs: dataset.inputs, targets: dataset.labels)
        return log.entries[0].fingerprint
    }
}

/// The two stand-in families as comparison entries, logging what they fit into `log`.
func standInEntries(log: FitLog? = nil) -> [ModelEntry] {
    [ModelEntry(name: "centroid") { _ in NearestCentroid(fitLog: log) },
     ModelEntry(name: "majority") { _ in MajorityClass(fitLog: log) }]
}

/// MNIST from `$ZOO_DATA/mnist`; fails with a clear message when ZOO_DATA is unset.
enum MNIST {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func load() throws -> DatasetSplit {
        guard let root = ProcessInfo.processInfo.environment["ZOO_DATA"] else {
            throw Missing(description: "ZOO_DATA is not set: export ZOO_DATA=<folder holding mnist/> to run MNIST tests")
        }
        return try DatasetRegistry.load("mnist", dataDirectory: root)
    }
}

/// A record with the given measures and placeholder values elsewhere, for tests of summaries and reports.
func record(_ model: String, size: Int, seed: UInt64 = 0, testAccuracy: Double, fitSeconds: Double = 1,
            peakMemoryBytes: Int = 1) -> CompareRecord {
    CompareRecord(
        training: TrainingRecord(model: model, dataset: "synthetic", size: size, stratified: true, seed: seed,
                                 testAccuracy: testAccuracy, trainAccuracy: 1, finalLoss: 0,
                                 fitSeconds: fitSeconds, predictSeconds: 0.1, parameters: 10),
        modelBytes: 40, peakMemoryBytes: peakMemoryBytes)
}
