import Foundation
import ZooCore
import ZooData
import ZooInception
import ZooLinear
import ZooLogistic
import ZooMLP
import ZooPerceptron
import ZooTree

/// Every family that can be written to a model file, in the order the zoo lists them. A family joins by conforming
/// to `PersistableModel` in its own `<Family>+Saving.swift` and being added here.
public var persistableFamilies: [any PersistableModel.Type] {
    [DecisionTree.self, LinearRegression.self, Perceptron.self, LogisticRegression.self, MLP.self, InceptionNet.self]
}

/// A model read from a model file, with what the file says about it.
public struct SavedModel {
    /// Short name: the file's name without extension ("mlp" for `Zoo/mlp.safetensors`).
    public let name: String
    /// Where it was read from.
    public let path: String
    /// Family, hyperparameters and provenance.
    public let file: ModelFile
    /// The fitted model.
    public let model: any Model
}

/// Saving and loading models of any family, and finding the pretrained zoo.
public enum SavedModels {
    /// File extension of model files.
    public static let fileExtension = "safetensors"

    /// Reads the model file at `path`, whatever its family. Throws `ModelFileError` when the file is damaged or
    /// holds a family this build does not know.
    public static func load(_ path: String) throws -> SavedModel {
        let file = try ModelFile.read(path)
        guard let family = persistableFamilies.first(where: { $0.familyName == file.family }) else {
            throw ModelFileError.unknownFamily(file: path, family: file.family,
                                               known: persistableFamilies.map { $0.familyName })
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return SavedModel(name: name, path: path, file: file, model: try family.rebuilt(from: file.state))
    }

    /// Writes a fitted `model` to `path` atomically. Throws `ModelFileError.unwritable` when its family cannot be
    /// saved, `ModelError.notFitted` before `fit`.
    public static func save(_ model: any Model, provenance: ModelProvenance, to path: String) throws {
        guard let persistable = model as? any PersistableModel else {
            throw ModelFileError.unwritable(file: path, reason: "the \(model.family) family cannot be saved")
        }
        try ModelFile(model: persistable, provenance: provenance).write(to: path)
    }

    /// Every model file in `directory`, loaded, sorted by family order then name.
    public static func loadAll(in directory: String) throws -> [SavedModel] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let models = try names.filter { $0.hasSuffix("." + fileExtension) }.sorted()
            .map { try load(URL(fileURLWithPath: directory).appendingPathComponent($0).path) }
        let order = persistableFamilies.map { $0.familyName }
        return models.sorted {
            (order.firstIndex(of: $0.file.family) ?? order.count, $0.name)
                < (order.firstIndex(of: $1.file.family) ?? order.count, $1.name)
        }
    }

    /// Name of the folder of pretrained models shipped in the repository.
    public static let zooFolderName = "Zoo"

    /// The folder of pretrained models: `explicit` if given, else `$ZOO_MODELS`, else `Zoo/` in the current
    /// folder or in a folder above the running executable (so `.build/release/zoo` finds the repository's).
    public static func locateZoo(explicit: String? = nil) throws -> String {
        if let explicit { return explicit }
        var candidates: [String] = []
        if let fromEnvironment = ProcessInfo.processInfo.environment["ZOO_MODELS"] { candidates.append(fromEnvironment) }
        candidates.append(FileManager.default.currentDirectoryPath + "/" + zooFolderName)
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent(zooFolderName).path)
            folder = folder.deletingLastPathComponent()
        }
        var seen: Set<String> = []
        candidates = candidates.filter { seen.insert($0).inserted }
        for candidate in candidates where containsModels(candidate) { return candidate }
        throw ZooFolderError.notFound(placesTried: candidates)
    }

    private static func containsModels(_ directory: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .contains { $0.hasSuffix("." + fileExtension) }
    }
}

/// The pretrained zoo could not be found.
public enum ZooFolderError: Error, CustomStringConvertible, Equatable {
    /// No candidate folder holds model files.
    case notFound(placesTried: [String])

    public var description: String {
        switch self {
        case let .notFound(places):
            "no pretrained models found; looked in: \(places.joined(separator: ", ")). Run from the repository, "
                + "set ZOO_MODELS, pass --model FILE, or regenerate them with Zoo/regenerate.sh"
        }
    }
}
