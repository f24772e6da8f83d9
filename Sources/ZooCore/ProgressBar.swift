#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on stderr: `epoch 2/10 [=========>          ] 235/469  120.5k img/s  ETA 1.9 s`.
///
/// Silent when stderr is not a terminal (logs, pipes, CI) or when asked to be quiet; redraws at most ten times
/// a second so drawing costs nothing measurable.
public struct ProgressBar {
    /// Whether anything is drawn.
    public let isEnabled: Bool
    private let width = 30
    private var lastDraw: ContinuousClock.Instant?

    /// A bar that draws unless `quiet` or stderr is not a terminal.
    public init(quiet: Bool) {
        isEnabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    /// Redraws the bar: `done` of `total` steps, `samples` processed in `elapsed` seconds.
    public mutating func update(label: String, done: Int, total: Int, samples: Int, elapsed: Double) {
        guard isEnabled else { return }
        let now = ContinuousClock.now
        if let lastDraw, done < total, lastDraw.duration(to: now) < .milliseconds(100) { return }
        lastDraw = now
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "")
            + String(repeating: " ", count: max(0, width - filled - 1))
        let rate = elapsed > 0 ? Double(samples) / elapsed : 0
        let remaining = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        write("\r\(label) [\(bar)] \(done)/\(total)  \(Format.compact(rate)) img/s  ETA \(Format.fixed(remaining, 1)) s\u{1B}[K")
    }

    /// Replaces the bar with a final line (e.g. the epoch summary) and moves to the next line.
    public mutating func finish(_ line: String) {
        guard isEnabled else { return }
        lastDraw = nil
        write("\r\(line)\u{1B}[K\n")
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
