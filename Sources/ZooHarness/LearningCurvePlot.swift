import Foundation
import ZooCore

/// `learning-curves.svg`: test error against training-set size on log-log axes, one line per family with
/// error bars (± one standard deviation over seeds), its dashed power-law fit, and a legend with each
/// family's scaling exponent. Hand-written SVG: no plotting library, and it opens in any browser.
public struct LearningCurvePlot {
    private let summaries: [CompareSummary]
    private let scalings: [FamilyScaling]
    private let title: String

    private let width = 860.0, height = 520.0
    private let plotLeft = 84.0, plotRight = 640.0, plotTop = 56.0, plotBottom = 450.0

    /// A plot of `summaries` (one point per family and size) titled `title`.
    public init(summaries: [CompareSummary], title: String) {
        self.summaries = summaries.filter { $0.testError.mean > 0 }
        scalings = FamilyScaling.of(summaries)
        self.title = title
    }

    /// The plot as a standalone SVG document.
    public func svg() -> String {
        let xDomain = logDomain(summaries.map { Double($0.size) }, padding: 0.08)
        let yDomain = snappedToTicks(logDomain(summaries.flatMap { [errorBar($0).low, errorBar($0).high] },
                                               padding: 0.02))
        let x = { (size: Double) in self.plotLeft + (log10(size) - xDomain.lowerBound)
            / (xDomain.upperBound - xDomain.lowerBound) * (self.plotRight - self.plotLeft) }
        let y = { (error: Double) in self.plotBottom - (log10(error) - yDomain.lowerBound)
            / (yDomain.upperBound - yDomain.lowerBound) * (self.plotBottom - self.plotTop) }

        var parts = [String]()
        parts.append("""
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="\(Self.font)" font-size="13" fill="#222">
            <rect width="100%" height="100%" fill="#fff"/>
            <text x="\(plotLeft)" y="30" font-size="17" font-weight="600">\(escapeXML(title))</text>
            """)
        parts.append(axes(xDomain: xDomain, yDomain: yDomain, x: x, y: y))
        parts.append("<g clip-path=\"url(#plot-area)\">")
        for (index, model) in models.enumerated() {
            parts.append(series(model, color: Self.color(for: model, index: index), x: x, y: y))
        }
        parts.append("</g>")
        parts.append(legend())
        parts.append("</svg>\n")
        return parts.joined(separator: "\n")
    }

    private var models: [String] {
        var names = [String]()
        for summary in summaries where !names.contains(summary.model) { names.append(summary.model) }
        return names
    }

    /// The ends of a point's error bar; the lower end stays above zero, where log scale ends.
    private func errorBar(_ summary: CompareSummary) -> (low: Double, high: Double) {
        let error = summary.testError
        return (max(error.mean - error.std, error.mean / 3), min(error.mean + error.std, 1))
    }

    private func axes(xDomain: ClosedRange<Double>, yDomain: ClosedRange<Double>,
                      x: (Double) -> Double, y: (Double) -> Double) -> String {
        var out = ["""
            <defs><clipPath id="plot-area"><rect x="\(plotLeft)" y="\(plotTop)" \
            width="\(plotRight - plotLeft)" height="\(plotBottom - plotTop)"/></clipPath></defs>
            <rect x="\(plotLeft)" y="\(plotTop)" width="\(plotRight - plotLeft)" height="\(plotBottom - plotTop)" \
            fill="#fafafa" stroke="#999"/>
            """]
        for tick in logTicks(xDomain) {
            let px = f(x(tick))
            out.append("""
                <line x1="\(px)" y1="\(plotTop)" x2="\(px)" y2="\(plotBottom)" stroke="#e3e3e3"/>\
                <line x1="\(px)" y1="\(plotBottom)" x2="\(px)" y2="\(plotBottom + 5)" stroke="#666"/>\
                <text x="\(px)" y="\(plotBottom + 20)" text-anchor="middle">\(Format.size(Int(tick)))</text>
                """)
        }
        for tick in logTicks(yDomain) {
            let py = f(y(tick))
            out.append("""
                <line x1="\(plotLeft)" y1="\(py)" x2="\(plotRight)" y2="\(py)" stroke="#e3e3e3"/>\
                <line x1="\(plotLeft - 5)" y1="\(py)" x2="\(plotLeft)" y2="\(py)" stroke="#666"/>\
                <text x="\(plotLeft - 9)" y="\(py)" dy="0.35em" text-anchor="end">\(percentLabel(tick))</text>
                """)
        }
        let middleX = f((plotLeft + plotRight) / 2), middleY = f((plotTop + plotBottom) / 2)
        out.append("""
            <text x="\(middleX)" y="\(plotBottom + 46)" text-anchor="middle" font-size="14">\
            training-set size N (log scale)</text>
            <text transform="translate(24 \(middleY)) rotate(-90)" text-anchor="middle" font-size="14">\
            test error (log scale)</text>
            """)
        return out.joined(separator: "\n")
    }

    private func series(_ model: String, color: String, x: (Double) -> Double, y: (Double) -> Double) -> String {
        let rows = summaries.filter { $0.model == model }.sorted { $0.size < $1.size }
        var out = ["<g class=\"series\" data-model=\"\(escapeXML(model))\">"]
        if let fit = scalings.first(where: { $0.model == model })?.fit, let first = rows.first, let last = rows.last {
            let (n0, n1) = (Double(first.size), Double(last.size))
            out.append("""
                <line x1="\(f(x(n0)))" y1="\(f(y(fit.error(at: n0))))" x2="\(f(x(n1)))" \
                y2="\(f(y(fit.error(at: n1))))" stroke="\(color)" stroke-width="1.2" stroke-dasharray="5 4" \
                opacity="0.55"/>
                """)
        }
        let points = rows.map { "\(f(x(Double($0.size)))),\(f(y($0.testError.mean)))" }.joined(separator: " ")
        out.append("<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.2\"/>")
        for row in rows where row.seedCount > 1 {
            let (px, bar) = (f(x(Double(row.size))), errorBar(row))
            let (top, bottom) = (f(y(bar.high)), f(y(bar.low)))
            out.append("""
                <path d="M\(px) \(top)V\(bottom)M\(f(x(Double(row.size)) - 4)) \(top)h8M\(f(x(Double(row.size)) - 4)) \
                \(bottom)h8" stroke="\(color)" stroke-width="1.4" fill="none"/>
                """)
        }
        for row in rows {
            let label = "\(model) at \(Format.size(row.size)): test error \(Format.percent(row.testError, showSpread: row.seedCount > 1)) %"
            out.append("""
                <circle cx="\(f(x(Double(row.size))))" cy="\(f(y(row.testError.mean)))" r="4.2" fill="\(color)" \
                stroke="#fff" stroke-width="1.2"><title>\(escapeXML(label))</title></circle>
                """)
        }
        out.append("</g>")
        return out.joined(separator: "\n")
    }

    private func legend() -> String {
        let left = plotRight + 24
        var out = ["<text x=\"\(f(left))\" y=\"\(f(plotTop + 6))\" font-weight=\"600\">family</text>",
                   "<text x=\"\(f(left + 150))\" y=\"\(f(plotTop + 6))\" font-weight=\"600\" text-anchor=\"end\">b</text>"]
        for (index, model) in models.enumerated() {
            let rowY = plotTop + 30 + Double(index) * 24
            let exponent = scalings.first { $0.model == model }?.fit.map { String(format: "%.2f", $0.exponent) } ?? "–"
            out.append("""
                <line x1="\(f(left))" y1="\(f(rowY - 4))" x2="\(f(left + 24))" y2="\(f(rowY - 4))" \
                stroke="\(Self.color(for: model, index: index))" stroke-width="3"/>\
                <circle cx="\(f(left + 12))" cy="\(f(rowY - 4))" r="4" fill="\(Self.color(for: model, index: index))"/>\
                <text x="\(f(left + 32))" y="\(f(rowY))">\(escapeXML(model))</text>\
                <text x="\(f(left + 150))" y="\(f(rowY))" text-anchor="end">\(exponent)</text>
                """)
        }
        let noteY = plotTop + 30 + Double(models.count) * 24 + 10
        out.append("""
            <text x="\(f(left))" y="\(f(noteY))" font-size="11" fill="#555">dashed: error ≈ a·N<tspan \
            baseline-shift="super" font-size="8">−b</tspan></text>
            <text x="\(f(left))" y="\(f(noteY + 15))" font-size="11" fill="#555">bars: ± 1 std over seeds</text>
            """)
        return out.joined(separator: "\n")
    }

    /// A log10 range covering `values` (all positive), widened by `padding` decades on each side.
    private func logDomain(_ values: [Double], padding: Double) -> ClosedRange<Double> {
        let logs = values.filter { $0 > 0 }.map(log10)
        guard let low = logs.min(), let high = logs.max() else { return 0...1 }
        let spread = max(high - low, 0.3)
        let middle = (low + high) / 2
        return (middle - spread / 2 - padding)...(middle + spread / 2 + padding)
    }

    /// `domain` widened to the nearest 1-2-5 values outside it, so both ends of the error axis carry a label.
    private func snappedToTicks(_ domain: ClosedRange<Double>) -> ClosedRange<Double> {
        let steps = (Int(floor(domain.lowerBound)) - 1...Int(ceil(domain.upperBound)) + 1).flatMap { decade in
            [1.0, 2, 5].map { log10($0) + Double(decade) }
        }
        let lower = steps.last { $0 <= domain.lowerBound } ?? domain.lowerBound
        let upper = steps.first { $0 >= domain.upperBound } ?? domain.upperBound
        return lower...upper
    }

    /// Tick values inside a log10 range: 1-2-5 steps, or every 1...9 when the range is under a decade and a half.
    private func logTicks(_ domain: ClosedRange<Double>) -> [Double] {
        let multipliers: [Double] = domain.upperBound - domain.lowerBound < 1.2 ? Array(1...9).map(Double.init)
            : [1, 2, 5]
        var ticks = [Double]()
        for decade in Int(floor(domain.lowerBound))...Int(ceil(domain.upperBound)) {
            for multiplier in multipliers {
                let value = multiplier * pow(10, Double(decade))
                if domain.contains(log10(value)) { ticks.append(value) }
            }
        }
        return ticks
    }

    private func percentLabel(_ fraction: Double) -> String {
        let percent = fraction * 100
        return percent >= 1 ? "\(Int(percent.rounded()))%" : String(format: "%g%%", (percent * 1000).rounded() / 1000)
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static let font = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"

    /// The same colour for a family in every run; other names take the palette in order.
    static func color(for model: String, index: Int) -> String {
        let known = ["tree": "#59a14f", "linear": "#9c755f", "logistic": "#4e79a7", "perceptron": "#f28e2b",
                     "mlp": "#e15759", "inception": "#b07aa1"]
        let palette = ["#76b7b2", "#edc948", "#ff9da7", "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1"]
        return known[model] ?? palette[index % palette.count]
    }
}
