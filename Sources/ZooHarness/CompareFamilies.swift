/// The families `zoo compare` can train, by command-line name, in the order they are reported.
public enum CompareFamilies {
    /// Every family of the zoo, simplest first: the default of `--models`.
    public static let all = ["tree", "linear", "logistic", "perceptron", "mlp", "inception"]

    /// A comparison entry for each name in `names`, in that order. Throws `CompareError.unknownFamily` for a
    /// name that is not a family, and `CompareError.familyNotAvailable` for one this build cannot train yet.
    public static func entries(_ names: [String]) throws -> [ModelEntry] {
        try names.map { name in
            guard all.contains(name) else { throw CompareError.unknownFamily(name, known: all) }
            throw CompareError.familyNotAvailable(name)
        }
    }
}
