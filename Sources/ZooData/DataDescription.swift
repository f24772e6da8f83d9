import Foundation

/// What a model was trained on besides the samples themselves, recorded in its model file so that `eval` and
/// `classify` can prepare new data the same way: the kind and shape of one sample, the class names in index
/// order, and for a table its columns and the standardisation fitted on its training part.
public struct DataDescription: Sendable, Equatable, Codable {
    /// Images (from a folder of PNGs) or the rows of a table.
    public enum Kind: String, Sendable, Codable { case images, table }

    public var kind: Kind
    /// One sample's shape: `[height, width]` grey or `[height, width, 3]` RGB images, `[features]` rows.
    public var sampleShape: [Int]
    /// Class names, in class-index order.
    public var classNames: [String]
    /// A table's feature columns, in input order.
    public var featureNames: [String]?
    /// A table's class column.
    public var target: String?
    /// A table's standardisation, applied before the model sees a row.
    public var scaling: FeatureScaling?

    public init(kind: Kind, sampleShape: [Int], classNames: [String], featureNames: [String]? = nil,
                target: String? = nil, scaling: FeatureScaling? = nil) {
        self.kind = kind
        self.sampleShape = sampleShape
        self.classNames = classNames
        self.featureNames = featureNames
        self.target = target
        self.scaling = scaling
    }

    /// The description as one line of JSON, keys sorted (so the same model gives the same bytes).
    public func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Decodes and checks `text` from a model file; nil with the reason when it is not a usable description.
    public static func decoded(_ text: String) -> Result<DataDescription, DataDescriptionError> {
        guard let description = try? JSONDecoder().decode(DataDescription.self, from: Data(text.utf8)) else {
            return .failure(DataDescriptionError(reason: "is not a data description"))
        }
        if let problem = description.problem { return .failure(DataDescriptionError(reason: problem)) }
        return .success(description)
    }

    /// What is inconsistent about the description, or nil.
    var problem: String? {
        guard !classNames.isEmpty, classNames.count <= 1 << 16 else { return "has no or too many class names" }
        guard sampleShape.allSatisfy({ (1...(1 << 20)).contains($0) }) else { return "has an impossible shape" }
        switch kind {
        case .images:
            guard sampleShape.count == 2 || (sampleShape.count == 3 && sampleShape[2] == 3) else {
                return "has an image shape other than [height, width] or [height, width, 3]"
            }
            guard sampleShape[0] <= ImageFolder.maximumSide, sampleShape[1] <= ImageFolder.maximumSide else {
                return "has images larger than \(ImageFolder.maximumSide) pixels a side"
            }
        case .table:
            guard let featureNames, sampleShape == [featureNames.count], target != nil else {
                return "has table columns that do not match its shape"
            }
            if let scaling, !scaling.isValid(columns: featureNames.count) {
                return "has a standardisation that does not fit its columns or is not finite"
            }
        }
        return nil
    }
}

/// Why a recorded data description cannot be used.
public struct DataDescriptionError: Error, Equatable {
    public let reason: String
}
