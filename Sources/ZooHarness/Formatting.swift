import ZooCore

/// The harness's own format on top of ZooCore's `Format` (every other number format lives there).
extension Format {
    /// `97.12` (percent of a 0...1 fraction, two decimals), with `± 0.08` when there is a spread.
    static func percent(_ value: MeanStd, showSpread: Bool) -> String {
        let mean = fixed(value.mean * 100, 2)
        return showSpread ? "\(mean) ± \(fixed(value.std * 100, 2))" : mean
    }
}
