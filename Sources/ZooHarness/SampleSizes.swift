import Foundation

/// How many training samples to fit on: a count, or the whole training set.
public enum SampleSize: Equatable, Sendable, CustomStringConvertible {
    /// Exactly this many samples (a stratified sample of the training set).
    case count(Int)
    /// The whole training set, however large it is.
    case all

    /// Reads `500`, `1k`, `10k`, `1.5k`, `60K`, `1m` or `all`. Throws `SampleSizeError` for anything else.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "all" {
            self = .all
            return
        }
        var digits = Substring(trimmed)
        var multiplier = 1.0
        if let unit = digits.last, let scale = ["k": 1_000.0, "m": 1_000_000.0][unit] {
            multiplier = scale
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(digits) else {
            throw SampleSizeError.notASize(text)
        }
        let count = value * multiplier
        guard count >= 1, count == count.rounded(), count < 1e15 else {
            throw SampleSizeError.notAWholePositiveCount(text)
        }
        self = .count(Int(count))
    }

    /// The number of samples this means for a training set of `available` samples.
    /// Throws when more are asked for than there are.
    public func resolved(available: Int) throws -> Int {
        switch self {
        case .all: return available
        case let .count(n):
            guard n <= available else { throw SampleSizeError.tooLarge(requested: n, available: available) }
            return n
        }
    }

    /// `1k`, `60k`, `500`, `all`: the shortest form that `init(parsing:)` reads back.
    public var description: String {
        switch self {
        case .all: "all"
        case let .count(n): n >= 1_000 && n % 1_000 == 0 ? "\(n / 1_000)k" : "\(n)"
        }
    }
}

/// The training-set sizes of a comparison: a list (`1k,10k,60k`), a sweep (`100..60k:8`) or a mix of both.
public struct SampleSizes: Equatable, Sendable {
    /// The sizes in the order given, without duplicates.
    public let sizes: [SampleSize]

    /// Sizes given directly.
    public init(_ sizes: [SampleSize]) {
        self.sizes = sizes
    }

    /// Reads comma-separated items; each is a size (see `SampleSize`) or a sweep `FROM..TO:STEPS`: `STEPS` sizes
    /// evenly spaced on a log scale from `FROM` to `TO`, both included, rounded to whole samples
    /// (`100..60k:8` is 100, 249, 622, 1551, 3868, 9647, 24059, 60000). Throws `SampleSizeError` naming the item.
    public init(parsing text: String) throws {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !items.contains(where: \.isEmpty) else { throw SampleSizeError.emptyItem(text) }
        var sizes = [SampleSize]()
        for item in items {
            for size in try Self.parseItem(item) where !sizes.contains(size) {
                sizes.append(size)
            }
        }
        self.sizes = sizes
    }

    /// The sizes as sample counts for a training set of `available` samples, ascending, without duplicates.
    public func resolved(available: Int) throws -> [Int] {
        Array(Set(try sizes.map { try $0.resolved(available: available) })).sorted()
    }

    private static func parseItem(_ item: String) throws -> [SampleSize] {
        guard item.contains("..") else { return [try SampleSize(parsing: item)] }
        let form = "write it as FROM..TO:STEPS, e.g. 100..60k:8"
        let rangeAndSteps = item.split(separator: ":", omittingEmptySubsequences: false)
        guard rangeAndSteps.count == 2, let steps = Int(rangeAndSteps[1]) else {
            throw SampleSizeError.badSweep(item, reason: form)
        }
        let bounds = rangeAndSteps[0].components(separatedBy: "..")
        guard bounds.count == 2 else { throw SampleSizeError.badSweep(item, reason: form) }
        guard case let .count(from) = try SampleSize(parsing: bounds[0]),
              case let .count(to) = try SampleSize(parsing: bounds[1]) else {
            throw SampleSizeError.badSweep(item, reason: "its ends must be counts, not `all`")
        }
        guard from < to else { throw SampleSizeError.badSweep(item, reason: "FROM must be smaller than TO") }
        guard steps >= 2 else { throw SampleSizeError.badSweep(item, reason: "STEPS must be at least 2") }
        return logSpaced(from: from, to: to, steps: steps).map(SampleSize.count)
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

/// A `--sizes` value that cannot be read or used.
public enum SampleSizeError: Error, CustomStringConvertible, Equatable {
    /// Not a number, a `1k`-style count or `all`.
    case notASize(String)
    /// Zero, fractional or absurdly large (`0`, `1.5`).
    case notAWholePositiveCount(String)
    /// A sweep `FROM..TO:STEPS` that is malformed.
    case badSweep(String, reason: String)
    /// A list with an empty item (`1k,,10k`).
    case emptyItem(String)
    /// More samples than the training set has.
    case tooLarge(requested: Int, available: Int)

    public var description: String {
        switch self {
        case let .notASize(text):
            "`\(text)` is not a training-set size: use a count like 500, 1k, 60k, or `all`"
        case let .notAWholePositiveCount(text):
            "`\(text)` is not a whole number of samples of at least 1"
        case let .badSweep(text, reason):
            "bad sweep `\(text)`: \(reason)"
        case let .emptyItem(text):
            "`\(text)` has an empty size: separate sizes with single commas, e.g. 1k,10k,60k"
        case let .tooLarge(requested, available):
            "a sample of \(requested) is more than the \(available) training samples: use at most \(available) or `all`"
        }
    }
}
