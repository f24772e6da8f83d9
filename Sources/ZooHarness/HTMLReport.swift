import Foundation
import ZooCore

/// `index.html`: the learning curves, each family's scaling exponent, the verdict on the lecture's claim, the
/// full results table and the machine, in one self-contained page (the plot is inlined).
public struct HTMLReport {
    private let results: CompareResults
    private let summaries: [CompareSummary]
    private let plot: LearningCurvePlot

    /// A report on `results`, whose curves are drawn by `plot`.
    public init(results: CompareResults, plot: LearningCurvePlot) {
        self.results = results
        summaries = CompareSummary.summarize(results.records)
        self.plot = plot
    }

    /// The page as HTML text.
    public func html() -> String {
        let scalings = FamilyScaling.of(summaries)
        let claim = LectureClaim(scalings)
        let seeds = Set(results.records.map(\.seed)).count
        let sizes = Set(results.records.map(\.size)).sorted().map(Format.size).joined(separator: ", ")
        let machine = results.machine
        let title = "zoo compare: \(results.dataset)"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escapeXML(title))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <h1>How each family scales with training-set size: \(escapeXML(results.dataset))</h1>
            <p class="lede">Every family fitted the same seeded stratified sample at each size (\(escapeXML(sizes)); \
            \(seeds) seed\(seeds == 1 ? "" : "s")) and was tested on all \(Format.count(results.testSize)) test samples.</p>
            \(datasetSection())
            <figure>\(plot.svg())</figure>
            <h2>Scaling exponents</h2>
            <p>Least-squares fit of the mean test error to <em>error ≈ a·N<sup>−b</sup></em> in log-log space. \
            A larger <em>b</em> means the error keeps falling as data grows; <em>b</em> near 0 is a plateau.</p>
            \(scalingTable(scalings))
            <p class="verdict \(claim.verdict == .holds ? "yes" : claim.verdict == .doesNotHold ? "no" : "maybe")">\
            \(escapeXML(claim.sentence))</p>
            \(reliabilitySection())
            <h2>All results</h2>
            <p>Mean ± standard deviation over seeds. Model bytes: parameters × 4 (Float32). Peak memory: the \
            process's peak resident size while the model was fitted and evaluated (includes the loaded dataset).</p>
            \(resultsTable())
            <h2>Machine</h2>
            <table class="machine">
            <tr><th>CPU</th><td>\(escapeXML(machine.cpu)), \(machine.cores) cores</td></tr>
            <tr><th>OpenBLAS core</th><td>\(escapeXML(machine.openBLASCore ?? "–"))</td></tr>
            <tr><th>Swift</th><td>\(escapeXML(machine.swiftVersion ?? "–"))</td></tr>
            <tr><th>Commit</th><td><code>\(escapeXML(machine.gitCommit))</code></td></tr>
            <tr><th>Date</th><td>\(escapeXML(machine.date))</td></tr>
            </table>
            <p class="footer">Every record is in <a href="results.json">results.json</a> \
            (schema <code>\(escapeXML(results.schema))</code>).</p>
            </body>
            </html>

            """
    }

    /// The dataset's name, kind, sample shape and the class balance of both parts, from results.json's `data`
    /// block; empty for files without one. Reads a file's lists defensively (a class without a count shows "–").
    private func datasetSection() -> String {
        guard let data = results.data else { return "" }
        func count(_ counts: [Int], _ index: Int) -> String {
            counts.indices.contains(index) ? Format.count(counts[index]) : "–"
        }
        var rows = ["<table class=\"dataset\">",
                    "<tr><th>Dataset</th><td colspan=\"2\">\(escapeXML(data.name)): \(escapeXML(data.shapeText)), "
                        + "\(data.classNames.count) classes</td></tr>",
                    "<tr><th>class</th><th class=\"num\">train</th><th class=\"num\">test</th></tr>"]
        for (index, name) in data.classNames.enumerated() {
            rows.append("<tr><td>\(escapeXML(name))</td><td class=\"num\">\(count(data.train.classCounts, index))</td>"
                        + "<td class=\"num\">\(count(data.test.classCounts, index))</td></tr>")
        }
        rows.append("<tr class=\"total\"><td>all</td><td class=\"num\">\(Format.count(data.train.count))</td>"
                    + "<td class=\"num\">\(Format.count(data.test.count))</td></tr>")
        rows.append("</table>")
        return rows.joined(separator: "\n")
    }

    private func scalingTable(_ scalings: [FamilyScaling]) -> String {
        var rows = ["<table><thead><tr><th>family</th><th>b (all sizes)</th><th>R²</th>"
            + "<th>b (two largest sizes)</th><th>test error</th></tr></thead><tbody>"]
        for scaling in scalings {
            let ofModel = summaries.filter { $0.model == scaling.model }
            let errors = ofModel.map { "\(String(format: "%.2f", $0.testError.mean * 100))%" }
                .joined(separator: " → ")
            rows.append("<tr><td>\(escapeXML(scaling.model))</td>"
                + "<td class=\"num\">\(scaling.fit.map { String(format: "%.3f", $0.exponent) } ?? "–")</td>"
                + "<td class=\"num\">\(scaling.fit.map { String(format: "%.3f", $0.rSquared) } ?? "–")</td>"
                + "<td class=\"num\">\(scaling.lastSegmentExponent.map { String(format: "%.3f", $0) } ?? "–")</td>"
                + "<td class=\"num\">\(errors)</td></tr>")
        }
        rows.append("</tbody></table>")
        return rows.joined(separator: "\n")
    }

    /// One reliability diagram per family (its largest training size, first seed): the test set's mean top
    /// probability of the calibrated probabilities against accuracy in 15 bins, with the log-loss and ECE after
    /// and (when recorded) before calibration. Empty for records without them.
    private func reliabilitySection() -> String {
        var figures: [String] = []
        for family in results.records.map(\.model).reduce(into: [String](), { if !$0.contains($1) { $0.append($1) } }) {
            let records = results.records.filter { $0.model == family }
            guard let largest = records.map(\.size).max(),
                  let record = records.first(where: { $0.size == largest && $0.testReliability != nil }),
                  let bins = record.testReliability, let ece = record.testCalibrationError,
                  let logLoss = record.testLogLoss else { continue }
            var caption = "ECE \(Format.fixed(ece, 3)), log-loss \(Format.fixed(logLoss, 3))"
            if let before = record.testUncalibratedCalibrationError, (record.calibrationSize ?? 0) > 0 {
                caption += " (ECE before \(Format.fixed(before, 3)))"
            }
            figures.append("<figure>" + Self.reliabilityDiagram(bins, title: "\(family), \(Format.size(largest))",
                                                                caption: caption) + "</figure>")
        }
        let splits = Set(results.records.map { $0.calibrationSplit ?? 0 })
        let how = splits == [0]
            ? "each family's own probabilities (a softmax of its scores; no share of the samples was held out to "
                + "calibrate on)"
            : "each family's calibrated probabilities (a temperature, or the tree's leaf smoothing, fitted on "
                + splits.sorted().map { "\(Format.fixed($0 * 100, 0))%" }.joined(separator: ", ")
                + " of each training sample held out from the fit)"
        guard !figures.isEmpty else { return "" }
        return """
            <h2>Calibration</h2>
            <p>Reliability diagrams of \(escapeXML(how)) on the test set: bars are the accuracy of the \
            predictions whose top probability fell in each of 15 bins, the diagonal is perfect calibration. ECE \
            is the count-weighted mean gap.</p>
            <div class="reliability">\(figures.joined(separator: "\n"))</div>
            """
    }

    /// A 220x220 SVG: 15 accuracy bars over the diagonal, bins as `[confidence, accuracy, count]`.
    static func reliabilityDiagram(_ bins: [[Double]], title: String, caption: String) -> String {
        let (left, top, side) = (30.0, 22.0, 170.0)
        let width = side / Double(max(1, bins.count))
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"220\" height=\"230\" viewBox=\"0 0 220 230\" "
                     + "font-family=\"\(LearningCurvePlot.font)\" font-size=\"10\">",
                     "<text x=\"110\" y=\"14\" text-anchor=\"middle\" font-size=\"11\">\(escapeXML(title))</text>",
                     "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(side)\" height=\"\(side)\" fill=\"none\" stroke=\"#999\"/>"]
        for (index, bin) in bins.enumerated() where bin.count == 3 && bin[2] > 0 && bin[1].isFinite {
            let height = side * min(1, max(0, bin[1]))
            parts.append(String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4e79a7\" "
                                + "fill-opacity=\"0.8\"/>", left + Double(index) * width, top + side - height,
                                width - 1, height))
        }
        parts.append(String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e15759\" "
                            + "stroke-dasharray=\"4 3\"/>", left, top + side, left + side, top))
        parts.append("<text x=\"\(left + side / 2)\" y=\"\(top + side + 14)\" text-anchor=\"middle\">confidence</text>")
        parts.append("<text x=\"12\" y=\"\(top + side / 2)\" text-anchor=\"middle\" "
                     + "transform=\"rotate(-90 12 \(top + side / 2))\">accuracy</text>")
        parts.append("<text x=\"\(left + side / 2)\" y=\"\(top + side + 28)\" text-anchor=\"middle\">\(escapeXML(caption))</text>")
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private func resultsTable() -> String {
        let header = ResultsTable.headers.map { "<th>\(escapeXML($0))</th>" }.joined()
        var rows = ["<table><thead><tr>\(header)</tr></thead><tbody>"]
        for (index, cells) in ResultsTable.cells(summaries).enumerated() {
            let firstOfFamily = index == 0 || summaries[index - 1].model != summaries[index].model
            let body = cells.enumerated().map { column, cell in
                "<td\(column >= 2 ? " class=\"num\"" : "")>\(escapeXML(cell))</td>"
            }.joined()
            rows.append("<tr\(firstOfFamily && index > 0 ? " class=\"family\"" : "")>\(body)</tr>")
        }
        rows.append("</tbody></table>")
        rows += ResultsTable.notes(summaries).map { "<p>\(escapeXML($0))</p>" }
        return rows.joined(separator: "\n")
    }

    private static let style = """
        body { font-family: \(LearningCurvePlot.font); color: #222; max-width: 960px; margin: 2rem auto; \
        padding: 0 1rem; line-height: 1.45; }
        h1 { font-size: 1.5rem; margin-bottom: 0.3rem; }
        h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
        .lede { color: #555; margin-top: 0; }
        figure { margin: 1rem 0; }
        figure svg { max-width: 100%; height: auto; border: 1px solid #e5e5e5; border-radius: 4px; }
        table { border-collapse: collapse; font-size: 0.9rem; margin: 0.5rem 0; }
        th, td { padding: 0.28rem 0.7rem; border-bottom: 1px solid #eee; text-align: left; white-space: nowrap; }
        th { background: #f4f4f4; font-weight: 600; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.family td { border-top: 2px solid #ccc; }
        .verdict { padding: 0.7rem 1rem; border-left: 4px solid #999; background: #f7f7f7; }
        .verdict.yes { border-color: #59a14f; background: #f1f8ef; }
        .verdict.no { border-color: #e15759; background: #fcf0f0; }
        .verdict.maybe { border-color: #edc948; background: #fdf9ea; }
        .machine th { background: none; }
        .footer { color: #666; font-size: 0.85rem; margin-top: 2rem; }
        .reliability { display: flex; flex-wrap: wrap; gap: 0.5rem; }
        .reliability figure svg { border: none; }
        .dataset tr.total td { border-top: 2px solid #ccc; font-weight: 600; }
        """
}

/// `text` with `&`, `<`, `>` and quotes escaped: the one escaper of every HTML page and SVG the harness writes.
func escapeXML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
