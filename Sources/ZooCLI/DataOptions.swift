import ArgumentParser
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
