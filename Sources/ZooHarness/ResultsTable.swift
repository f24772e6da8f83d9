import ZooCore

/// The comparison as an aligned text table for a terminal: one row per family and size, mean ± std over seeds
/// (log-loss and ECE of the calibrated probabilities on the test set: means).
public enum ResultsTable {
    /// Column headers, in order.
    static let headers = ["model", "size", "test acc %", "log-loss", "ECE", "train acc %", "fit s", "predict s",
                          "parameters", "model bytes", "peak memory"]

    /// The cells of each row of `summaries`, as the table and the HTML report show them.
    static func cells(_ summaries: [CompareSummary]) -> [[String]] {
        summaries.map { row in
            let spread = row.seedCount > 1
            return [row.model, Format.size(row.size) + (row.reusedSeedCount > 0 ? "*" : ""),
                    Format.percent(row.testAccuracy, showSpread: spread),
                    row.testLogLoss.map { Format.fixed($0.mean, 3) } ?? "–",
                    row.testCalibrationError.map { Format.fixed($0.mean, 3) } ?? "–",
                    Format.percent(row.trainAccuracy, showSpread: spread), Format.seconds(row.fitSeconds.mean),
                    Format.seconds(row.predictSeconds.mean), Format.count(row.parameters),
                    Format.bytes(row.modelBytes), Format.bytes(row.peakMemoryBytes)]
        }
    }

    /// The table as lines of text: text columns left-aligned, numbers right-aligned, a rule under the header and
    /// a blank line between families.
    public static func render(_ summaries: [CompareSummary]) -> String {
        let rows = cells(summaries)
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max()!
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        var lines = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        for (index, row) in rows.enumerated() {
            if index > 0 && summaries[index].model != summaries[index - 1].model { lines.append("") }
            lines.append(line(row))
        }
        return (lines + notes(summaries)).joined(separator: "\n") + "\n"
    }

    /// Footnotes for rows marked `*`: which families were fitted once and their record reused for other seeds.
    public static func notes(_ summaries: [CompareSummary]) -> [String] {
        let reused = summaries.filter { $0.reusedSeedCount > 0 }
        guard !reused.isEmpty else { return [] }
        let rows = reused.map { "\($0.model) at \(Format.size($0.size))" }.joined(separator: ", ")
        return ["* \(rows): fitted once and the record reused for the other seeds (the fit does not depend on the "
                + "seed, and every seed trains on the whole training set)."]
    }
}
