import Foundation

/// How many training samples to use: a count (`500`, `1k`, `10k`, `60k`) or the whole training set (`all`).
public enum SampleSize: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The first (or a stratified sample of) `n` samples.
    case count(Int)
    /// Every training sample.
    case all

    /// Parses `500`, `1k`, `10k`, `60k`, `2.5k`, `all` (case-insensitive); nil for anything else or a count < 1.
    public init?(_ text: String) {
        let lowered = text.lowercased()
        if lowered == "all" {
            self = .all
            return
        }
        var digits = Substring(lowered)
        var multiplier = 1.0
        if digits.hasSuffix("k") {
            multiplier = 1000
            digits = digits.dropLast()
        }
        guard let value = Double(digits), value.isFinite, value > 0 else { return nil }
        let count = value * multiplier
        guard count == count.rounded(), count >= 1, count <= Double(Int32.max) else { return nil }
        self = .count(Int(count))
    }

    /// Parses like `init?(_:)`, but says what is wrong: `SampleSizeError.notPositive` for `-5` or `0`,
    /// `HarnessError.badSize` for anything else that is not a size.
    public init(parsing text: String) throws {
        if let size = SampleSize(text) {
            self = size
            return
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let number = trimmed.hasSuffix("k") ? String(trimmed.dropLast()) : trimmed
        if let value = Double(number), value <= 0 { throw SampleSizeError.notPositive(text) }
        throw HarnessError.badSize(text)
    }

    /// The number of samples out of `available`; throws when more are asked for than there are.
    public func resolve(available: Int) throws -> Int {
        switch self {
        case .all:
            return available
        case let .count(n):
            guard n <= available else { throw HarnessError.sizeTooLarge(requested: n, available: available) }
            return n
        }
    }

    /// `500`, `1k`, `10k`, `60k`, `all`: the form the parser reads back.
    public var description: String {
        switch self {
        case .all: "all"
        case let .count(n): n >= 1000 && n % 1000 == 0 ? "\(n / 1000)k" : "\(n)"
        }
    }
}
