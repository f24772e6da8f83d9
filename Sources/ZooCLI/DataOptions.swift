import ArgumentParser
import Foundation
import ZooHarness
import ZooData

/// A registered dataset named on the command line; `--help` lists the registry's names.
struct DatasetChoice: ExpressibleByArgument, Sendable {
    let descriptor: DatasetDescriptor

    init?(argument: String) {
        guard let found = try? DatasetRegistry.descriptor(named: argument) else { return nil }
        descriptor = found
    }

    static var allValueStrings: [String] { DatasetRegistry.names }
    var defaultValueDescription: String { descriptor.name }
}

/// The options every command that reads a dataset shares: `--dataset` and `--data-dir`.
struct DataOptions: ParsableArguments {
    @Option(help: "The dataset to use.")
    var dataset: DatasetChoice = DatasetChoice(argument: "mnist")!

    @Option(name: .customLong("data-dir"),
            help: ArgumentHelp("Folder holding the dataset's files (or a <dataset>/ subfolder).",
                               discussion: "Searched before $ZOO_DATA/<dataset>, Data/<dataset> and "
                                   + "/usr/share/datasets/<dataset>.",
                               valueName: "dir"))
    var dataDirectory: String?

    /// Finds and reads the dataset's train and test parts.
    func load() throws -> DatasetSplit {
        try DatasetRegistry.load(dataset.descriptor.name, dataDirectory: dataDirectory)
    }
}

/// The options of commands that learn from or test on the user's own data: a CSV table or a folder of images
/// (`--data`), how to read it, and what to test on.
struct OwnDataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Your own data instead of --dataset: a CSV table (with --target) or a folder with "
                               + "one sub-folder of PNG files per class.", valueName: "file-or-dir"))
    var data: String?

    @Option(help: ArgumentHelp("The CSV table's class column (any labels, text or numbers).", valueName: "column"))
    var target: String?

    @Option(help: ArgumentHelp("The CSV table's numeric feature columns, comma-separated (default: every column "
                               + "but --target).", valueName: "columns"))
    var features: String?

    @Flag(help: "Skip CSV rows with a missing value (empty, NA, NaN, ?) instead of refusing the file.")
    var dropMissing = false

    @Option(help: ArgumentHelp("Resize every image to N x N pixels (default: the most common size in the folder).",
                               valueName: "N"))
    var imageSize: Int?

    @Option(help: ArgumentHelp("Read images as grey (1) or RGB (3) (default: 3 if any image is in colour).",
                               valueName: "1|3"))
    var channels: Int?

    @Option(help: ArgumentHelp("Test on this CSV file or image folder (read like --data) instead of a share of "
                               + "--data.", valueName: "file-or-dir"))
    var test: String?

    @Option(help: ArgumentHelp("Test on this share of --data, stratified and seeded by --seed (default 0.2; "
                               + "zoo eval: the whole of --data).", valueName: "fraction"))
    var testSplit: Double?

    func validate() throws {
        if data == nil {
            let stray = [("--target", target != nil), ("--features", features != nil), ("--drop-missing", dropMissing),
                         ("--image-size", imageSize != nil), ("--channels", channels != nil),
                         ("--test", test != nil), ("--test-split", testSplit != nil)]
            if let (name, _) = stray.first(where: \.1) { throw ValidationError("\(name) needs --data") }
        }
        if test != nil && testSplit != nil { throw ValidationError("give --test or --test-split, not both") }
        if let testSplit, !(testSplit > 0 && testSplit < 1) {
            throw ValidationError("--test-split must be between 0 and 1, such as 0.2")
        }
        if let imageSize, !(1...ImageFolder.maximumSide).contains(imageSize) {
            throw ValidationError("--image-size must be in 1...\(ImageFolder.maximumSide)")
        }
        if let channels, channels != 1 && channels != 3 { throw ValidationError("--channels must be 1 or 3") }
    }

    /// Whether `--data` names a folder (of images) rather than a table.
    private var isFolder: Bool {
        var isDirectory: ObjCBool = false
        return data.map { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) } == true
            && isDirectory.boolValue
    }

    /// Reads `--data` (or, without it, `registered`'s dataset) and splits it. `recorded` is a saved model's
    /// description of its data (for `zoo eval`); `wholeByDefault` tests on all of `--data` unless `--test` or
    /// `--test-split` say otherwise.
    func load(registered: DataOptions, seed: UInt64, recorded: DataDescription? = nil,
              wholeByDefault: Bool = false) throws -> PreparedData {
        guard let data else {
            return try PreparedData.load(.registered(name: registered.dataset.descriptor.name,
                                                     dataDirectory: registered.dataDirectory))
        }
        let source: DataSource
        if isFolder {
            if target != nil || features != nil || dropMissing {
                throw ValidationError("--target, --features and --drop-missing are for a CSV table; \(data) is a "
                                      + "folder of images")
            }
            source = .images(path: data, options: ImageFolderOptions(size: imageSize.map { [$0, $0] },
                                                                     channels: channels))
        } else {
            if imageSize != nil || channels != nil {
                throw ValidationError("--image-size and --channels are for a folder of images; \(data) is a file")
            }
            guard let target = target ?? recorded?.target else {
                throw ValidationError("--target: name the class column of \(data)")
            }
            let columns = try features.map { list in
                try list.split(separator: ",", omittingEmptySubsequences: false).map { name in
                    let trimmed = name.trimmingCharacters(in: .whitespaces)
                    if trimmed.isEmpty { throw ValidationError("--features: an empty column name in '\(list)'") }
                    return trimmed
                }
            }
            source = .table(path: data, options: TableOptions(target: target, features: columns,
                                                              dropMissing: dropMissing))
        }
        let part: TestPart = test.map { .separate($0) } ?? testSplit.map { .fraction($0) }
            ?? (wholeByDefault ? .everything : .fraction(0.2))
        return try PreparedData.load(source, test: part, seed: seed, recorded: recorded)
    }
}
