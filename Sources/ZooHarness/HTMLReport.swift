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
            \(seeds) seed\(seeds == 1 ? "" : "s")) and was tested on all \(Format.count(results.testSize)) test images.</p>
            <figure>\(plot.svg())</figure>
            <h2>Scaling exponents</h2>
            <p>Least-squares fit of the mean test error to <em>error ≈ a·N<sup>−b</sup></em> in log-log space. \
            A larger <em>b</em> means the error keeps falling as data grows; <em>b</em> near 0 is a plateau.</p>
            \(scalingTable(scalings))
            <p class="verdict \(claim.verdict == .holds ? "yes" : claim.verdict == .doesNotHold ? "no" : "maybe")">\
            \(escapeXML(claim.sentence))</p>
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
        """
}

/// `text` with `&`, `<`, `>` and quotes escaped: the one escaper of every HTML page and SVG the harness writes.
func escapeXML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
