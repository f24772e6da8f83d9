import ArgumentParser
import Foundation
import ZooCore
import ZooData
import ZooLinear
import ZooTensor

extension Zoo {
    /// `zoo regress FILE.csv --x feed_grams --y weight_grams`: least squares on numeric CSV columns, and how much
    /// it beats a model that has learned nothing (the lecture's "untrained_loss vs trained loss").
    struct Regress: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit a straight line (or plane) to numeric CSV columns by least squares.",
            discussion: """
                Prints the fitted equation and the root mean squared error (RMSE, in the target's units) of an \
                untrained model (all coefficients zero: it predicts 0 for everything) and of the trained one.
                Example: zoo regress Data/examples/chicken-feed.csv --x feed_grams --y weight_grams
                """)

        @Argument(help: "A CSV file with a header row of column names.")
        var file: String

        @Option(name: .customLong("x"), parsing: .upToNextOption,
                help: "Input column(s): repeat the option or list several names (`--x a b` or `--x a,b`).")
        var inputColumns: [String]

        @Option(name: .customLong("y"), parsing: .upToNextOption,
                help: "Target column(s) to predict; one equation is fitted per target.")
        var targetColumns: [String]

        @Option(help: "Ridge strength relative to each input's spread; 0 is plain least squares (try 1e-3 if the inputs are collinear).")
        var ridge: Float = 0

        func validate() throws {
            guard !inputColumns.isEmpty, !targetColumns.isEmpty else {
                throw ValidationError("name at least one input column (--x) and one target column (--y)")
            }
            guard ridge >= 0 && ridge.isFinite else { throw ValidationError("--ridge must be a number ≥ 0") }
        }

        func run() throws {
            let inputs = inputColumns.flatMap { $0.split(separator: ",").map(String.init) }
            let targets = targetColumns.flatMap { $0.split(separator: ",").map(String.init) }
            let table = try CSVTable.read(file)
            let x = try table.numericMatrix(columns: inputs), y = try table.numericMatrix(columns: targets)

            let model = LinearRegression(.init(ridge: ridge))
            do {
                try model.fit(x: x, y: y)
            } catch let LinearRegressionError.singular(feature, constant, _) {
                throw RegressError(description: "column '\(inputs[feature])' is "
                    + (constant ? "constant" : "a linear combination of the columns before it")
                    + ": drop it from --x, or pass --ridge 1e-3 to keep it")
            }
            guard let coefficients = model.coefficients, let intercept = model.intercept else { return }

            print("\(file): \(x.rows) rows, \(targets.joined(separator: ", ")) from \(inputs.joined(separator: ", "))"
                  + " (least squares, ridge \(ridge))")
            for (output, target) in targets.enumerated() {
                let terms = inputs.enumerated().map { "\(format(coefficients[$0.offset, output])) * \($0.element)" }
                print("  \(target) = " + (terms + [format(intercept[output])]).joined(separator: " + "))
            }
            for (output, target) in targets.enumerated() {
                let column = y.gatherColumn(output), fitted = try model.predict(x: x).gatherColumn(output)
                let untrained = rootMeanSquaredError(Tensor(shape: column.shape, repeating: 0), column)
                let trained = rootMeanSquaredError(fitted, column)
                print("  \(target): untrained (all-zero) RMSE \(format(untrained)), trained RMSE \(format(trained))")
            }
        }

        private func format(_ value: Float) -> String { String(format: "%.6g", Double(value)) }
    }
}

/// A least-squares failure told in the CSV's column names.
private struct RegressError: Error, CustomStringConvertible {
    let description: String
}

extension Tensor {
    /// Column `index` of a 2-D tensor as `[rows, 1]`.
    fileprivate func gatherColumn(_ index: Int) -> Tensor {
        let (r, c) = (rows, columns)
        return Tensor(shape: [r, 1]) { out in
            withUnsafeBufferPointer { values in for i in 0..<r { out[i] = values[i * c + index] } }
        }
    }
}
