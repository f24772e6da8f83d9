import ZooTensor

extension Dataset {
    /// A seeded stratified split into a training and a test part: each class sends `testFraction` of its samples
    /// (rounded, never all of them) to the test part, so both parts keep the class balance. The same seed gives
    /// the same split. Throws `SplitError` for a fraction outside (0, 1) or a split leaving a part empty.
    public func stratifiedSplit(testFraction: Double, seed: UInt64) throws -> DatasetSplit {
        let parts = try stratifiedSplitIndices(testFraction: testFraction, seed: seed)
        return DatasetSplit(train: subset(parts.train, name: name + "/train"),
                            test: subset(parts.test, name: name + "/test"))
    }

    /// The indices of `stratifiedSplit`'s two parts, each ascending: what a peer needs to fit the same part.
    public func stratifiedSplitIndices(testFraction: Double, seed: UInt64) throws -> (train: [Int], test: [Int]) {
        guard testFraction > 0 && testFraction < 1 else { throw SplitError.badFraction(testFraction) }
        var byClass = [[Int]](repeating: [], count: classCount)
        for (index, label) in labels.enumerated() { byClass[label].append(index) }
        var generator = SeededGenerator(seed: seed)
        var train: [Int] = [], test: [Int] = []
        for var members in byClass where !members.isEmpty {
            members.shuffle(using: &generator)
            let testCount = min(members.count - 1, Int((Double(members.count) * testFraction).rounded()))
            test += members.prefix(testCount)
            train += members.dropFirst(testCount)
        }
        guard !test.isEmpty else {
            throw SplitError.emptyTest(dataset: name, samples: count, classes: classCount, fraction: testFraction)
        }
        return (train.sorted(), test.sorted())
    }
}

/// A training/test split that cannot be made.
public enum SplitError: Error, CustomStringConvertible, Equatable {
    /// The test fraction is not strictly between 0 and 1.
    case badFraction(Double)
    /// No class has enough samples to give any to the test part.
    case emptyTest(dataset: String, samples: Int, classes: Int, fraction: Double)

    public var description: String {
        switch self {
        case let .badFraction(fraction):
            "a test fraction of \(fraction) is not between 0 and 1"
        case let .emptyTest(dataset, samples, classes, fraction):
            "\(dataset): \(samples) samples in \(classes) classes leave no test sample at a test fraction of "
                + "\(fraction) (each class keeps at least one training sample); give a separate test set"
        }
    }
}

/// Per-column standardisation of a table, `(x - mean) / scale`, fitted on the training part only and applied to
/// both parts, so features measured in different units weigh alike. A constant column keeps scale 1 (it becomes
/// all zeros rather than NaN).
public struct FeatureScaling: Sendable, Equatable, Codable {
    /// Mean of each column on the training part.
    public let means: [Float]
    /// Standard deviation of each column (1 where it is 0).
    public let scales: [Float]

    public init(means: [Float], scales: [Float]) {
        self.means = means
        self.scales = scales
    }

    /// The means and deviations of `features` `[N, columns]`, in Double so large values do not lose digits.
    public init(fittedTo features: Tensor) {
        let (rows, columns) = (features.shape[0], features.shape[1])
        var sums = [Double](repeating: 0, count: columns), squares = sums
        features.withUnsafeBufferPointer { values in
            for r in 0..<rows {
                for c in 0..<columns { sums[c] += Double(values[r * columns + c]) }
            }
            for c in 0..<columns {
                let mean = sums[c] / Double(max(rows, 1))
                for r in 0..<rows {
                    let deviation = Double(values[r * columns + c]) - mean
                    squares[c] += deviation * deviation
                }
            }
        }
        means = sums.map { Float($0 / Double(max(rows, 1))) }
        scales = squares.map { squared in
            let deviation = Float((squared / Double(max(rows, 1))).squareRoot())
            return deviation > 0 && deviation.isFinite ? deviation : 1
        }
    }

    /// Whether the statistics fit `columns` columns and are usable (finite, scales > 0): a check for ones read
    /// from a file.
    public func isValid(columns: Int) -> Bool {
        means.count == columns && scales.count == columns && means.allSatisfy(\.isFinite)
            && scales.allSatisfy { $0 > 0 && $0.isFinite }
    }

    /// `features` `[N, columns]` standardised: `[N, columns] -> [N, columns]`.
    public func apply(to features: Tensor) -> Tensor {
        let columns = means.count
        precondition(features.rank == 2 && features.shape[1] == columns,
                     "FeatureScaling: \(columns) columns for features \(features.shape)")
        return Tensor(shape: features.shape) { out in
            features.withUnsafeBufferPointer { values in
                for i in 0..<values.count { out[i] = (values[i] - means[i % columns]) / scales[i % columns] }
            }
        }
    }

    /// The table `dataset` with its features standardised.
    public func apply(to dataset: Dataset) -> Dataset {
        dataset.replacingFeatures(apply(to: dataset.inputs))
    }
}
