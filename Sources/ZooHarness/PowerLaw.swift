import Foundation

/// A power law `error ≈ a · N^(−b)` fitted by least squares on log(error) against log(N).
///
/// `b` is the scaling exponent: how fast the error falls as the training set grows. `b = 0.5` halves the error
/// for every 4x more data; `b` near 0 means the family has plateaued.
public struct PowerLawFit: Equatable, Sendable {
    /// Error at N = 1 on the fitted line.
    public let coefficient: Double
    /// The scaling exponent `b` (positive when the error falls with N).
    public let exponent: Double
    /// Coefficient of determination of the line in log-log space, 0...1 (1 when there are two points).
    public let rSquared: Double

    /// Fits `errors[i] ≈ a · sizes[i]^(−b)`. Points with a non-positive error or size are skipped (their log
    /// is undefined); returns nil unless at least two distinct sizes remain.
    public init?(sizes: [Double], errors: [Double]) {
        precondition(sizes.count == errors.count, "PowerLawFit: \(sizes.count) sizes for \(errors.count) errors")
        let points = zip(sizes, errors).filter { $0 > 0 && $1 > 0 }.map { (x: log($0), y: log($1)) }
        guard Set(points.map(\.x)).count >= 2 else { return nil }
        let n = Double(points.count)
        let meanX = points.map(\.x).reduce(0, +) / n
        let meanY = points.map(\.y).reduce(0, +) / n
        let sxx = points.map { ($0.x - meanX) * ($0.x - meanX) }.reduce(0, +)
        let sxy = points.map { ($0.x - meanX) * ($0.y - meanY) }.reduce(0, +)
        let syy = points.map { ($0.y - meanY) * ($0.y - meanY) }.reduce(0, +)
        let slope = sxy / sxx
        exponent = -slope
        coefficient = exp(meanY - slope * meanX)
        rSquared = syy == 0 ? 1 : (sxy * sxy) / (sxx * syy)
    }

    /// The fitted error at `size`.
    public func error(at size: Double) -> Double {
        coefficient * pow(size, -exponent)
    }
}

/// The scaling of one family: its exponent over all sizes, and over its two largest sizes (where a plateau shows).
public struct FamilyScaling: Equatable, Sendable {
    public let model: String
    /// Fit over every size's mean test error; nil with fewer than two sizes.
    public let fit: PowerLawFit?
    /// Exponent between the two largest sizes alone; nil with fewer than two sizes.
    public let lastSegmentExponent: Double?

    /// The scaling of each family in `summaries`, in their order.
    public static func of(_ summaries: [CompareSummary]) -> [FamilyScaling] {
        var models = [String]()
        for summary in summaries where !models.contains(summary.model) { models.append(summary.model) }
        return models.map { model in
            let rows = summaries.filter { $0.model == model }.sorted { $0.size < $1.size }
            let sizes = rows.map { Double($0.size) }, errors = rows.map(\.testError.mean)
            let last = rows.count >= 2
                ? PowerLawFit(sizes: Array(sizes.suffix(2)), errors: Array(errors.suffix(2)))?.exponent : nil
            return FamilyScaling(model: model, fit: PowerLawFit(sizes: sizes, errors: errors),
                                 lastSegmentExponent: last)
        }
    }
}
