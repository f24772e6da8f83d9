/// Every number the zoo prints, formatted in one place so the progress bar, model descriptions, tables, plots and
/// reports read the same. Foundation-free (no `String(format:)`): exact decimal rounding of the value given.
public enum Format {
    /// `value` with `digits` decimals: `fixed(3.14159, 2)` is `3.14`. Non-finite values print as Swift does.
    public static func fixed(_ value: some BinaryFloatingPoint, _ digits: Int) -> String {
        let number = Double(value)
        guard number.isFinite && abs(number) < 1e15 else { return "\(number)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(number) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = number < 0 && scaled != 0 ? "-" : ""
        guard digits > 0 else { return "\(sign)\(whole)" }
        return "\(sign)\(whole)." + padded(fraction, to: digits)
    }

    /// A 0...1 fraction as a percentage with two decimals: `97.52%`.
    public static func percent(_ fraction: Double) -> String {
        fixed(fraction * 100, 2) + "%"
    }

    /// A rate or count in compact form: `950`, `12.3k`, `1.2M`.
    public static func compact(_ value: Double) -> String {
        if value >= 1e6 { return fixed(value / 1e6, 1) + "M" }
        if value >= 1e3 { return fixed(value / 1e3, 1) + "k" }
        return fixed(value, 0)
    }

    /// A whole number with thousands separators: `203,530`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// Seconds with about three significant digits: `0.00012`, `0.123`, `1.23`, `123`.
    public static func seconds(_ value: Double) -> String {
        switch value {
        case ..<0.001: fixed(value, 5)
        case ..<1: fixed(value, 3)
        case ..<100: fixed(value, 2)
        default: fixed(value, 0)
        }
    }

    /// Bytes in binary units: `512 B`, `398 KiB`, `1.2 MiB`.
    public static func bytes(_ value: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB"]
        var scaled = Double(value), unit = 0
        while scaled >= 1024 && unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return unit == 0 || scaled >= 10 ? "\(Int(scaled.rounded())) \(units[unit])" : fixed(scaled, 1) + " " + units[unit]
    }

    /// A training-set size as people say it: `500`, `1k`, `9,647`, `60k`.
    public static func size(_ value: Int) -> String {
        value >= 1_000 && value % 1_000 == 0 ? "\(value / 1_000)k" : count(value)
    }

    /// A duration for progress lines: `42s`, `3m07s`, `1h02m`.
    public static func duration(_ seconds: Double) -> String {
        let total = seconds.isFinite ? Int(seconds.rounded()) : 0
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(padded(total % 60, to: 2))s" }
        return "\(total / 3600)h\(padded(total % 3600 / 60, to: 2))m"
    }

    /// `value` with leading zeros up to `width` digits.
    private static func padded(_ value: Int, to width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// Seconds from `start` to now on the continuous clock: how every fit, prediction and compare job is timed.
public func elapsedSeconds(since start: ContinuousClock.Instant) -> Double {
    let duration = start.duration(to: .now)
    return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
