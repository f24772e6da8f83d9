import Foundation

/// Number formats shared by the table, the plot and the report, so they all read the same.
enum Format {
    /// `97.12` (percent of a 0...1 fraction, two decimals), with `± 0.08` when there is a spread.
    static func percent(_ value: MeanStd, showSpread: Bool) -> String {
        let mean = String(format: "%.2f", value.mean * 100)
        return showSpread ? "\(mean) ± \(String(format: "%.2f", value.std * 100))" : mean
    }

    /// Seconds with three significant digits: `0.0123`, `1.23`, `123`.
    static func seconds(_ value: Double) -> String {
        switch value {
        case ..<0.001: String(format: "%.5f", value)
        case ..<1: String(format: "%.3f", value)
        case ..<100: String(format: "%.2f", value)
        default: String(format: "%.0f", value)
        }
    }

    /// Whole number with thousands separators: `101,770`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// Bytes in binary units: `512 B`, `398 KiB`, `1.2 MiB`.
    static func bytes(_ value: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB"]
        var scaled = Double(value), unit = 0
        while scaled >= 1024 && unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return unit == 0 || scaled >= 10 ? "\(Int(scaled.rounded())) \(units[unit])"
            : String(format: "%.1f %@", scaled, units[unit])
    }

    /// Training-set size as people say it: `500`, `1k`, `9,647`, `60k`.
    static func size(_ value: Int) -> String {
        value >= 1_000 && value % 1_000 == 0 ? "\(value / 1_000)k" : count(value)
    }

    /// Duration for progress lines: `42s`, `3m07s`, `1h02m`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, total % 3600 / 60)
    }
}
