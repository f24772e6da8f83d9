import ZooTensor

/// Which columns of a CSV table to learn from, and what to do with rows that miss a value.
public struct TableOptions: Sendable, Equatable {
    /// The class column: any labels, strings or numbers.
    public var target: String
    /// The numeric feature columns, in this order; nil: every column but the target.
    public var features: [String]?
    /// Skip rows with a missing value instead of refusing the file.
    public var dropMissing: Bool
    /// The class names to map labels onto, in index order (a saved model's), instead of the labels found in the
    /// file, sorted. A label outside them is refused.
    public var classNames: [String]?

    public init(target: String, features: [String]? = nil, dropMissing: Bool = false, classNames: [String]? = nil) {
        self.target = target
        self.features = features
        self.dropMissing = dropMissing
        self.classNames = classNames
    }
}

/// Reads a CSV table of numeric features and a class column as a `Dataset` (`[rows, features]`, unscaled).
public enum TableDataset {
    /// Field values that mean "no value here" (besides an empty field).
    public static let missingMarkers: Set<String> = ["NA", "N/A", "NaN", "nan", "null", "NULL", "?"]

    /// Reads `path` (comma, semicolon or tab separated, detected from the header row) as a labelled table.
    /// Class names are the target column's distinct labels, sorted (numerically when every label is a number),
    /// unless `options.classNames` gives them. Throws `CSVError` for a malformed file and `TableError` for a
    /// table that cannot be learned from, each naming the file (and the line, where there is one).
    public static func read(_ path: String, options: TableOptions) throws -> Dataset {
        try dataset(from: try CSVTable.read(path), options: options, name: fileName(path))
    }

    /// `read` on a table already parsed; `name` names the dataset.
    public static func dataset(from table: CSVTable, options: TableOptions, name: String) throws -> Dataset {
        let file = table.source
        let targetColumn = try table.columnIndex(options.target)
        let featureNames = options.features ?? table.columnNames.filter { $0 != options.target }
        if featureNames.contains(options.target) {
            throw TableError.targetIsFeature(file: file, column: options.target)
        }
        if let repeated = featureNames.indices.first(where: { featureNames[..<$0].contains(featureNames[$0]) }) {
            throw TableError.repeatedFeature(file: file, column: featureNames[repeated])
        }
        guard !featureNames.isEmpty else { throw TableError.noFeatures(file: file, target: options.target) }
        let featureColumns = try featureNames.map(table.columnIndex)
        guard !table.rows.isEmpty else { throw CSVError.noRows(file: file, line: table.headerLine) }

        var values: [Float] = []
        values.reserveCapacity(table.rows.count * featureColumns.count)
        var labelTexts: [String] = []
        rows: for (r, row) in table.rows.enumerated() {
            let line = table.lineNumbers[r]
            for column in [targetColumn] + featureColumns where isMissing(row[column]) {
                if options.dropMissing { continue rows }
                throw TableError.missingValue(file: file, line: line, column: table.columnNames[column])
            }
            for column in featureColumns {
                guard let value = Float(row[column]) else {
                    throw CSVError.notNumeric(file: file, line: line, column: table.columnNames[column],
                                              value: row[column])
                }
                guard value.isFinite else {
                    throw TableError.overflow(file: file, line: line, column: table.columnNames[column],
                                              value: row[column])
                }
                values.append(value)
            }
            labelTexts.append(row[targetColumn])
        }
        guard !labelTexts.isEmpty else { throw TableError.allRowsMissing(file: file) }

        let classNames = options.classNames ?? sortedLabels(Set(labelTexts))
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        var labels: [Int] = []
        labels.reserveCapacity(labelTexts.count)
        for text in labelTexts {
            guard let label = index[text] else {
                throw TableError.unknownClass(file: file, column: options.target, label: text, known: classNames)
            }
            labels.append(label)
        }
        if options.classNames == nil && classNames.count < 2 {
            throw TableError.singleClass(file: file, column: options.target, label: classNames.first ?? "")
        }
        let features = Tensor(shape: [labels.count, featureNames.count], values: values)
        return Dataset(name: name, features: features, labels: labels, featureNames: featureNames,
                       classNames: classNames)
    }

    /// Whether `field` holds no value.
    public static func isMissing(_ field: String) -> Bool { field.isEmpty || missingMarkers.contains(field) }

    /// Labels in a stable order: numerically when all are numbers (so "10" follows "9"), else as text.
    static func sortedLabels(_ labels: Set<String>) -> [String] {
        let numbers = labels.compactMap { label in Double(label).map { (label, $0) } }
        if numbers.count == labels.count {
            return numbers.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
        }
        return labels.sorted()
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// A table that parses but cannot be learned from, each case naming the file (and the line, where there is one).
public enum TableError: Error, CustomStringConvertible, Equatable {
    /// A feature or class field is empty or a missing-value marker.
    case missingValue(file: String, line: Int, column: String)
    /// Every row misses a value, so none is left after dropping them.
    case allRowsMissing(file: String)
    /// A number too large for a 32-bit float.
    case overflow(file: String, line: Int, column: String, value: String)
    /// The class column holds one label only.
    case singleClass(file: String, column: String, label: String)
    /// A label outside the classes trained on (a saved model's, or the training file's).
    case unknownClass(file: String, column: String, label: String, known: [String])
    /// The class column was also chosen as a feature.
    case targetIsFeature(file: String, column: String)
    /// A feature was chosen twice.
    case repeatedFeature(file: String, column: String)
    /// No feature column is left besides the target.
    case noFeatures(file: String, target: String)

    public var description: String {
        switch self {
        case let .missingValue(file, line, column):
            "\(file):\(line): column '\(column)' has no value; fill it in, or drop such rows"
        case let .allRowsMissing(file):
            "\(file): every row misses a value, so no row is left"
        case let .overflow(file, line, column, value):
            "\(file):\(line): column '\(column)' holds \(value), which overflows a 32-bit float to infinity"
        case let .singleClass(file, column, label):
            "\(file): column '\(column)' holds one class only ('\(label)'); a classifier needs at least two"
        case let .unknownClass(file, column, label, known):
            "\(file): column '\(column)' holds '\(label)', which is not one of the classes trained on "
                + "(\(known.joined(separator: ", ")))"
        case let .targetIsFeature(file, column):
            "\(file): column '\(column)' is the class column and cannot also be a feature"
        case let .repeatedFeature(file, column):
            "\(file): feature column '\(column)' is chosen twice"
        case let .noFeatures(file, target):
            "\(file): no feature column besides the class column '\(target)'"
        }
    }
}
