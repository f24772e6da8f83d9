import ArgumentParser
import ZooCore
import ZooData
import ZooHarness
import ZooTree

extension Zoo {
    /// `zoo explain`: what models learned, in each family's own terms, written to one folder with an index.html:
    /// per-class pixel-weight heat maps (perceptron, logistic regression), the first layer's strongest feature
    /// detectors (MLP), the top levels of rules (tree). Explains the pretrained zoo, given model files, or a model
    /// trained on the spot (`--model tree --depth 3` also prints the rules).
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what models learned: pixel-weight heat maps, feature detectors, tree rules.",
            discussion: """
                Without --model or --saved, explains every model of the pretrained zoo. Writes PNGs and an \
                index.html to --output; tree rules also go to stdout.
                Examples: zoo explain --output explanation ; zoo explain --model tree --size 60k --depth 3
                """)

        @Option(help: "Train this family now and explain it (instead of saved models).")
        var model: ModelKind?

        @Option(name: .customLong("saved"),
                help: ArgumentHelp("A model file to explain (repeatable; default: the pretrained zoo).",
                                   valueName: "file"))
        var savedFiles: [String] = []

        @Option(name: .customLong("zoo"),
                help: ArgumentHelp("Folder of pretrained models (default: $ZOO_MODELS, else ./Zoo or the one "
                                   + "next to the zoo executable).", valueName: "dir"))
        var zooDirectory: String?

        @Option(help: ArgumentHelp("Folder for the pictures and index.html.", valueName: "dir"))
        var output = "explanation"

        @OptionGroup var data: DataOptions

        @Option(parsing: .unconditional, help: "With --model: training samples, a count (500, 1k, 10k, 60k) or all.",
                transform: SampleSize.init(parsing:))
        var size: SampleSize = .all

        @Option(help: "Decision tree: how many levels of rules to show.")
        var depth = 3

        @OptionGroup var training: TrainingArguments

        func validate() throws {
            guard depth >= 0 else { throw ValidationError("--depth must be at least 0") }
            if model != nil && !savedFiles.isEmpty { throw ValidationError("give --model or --saved, not both") }
        }

        func run() throws {
            let descriptor = data.dataset.descriptor
            let sections = try models().map { name, model in
                ModelExplanations.section(for: model, name: name, classNames: descriptor.classNames,
                                          treeDepth: depth)
            }
            for rules in sections.compactMap(\.preformatted) { print(rules) }
            let index = try ExplanationReport.write(sections, title: "What the zoo's models learned", to: output)
            print("wrote \(index)")
        }

        /// The models to explain with their names: one trained now, the given files, or the pretrained zoo.
        private func models() throws -> [(name: String, model: any Model)] {
            if let model {
                let split = try data.load()
                let run = TrainingRun(kind: model, datasetName: data.dataset.descriptor.name, size: size,
                                      options: try training.options())
                let (record, fitted) = try run.run(on: split)
                printProgress("trained \(model.rawValue) on \(record.size) samples: test accuracy "
                              + percent(record.testAccuracy) + ", fit \(fixed(record.fitSeconds, 2)) s")
                return [(model.rawValue, fitted)]
            }
            let saved = savedFiles.isEmpty
                ? try SavedModels.loadAll(in: try SavedModels.locateZoo(explicit: zooDirectory))
                : try savedFiles.map(SavedModels.load)
            return saved.map { ($0.name, $0.model) }
        }
    }
}
