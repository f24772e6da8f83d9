import Foundation

/// Finds the folder holding a dataset's four files. Places are searched in this order, and the first folder that
/// holds all four files (gzip'd or not) wins:
/// 1. the explicit directory (`--data-dir`), itself or its `<name>` subfolder;
/// 2. `$ZOO_DATA/<name>`;
/// 3. `Data/<name>` in the working directory (where `zoo data fetch` puts files);
/// 4. `/usr/share/datasets/<name>`.
///
/// The environment, working directory and system folder are injectable so tests can check the order.
public struct DatasetLocator: Sendable {
    /// The user's `--data-dir`, if any; relative paths are taken from `workingDirectory`.
    public var explicitDirectory: String?
    /// Environment variables; only `ZOO_DATA` is read.
    public var environment: [String: String]
    /// Where `Data/<name>` is looked for.
    public var workingDirectory: String
    /// The machine-wide dataset folder.
    public var systemDirectory: String

    /// Name of the environment variable pointing at a folder of datasets (one subfolder per dataset).
    public static let environmentVariable = "ZOO_DATA"

    /// A locator; the defaults are this process's environment and working directory and the system folder.
    public init(explicitDirectory: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                workingDirectory: String = FileManager.default.currentDirectoryPath,
                systemDirectory: String = "/usr/share/datasets") {
        self.explicitDirectory = explicitDirectory
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.systemDirectory = systemDirectory
    }

    /// The folders searched for dataset `name`, in order.
    public func candidates(for name: String) -> [String] {
        var places: [String] = []
        if let explicitDirectory, !explicitDirectory.isEmpty {
            let base = absolute(explicitDirectory)
            places += [base, base + "/" + name]
        }
        if let root = environment[Self.environmentVariable], !root.isEmpty {
            places.append(absolute(root) + "/" + name)
        }
        places.append(workingDirectory + "/Data/" + name)
        places.append(systemDirectory + "/" + name)
        return places
    }

    /// The first candidate folder holding all of `descriptor`'s files. Throws `DatasetError.notFound` listing
    /// every place tried (and which files a partly filled folder lacks) and how to get the data.
    public func locate(_ descriptor: DatasetDescriptor) throws -> String {
        var tried: [String] = []
        for folder in candidates(for: descriptor.name) {
            let missing = Self.missingFiles(of: descriptor, in: folder)
            if missing.isEmpty { return folder }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue {
                tried.append("\(folder) (missing \(missing.joined(separator: ", ")))")
            } else {
                tried.append(folder)
            }
        }
        throw DatasetError.notFound(name: descriptor.name, placesTried: tried, hint: Self.fetchHint(descriptor))
    }

    /// How to get a dataset that was not found.
    public static func fetchHint(_ descriptor: DatasetDescriptor) -> String {
        "Get it with `zoo data fetch \(descriptor.name) --from DIR` (DIR holding the four .gz files) or "
            + "`zoo data fetch \(descriptor.name)` (downloads from \(descriptor.mirror)), or set "
            + "\(environmentVariable) to a folder holding \(descriptor.name)/"
    }

    /// The names of `descriptor`'s files that `folder` lacks in both gzip'd and uncompressed form.
    static func missingFiles(of descriptor: DatasetDescriptor, in folder: String) -> [String] {
        DatasetFileRole.allCases.map { descriptor.file($0) }
            .filter { existingPath(of: $0, in: folder) == nil }
            .map(\.fileName)
    }

    /// The path of `file` in `folder`, gzip'd form first, or nil when neither form is there.
    static func existingPath(of file: DatasetFile, in folder: String) -> String? {
        [file.fileName, file.uncompressedFileName]
            .map { folder + "/" + $0 }
            .first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// `path` made absolute against `workingDirectory`, with `..` and `.` resolved so messages read cleanly.
    private func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path.hasPrefix("/") ? path : workingDirectory + "/" + path).standardized.path
    }
}
