/// What the harness cannot do with the options it was given, each with what to do instead.
public enum HarnessError: Error, CustomStringConvertible, Equatable {
    /// More training samples were asked for than the dataset holds.
    case sizeTooLarge(requested: Int, available: Int)
    /// A training-set size that `SampleSize` cannot read.
    case badSize(String)

    public var description: String {
        switch self {
        case let .sizeTooLarge(requested, available):
            "cannot train on \(requested) samples: the training set holds \(available); ask for \(available) or fewer"
        case let .badSize(text):
            "'\(text)' is not a training-set size: use a count such as 500, 1k, 10k, 60k, or all"
        }
    }
}
