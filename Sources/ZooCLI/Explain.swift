import ArgumentParser
import ZooCore
import ZooData
import ZooHarness
import ZooTree

extension Zoo {
    /// `zoo explain`: what models learned, in each family's own terms, written to one folder with an index.html:
    /// per-class pixel-weight heat maps (perceptron, least squares, logistic regression), the first layer's
    /// strongest feature detectors (MLP), the top levels of rules (tree), the stem's filters and saliency maps on
    /// test digits (Inception). Explains the pretrained zoo, given model files, or a model trained on the spot
    /// (`--model tree --rules-depth 3` also prints the rules). The dataset, when found, greys out pixels its
    /// training images (almost) never ink and gives the test digits.
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what models learned: pixel-weight heat maps, feature detectors, tree rules, filters, saliency.",
            discussion: """
                Without --model or --model-file, explains every model of the pretrained zoo. Writes PNGs and an \
                index.html to --out; tree rules also go to stdout. The dataset (--dataset, --data-dir; skipped \
                with a note when not found) greys out pixels fewer than 0.1% of its training images ink and \
                gives the test digits of Inception's saliency maps.
                Examples: zoo explain --out explanation ; zoo explain --model tree --size 60k --rules-depth 3
                """)

        @Option(help: "Train this family now and explain it (instead of saved models).")
        var model: ModelKind?

        @Option(name: .customLong("model-file"),
                help: ArgumentHelp("A model file to explain (repeatable; default: the pretrained zoo).",
                                   valueName: "file"))
        var modelFiles: [String] = []

        @Option(name: .customLong("zoo"),
                help: ArgumentHelp("Folder of pretrained models (default: $ZOO_MODELS, else ./Zoo or the one "
                                   + "next to the zoo executable).", valueName: "dir"))
        var zooDirectory: String?

        @Option(help: ArgumentHelp("Folder for the pictures and index.html.", valueName: "dir"))
        var out = "explanation"

        @OptionGroup var data: DataOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("With --model: training samples, any count (such as 500, 2.5k or 60k) or all.",
                                   valueName: "count"),
                transform: SampleSize.init(parsing:))
        var size: SampleSize = .all

        @Option(help: ArgumentHelp("Decision tree: levels of rules to show.", valueName: "levels"))
        var rulesDepth = 3

        @Option(help: ArgumentHelp("Inception: test digits per class shown with saliency maps.", valueName: "count"))
        var saliencyDigits = 2

        @OptionGroup var training: TrainingArguments

        // The spellings before `--model-file`, `--out` and `--rules-depth`, still read (with a note).
        @Option(name: .customLong("saved"), help: .hidden) var oldSavedFiles: [String] = []
        @Option(name: .customLong("output"), help: .hidden) var oldOutput: String?
        @Option(name: .customLong("depth"), help: .hidden) var oldDepth: Int?

        func validate() throws {
            guard (oldDepth ?? rulesDepth) >= 0 else { throw ValidationError("--rules-depth must be at least 0") }
            guard (0...100).contains(saliencyDigits) else { throw ValidationError("--saliency-digits must be in 0...100") }
            if model != nil && !(modelFiles + oldSavedFiles).isEmpty {
                throw ValidationError("give --model (a family to train now) or --model-file, not both")
            }
        }

        func run() throws {
            if !oldSavedFiles.isEmpty { noteRenamed("zoo explain --saved FILE", to: "zoo explain --model-file FILE") }
            if oldOutput != nil { noteRenamed("zoo explain --output DIR", to: "zoo explain --out DIR") }
            if oldDepth != nil { noteRenamed("zoo explain --depth N", to: "zoo explain --rules-depth N") }
            let descriptor = data.dataset.descriptor
            let (models, split) = try modelsAndData()
            let evidence = split.map { ExplanationEvidence($0, examplesPerClass: saliencyDigits) } ?? ExplanationEvidence()
            let sections = models.map { name, model in
                ModelExplanations.section(for: model, name: name, classNames: descriptor.classNames,
                                          treeDepth: oldDepth ?? rulesDepth, evidence: evidence)
            }
            for rules in sections.compactMap(\.preformatted) { print(rules) }
            let index = try ExplanationReport.write(sections, title: "What the zoo's models learned",
                                                    to: oldOutput ?? out)
            print("wrote \(index)")
        }

        /// The models to explain with their names (one trained now, the given files, or the pretrained zoo), and
        /// the dataset: the one trained on, else the one the options name, or nil with a note when it is not
        /// found and no --data-dir was given.
        private func modelsAndData() throws -> (models: [(name: String, model: any Model)], data: DatasetSplit?) {
            if model != nil {
                let split = try data.load()
                return (try models(trainedOn: split), split)
            }
            let found: DatasetSplit?
            do {
                found = try data.load()
            } catch where data.dataDirectory == nil {
                printProgress("note: without the \(data.dataset.descriptor.name) dataset the heat maps keep every pixel "
                              + "and Inception gets no saliency maps (\(error))")
                found = nil
            }
            return (try models(trainedOn: nil), found)
        }

        /// The models to explain with their names: one trained now on `split`, the given files, or the pretrained
        /// zoo.
        private func models(trainedOn split: DatasetSplit?) throws -> [(name: String, model: any Model)] {
            if let model, let split {
                let run = TrainingRun(kind: model, datasetName: data.dataset.descriptor.name, size: size,
                                      options: try training.options(), quiet: training.quiet)
                let (record, fitted) = try run.run(on: split)
                printProgress("trained \(model.rawValue) on \(record.size) samples: test accuracy "
                              + Format.percent(record.testAccuracy) + ", fit \(Format.fixed(record.fitSeconds, 2)) s")
                return [(model.rawValue, fitted)]
            }
            let files = modelFiles + oldSavedFiles
            let saved = files.isEmpty
                ? try SavedModels.loadAll(in: try SavedModels.locateZoo(explicit: zooDirectory, searchFolders: zooSearchFolders()))
                : try files.map(SavedModels.load)
            return saved.map { ($0.name, $0.model) }
        }
    }
}
