import Foundation

/// The training-set sizes of a comparison: a list (`1k,10k,60k`), a sweep (`100..60k:8`) or a mix of both.
public struct SampleSizes: Equatable, Sendable {
    /// The sizes in the order given, without duplicates.
    public let sizes: [SampleSize]
    /// The most sizes one comparison takes: each is a fit of every family for every seed.
    public static let maximumCount = 200

    /// Sizes given directly.
    public init(_ sizes: [SampleSize]) {
        self.sizes = sizes
    }

    /// Reads comma-separated items; each is a size (`500`, `1k`, `60k`, `all`: see `SampleSize`) or a sweep `FROM..TO:STEPS`: `STEPS` sizes
    /// evenly spaced on a log scale from `FROM` to `TO`, both included, rounded to whole samples
    /// (`100..60k:8` is 100, 249, 622, 1551, 3868, 9647, 24059, 60000). Throws `HarnessError.badSize` or
    /// `SampleSizeError` naming the item; more than `maximumCount` sizes, or a sweep with more steps than there
    /// are whole numbers between its ends, is refused.
    public init(parsing text: String) throws {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !items.contains(where: \.isEmpty) else { throw SampleSizeError.emptyItem(text) }
        var sizes = [SampleSize]()
        for item in items {
            for size in try Self.parseItem(item) where !sizes.contains(size) {
                sizes.append(size)
            }
            guard sizes.count <= Self.maximumCount else {
                throw SampleSizeError.tooMany(text, maximum: Self.maximumCount)
            }
        }
        self.sizes = sizes
    }

    /// The sizes as sample counts for a training set of `available` samples, ascending, without duplicates.
    public func resolved(available: Int) throws -> [Int] {
        Array(Set(try sizes.map { try $0.resolve(available: available) })).sorted()
    }

    private static func parseItem(_ item: String) throws -> [SampleSize] {
        guard item.contains("..") else { return [try size(item)] }
        let form = "write it as FROM..TO:STEPS, e.g. 100..60k:8"
        let rangeAndSteps = item.split(separator: ":", omittingEmptySubsequences: false)
        guard rangeAndSteps.count == 2, let steps = Int(rangeAndSteps[1]) else {
            throw SampleSizeError.badSweep(item, reason: form)
        }
        let bounds = rangeAndSteps[0].components(separatedBy: "..")
        guard bounds.count == 2 else { throw SampleSizeError.badSweep(item, reason: form) }
        guard case let .count(from) = try size(bounds[0]), case let .count(to) = try size(bounds[1]) else {
            throw SampleSizeError.badSweep(item, reason: "its ends must be counts, not `all`")
        }
        guard from < to else { throw SampleSizeError.badSweep(item, reason: "FROM must be smaller than TO") }
        guard steps >= 2 else { throw SampleSizeError.badSweep(item, reason: "STEPS must be at least 2") }
        guard steps <= to - from + 1 else {
            throw SampleSizeError.badSweep(item, reason: "STEPS \(steps) is more than the \(to - from + 1) whole "
                                           + "sizes from \(from) to \(to)")
        }
        guard steps <= maximumCount else {
            throw SampleSizeError.badSweep(item, reason: "STEPS \(steps) is more than the \(maximumCount) sizes "
                                           + "a comparison takes")
        }
        return logSpaced(from: from, to: to, steps: steps).map(SampleSize.count)
    }

    private static func size(_ text: String) throws -> SampleSize {
        try SampleSize(parsing: text)
    }

    /// Up to `steps` whole numbers from `from` to `to` (both included), evenly spaced in log scale and rounded to
    /// the nearest integer; duplicates from rounding (narrow ranges) are dropped.
    public static func logSpaced(from: Int, to: Int, steps: Int) -> [Int] {
        precondition(from >= 1 && from < to && steps >= 2, "logSpaced: need 1 <= from < to and steps >= 2")
        let logFrom = log(Double(from)), logTo = log(Double(to))
        var result = [Int]()
        for step in 0..<steps {
            let value = step == steps - 1 ? to
                : Int(exp(logFrom + (logTo - logFrom) * Double(step) / Double(steps - 1)).rounded())
            if result.last != value { result.append(value) }
        }
        return result
    }
}

/// A `--sizes` list that cannot be read (a single bad size is a `HarnessError.badSize`).
public enum SampleSizeError: Error, CustomStringConvertible, Equatable {
    /// A sweep `FROM..TO:STEPS` that is malformed.
    case badSweep(String, reason: String)
    /// A list with an empty item (`1k,,10k`).
    case emptyItem(String)
    /// A size of zero or less (`-5`, `0`).
    case notPositive(String)
    /// More sizes than one comparison takes.
    case tooMany(String, maximum: Int)

    public var description: String {
        switch self {
        case let .badSweep(text, reason):
            "bad sweep `\(text)`: \(reason)"
        case let .emptyItem(text):
            "`\(text)` has an empty size: separate sizes with single commas, e.g. 1k,10k,60k"
        case let .notPositive(text):
            "`\(text)`: a training-set size must be ≥ 1"
        case let .tooMany(text, maximum):
            "`\(text)` asks for more than \(maximum) sizes; use a sweep with fewer steps, e.g. 100..60k:8"
        }
    }
}
