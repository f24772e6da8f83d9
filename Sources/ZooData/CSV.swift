import Foundation
import ZooTensor

/// A small CSV table held as text: a header row of column names, then rows of fields, each error naming the line.
///
/// Handles what numeric data files use: comma-, semicolon- or tab-separated fields (detected from the header row
/// unless given), surrounding spaces trimmed, fields optionally in
/// double quotes (`""` inside quotes is one quote), `\n` or `\r\n` line ends, blank lines skipped. Not handled: line
/// breaks inside quoted fields. Numbers are read with `Float(_:)` (`1.5`, `-2e3`; `nan` and `inf` are refused, and
/// so are values too large for Float32 arithmetic). Every error names the file and, where there is one, the line.
public struct CSVTable: Sendable {
    /// Where the text came from (a path, or a name for text parsed in memory), for error messages.
    public let source: String
    /// Column names from the header row, in file order.
    public let columnNames: [String]
    /// Data rows, each with `columnNames.count` fields.
    public let rows: [[String]]
    /// The 1-based line of the file each row was read from (blank lines make them differ from row numbers).
    public let lineNumbers: [Int]

    /// The field separator: `,`, `;` or a tab.
    public let delimiter: Character

    /// The separators `detectDelimiter` chooses from, the default first.
    public static let delimiters: [Character] = [",", ";", "\t"]

    /// Reads the CSV file at `path`, separated by `delimiter` (nil: detected from the header row).
    public static func read(_ path: String, delimiter: Character? = nil) throws -> CSVTable {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CSVError.unreadable(file: path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CSVError.unreadable(file: path, reason: "not UTF-8 text")
        }
        return try CSVTable(parsing: text, source: path, delimiter: delimiter)
    }

    /// The separator of a header `line`: whichever of `delimiters` occurs most often outside quotes (a comma
    /// when none does, or on a tie).
    public static func detectDelimiter(_ line: Substring) -> Character {
        var counts = [Character: Int]()
        var quoted = false
        for character in line {
            if character == "\"" { quoted.toggle() } else if !quoted { counts[character, default: 0] += 1 }
        }
        var best = delimiters[0]
        for candidate in delimiters where counts[candidate, default: 0] > counts[best, default: 0] { best = candidate }
        return best
    }

    /// Parses CSV `text` separated by `delimiter` (nil: detected from the header row); `source` names it in
    /// errors.
    public init(parsing text: String, source: String, delimiter: Character? = nil) throws {
        self.source = source
        var header: [String]?
        var headerLine = 0
        var rows: [[String]] = []
        var lineNumbers: [Int] = []
        // "\r\n" is one Character in Swift, so it is a separator of its own. A byte-order mark (spreadsheet
        // exports) is not part of the first column's name.
        let lines = (text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)).split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        let separator = delimiter
            ?? lines.first { !$0.allSatisfy(\.isWhitespace) }.map(Self.detectDelimiter) ?? ","
        self.delimiter = separator
        for (index, line) in lines.enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            let fields = try Self.fields(of: line, delimiter: separator, source: source, line: index + 1)
            if let header {
                guard fields.count == header.count else {
                    throw CSVError.wrongFieldCount(file: source, line: index + 1, expected: header.count,
                                                   actual: fields.count)
                }
                rows.append(fields)
                lineNumbers.append(index + 1)
            } else {
                if let blank = fields.firstIndex(of: "") {
                    throw CSVError.badHeader(file: source, line: index + 1,
                                             reason: "column \(blank + 1) has no name")
                }
                if let repeated = fields.indices.first(where: { fields[..<$0].contains(fields[$0]) }) {
                    throw CSVError.badHeader(file: source, line: index + 1,
                                             reason: "column name '\(fields[repeated])' appears twice")
                }
                header = fields
                headerLine = index + 1
            }
        }
        guard let header else { throw CSVError.empty(file: source) }
        columnNames = header
        self.headerLine = headerLine
        self.rows = rows
        self.lineNumbers = lineNumbers
    }

    /// The fields of one line, unquoted and trimmed.
    private static func fields(of line: Substring, delimiter: Character, source: String,
                               line number: Int) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false, wasQuoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            if quoted {
                if character == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { current.append("\"") } else {
                            quoted = false
                            if next == delimiter {
                                fields.append(current)
                                current = ""
                                wasQuoted = false
                            } else if !next.isWhitespace {
                                throw CSVError.badQuoting(file: source, line: number)
                            }
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == delimiter {
                fields.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
                current = ""
                wasQuoted = false
            } else if character == "\"" && current.allSatisfy(\.isWhitespace) {
                current = ""
                quoted = true
                wasQuoted = true
            } else if wasQuoted {
                if !character.isWhitespace { throw CSVError.badQuoting(file: source, line: number) }
            } else {
                current.append(character)
            }
        }
        if quoted { throw CSVError.badQuoting(file: source, line: number) }
        fields.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
        return fields
    }

    /// The 1-based line of the header row.
    public let headerLine: Int

    /// Position of the column called `name`; throws `unknownColumn` listing the columns there are.
    public func columnIndex(_ name: String) throws -> Int {
        guard let index = columnNames.firstIndex(of: name) else {
            throw CSVError.unknownColumn(file: source, line: headerLine, name: name, available: columnNames)
        }
        return index
    }

    /// The named columns as numbers: `[rows.count, names.count]`, one row per data row.
    /// Throws, naming the line and column: `notNumeric` for a field that is not a number (or is `nan`, `inf`),
    /// `overflows` for one beyond Float32's range (`1e39`), and `overflows` too for the largest value of a column
    /// whose squares sum past Float32's range (least squares multiplies columns together: they would be infinite).
    public func numericMatrix(columns names: [String]) throws -> Tensor {
        let indices = try names.map(columnIndex)
        guard !rows.isEmpty else { throw CSVError.noRows(file: source, line: headerLine) }
        var sumsOfSquares = [Double](repeating: 0, count: names.count)
        var largest = [(row: Int, magnitude: Float)](repeating: (0, 0), count: names.count)
        let matrix = try Tensor(shape: [rows.count, names.count]) { out in
            for (r, row) in rows.enumerated() {
                for (c, column) in indices.enumerated() {
                    let text = row[column]
                    guard let value = Float(text), value.isFinite else {
                        if let value = Float(text), value.isInfinite, !Self.namesInfinity(text) {
                            throw CSVError.overflows(file: source, line: lineNumbers[r], column: columnNames[column],
                                                     value: text)
                        }
                        throw CSVError.notNumeric(file: source, line: lineNumbers[r], column: columnNames[column],
                                                  value: text)
                    }
                    out[r * names.count + c] = value
                    sumsOfSquares[c] += Double(value) * Double(value)
                    if abs(value) > largest[c].magnitude { largest[c] = (r, abs(value)) }
                }
            }
        }
        for (c, column) in indices.enumerated() where sumsOfSquares[c] > Double(Float.greatestFiniteMagnitude) {
            let r = largest[c].row
            throw CSVError.overflows(file: source, line: lineNumbers[r], column: columnNames[column],
                                     value: rows[r][column])
        }
        return matrix
    }

    /// Whether `text` spells infinity itself (`inf`, `-Infinity`) rather than a number too large for Float.
    private static func namesInfinity(_ text: String) -> Bool {
        text.lowercased().contains("inf")
    }
}

/// What can be wrong with a CSV file, each naming the file and (where there is one) the line.
public enum CSVError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist, cannot be read, or is not text.
    case unreadable(file: String, reason: String)
    /// The file has no header row.
    case empty(file: String)
    /// The file has a header (on `line`) but no data rows.
    case noRows(file: String, line: Int)
    /// The header row is unusable (an empty or repeated column name).
    case badHeader(file: String, line: Int, reason: String)
    /// A row has more or fewer fields than the header has columns.
    case wrongFieldCount(file: String, line: Int, expected: Int, actual: Int)
    /// A quote is not closed, or text follows a closing quote.
    case badQuoting(file: String, line: Int)
    /// A column that was asked for is not in the header (on `line`).
    case unknownColumn(file: String, line: Int, name: String, available: [String])
    /// A field that must be a number is not a finite number.
    case notNumeric(file: String, line: Int, column: String, value: String)
    /// A number too large for Float32 (it overflows to infinity as it is read, or once squared and summed over the
    /// column, as least squares does).
    case overflows(file: String, line: Int, column: String, value: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "cannot read \(file): \(reason)"
        case let .empty(file):
            "\(file) is empty: a CSV file needs a header row of column names"
        case let .noRows(file, line):
            "\(file):\(line): the header is the last row: there are no data rows"
        case let .badHeader(file, line, reason):
            "\(file):\(line): bad header row: \(reason)"
        case let .wrongFieldCount(file, line, expected, actual):
            "\(file):\(line): row has \(actual) fields, the header has \(expected) columns"
        case let .badQuoting(file, line):
            "\(file):\(line): unbalanced quotes (a quoted field must end with \" before the next separator)"
        case let .unknownColumn(file, line, name, available):
            "\(file):\(line): no column '\(name)' in the header; its columns are: \(available.joined(separator: ", "))"
        case let .notNumeric(file, line, column, value):
            "\(file):\(line): column '\(column)' holds '\(value)', which is not a finite number"
        case let .overflows(file, line, column, value):
            "\(file):\(line): column '\(column)' holds '\(value)', which overflows to infinity in Float32 "
                + "arithmetic (values and their squares must stay below 3.4e38): rescale the column"
        }
    }
}
