import Foundation
import ZooCore
import ZooData

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

    /// Writes a fitted `model` and its `calibration` to `path` atomically. Throws `ModelFileError.unwritable`
    /// when its family cannot be saved, `ModelError.notFitted` before `fit`.
    public static func save(_ model: any Model, provenance: ModelProvenance, calibration: Calibration = .identity,
                            to path: String) throws {
        guard let persistable = model as? any PersistableModel else {
            throw ModelFileError.unwritable(file: path, reason: "the \(model.family) family cannot be saved")
        }
        var file = try ModelFile(model: persistable, provenance: provenance)
        file.calibration = calibration
        try file.write(to: path)
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

    /// The folders to search for the pretrained zoo, in order: `fromEnvironment` (the executable's `$ZOO_MODELS`)
    /// if set, `Zoo/` in `currentDirectory`, then `Zoo/` in the folder of `executablePath` and up to three folders
    /// above it (so `.build/release/zoo` finds the repository's). A pure function: the executable passes what it
    /// read from its environment and arguments.
    public static func searchFolders(fromEnvironment: String?, currentDirectory: String,
                                     executablePath: String?) -> [String] {
        var candidates: [String] = []
        if let fromEnvironment { candidates.append(fromEnvironment) }
        candidates.append(URL(fileURLWithPath: currentDirectory).appendingPathComponent(zooFolderName).path)
        if let executablePath {
            var folder = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(folder.appendingPathComponent(zooFolderName).path)
                folder = folder.deletingLastPathComponent()
            }
        }
        var seen: Set<String> = []
        return candidates.filter { seen.insert($0).inserted }
    }

    /// The folder of pretrained models: `explicit` if given, else the first of `searchFolders` that holds model
    /// files. Throws `ZooFolderError.notFound` listing every folder tried.
    public static func locateZoo(explicit: String? = nil, searchFolders: [String]) throws -> String {
        if let explicit { return explicit }
        for candidate in searchFolders where containsModels(candidate) { return candidate }
        throw ZooFolderError.notFound(placesTried: searchFolders)
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
                + "name the folder or a model file explicitly, or regenerate them with Zoo/regenerate.sh"
        }
    }
}
