import Foundation
import ZooData

/// What a comparison's records depend on besides their model, size and seed: the data and the training options.
///
/// Two records can be put side by side (resumed into one results.json, or merged from tasks run on several
/// machines) only when their configurations are equal. Written as `"configuration"` in results.json and in every
/// task record.
public struct CompareConfiguration: Codable, Equatable, Sendable {
    /// Dataset name, e.g. "mnist".
    public var dataset: String
    /// `DatasetSplit.contentChecksum` of the training and test sets the records were measured on.
    public var dataChecksum: String
    /// Test samples every record was evaluated on.
    public var testSize: Int
    /// The training options that change what a family learns, by snake_case name, each value as JSON text
    /// (`"epochs": "1"`, `"hidden_sizes": "[256]"`); options left at the family's own default are absent.
    public var options: [String: String]
    /// The share of every training sample held out to fit the calibration (`CalibrationHoldout.fraction`), 0
    /// for none: what the models fitted and how their probabilities were calibrated both depend on it. Files
    /// written before it was recorded held nothing out and read as 0.
    public var calibrationSplit: Double

    public init(dataset: String, dataChecksum: String, testSize: Int, options: [String: String],
                calibrationSplit: Double) {
        self.dataset = dataset
        self.dataChecksum = dataChecksum
        self.testSize = testSize
        self.options = options
        self.calibrationSplit = calibrationSplit
    }

    /// The configuration of a comparison of `split` (named `dataset`) trained with `options`. Throws
    /// `EncodingError` for an option that is not a finite number, `ModelError.invalidHyperparameter` for a
    /// calibration split outside `0..<1`.
    public init(dataset: String, split: DatasetSplit, options: ModelOptions) throws {
        self.init(dataset: dataset, dataChecksum: split.contentChecksum, testSize: split.test.count,
                  options: try Self.optionsKey(options),
                  calibrationSplit: try CalibrationHoldout(options).fraction)
    }

    /// How `other` differs from this configuration, one item per field: `epochs: 2 there, 1 here`. Empty when
    /// they are equal.
    public func differences(from other: CompareConfiguration) -> [String] {
        var items = [String]()
        if dataset != other.dataset { items.append("dataset: \(other.dataset) there, \(dataset) here") }
        if dataChecksum != other.dataChecksum {
            items.append("data checksum: \(other.dataChecksum) there, \(dataChecksum) here")
        }
        if testSize != other.testSize { items.append("test size: \(other.testSize) there, \(testSize) here") }
        if calibrationSplit != other.calibrationSplit {
            items.append("calibration split: \(other.calibrationSplit) there, \(calibrationSplit) here")
        }
        for key in Set(options.keys).union(other.options.keys).sorted() where options[key] != other.options[key] {
            items.append("\(key): \(other.options[key] ?? "default") there, \(options[key] ?? "default") here")
        }
        return items
    }

    enum CodingKeys: String, CodingKey {
        case dataset, options
        case dataChecksum = "data_checksum"
        case testSize = "test_size"
        case calibrationSplit = "calibration_split"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try container.decode(String.self, forKey: .dataset)
        dataChecksum = try container.decode(String.self, forKey: .dataChecksum)
        testSize = try container.decode(Int.self, forKey: .testSize)
        options = try container.decode([String: String].self, forKey: .options)
        calibrationSplit = try container.decodeIfPresent(Double.self, forKey: .calibrationSplit) ?? 0
    }

    // MARK: The one place that reads `ModelOptions` for matching records

    /// `options` as the configuration records them: every option that can change a fitted model, by snake_case
    /// name, its value as compact JSON. The seed is left out (each record carries its own), and so is the
    /// calibration split (`calibrationSplit` records it resolved, default included).
    static func optionsKey(_ options: ModelOptions) throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var object = try JSONSerialization.jsonObject(with: encoder.encode(options)) as? [String: Any] ?? [:]
        // The training overrides are options like the others: one flat namespace (`epochs`, `learning_rate`).
        if let training = object.removeValue(forKey: "training") as? [String: Any] {
            object.merge(training) { family, _ in family }
        }
        var key = [String: String]()
        for (name, value) in object where name != "seed" && name != "calibration_split" {
            if let text = value as? String {
                key[name] = text
            } else if let data = try? JSONSerialization.data(withJSONObject: value,
                                                              options: [.fragmentsAllowed, .sortedKeys]) {
                key[name] = String(decoding: data, as: UTF8.self)
            }
        }
        return key
    }
}

extension DatasetSplit {
    /// A checksum of the training and test sets' pixels, labels, image shape and class names:
    /// `fnv1a64:<16 hex digits>` (64-bit FNV-1a). It tells apart two copies of a dataset that differ anywhere,
    /// wherever and in whatever form (gzip'd or not) they are stored; it is no defence against a crafted file.
    public var contentChecksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: UnsafeBufferPointer<UInt8>) {
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        func mix(_ text: String) {
            var text = text + "\u{0}"
            text.withUTF8 { mix($0) }
        }
        for part in [train, test] {
            mix("\(part.count) \(part.imageShape) \(part.classNames)")
            part.pixels.withUnsafeBufferPointer { mix($0) }
            part.labels.map { UInt8(truncatingIfNeeded: $0) }.withUnsafeBufferPointer { mix($0) }
        }
        let hex = String(hash, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
