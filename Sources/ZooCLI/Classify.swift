import ArgumentParser
import Foundation
import ZooData
import ZooHarness

extension Zoo {
    /// `zoo classify digit.png ...`: what each pretrained model (or `--model-file FILE`) reads in a person's drawing.
    struct Classify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify handwritten digits in PNG images with the pretrained models.",
            discussion: "Any PNG works: any size, gray or color, with or without alpha, dark ink on a light "
                + "background or light on dark. Each image is prepared the way MNIST was made (ink cropped, "
                + "scaled to fit 20x20, centered by mass in 28x28); --show-input saves what the models saw. "
                + "The vote pools the models' calibrated probabilities with the weights zoo calibrate fitted "
                + "(Zoo/vote.json); an image whose not-a-digit score is above 1 is reported as not a digit.")

        @Argument(help: ArgumentHelp("PNG images of one digit each.", valueName: "image"))
        var images: [String]

        @Option(name: .customLong("model"),
                help: ArgumentHelp("Use only this family of the pretrained zoo (repeatable): "
                                   + ModelKind.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                                   valueName: "family"))
        var families: [String] = []

        @Option(name: .customLong("model-file"),
                help: ArgumentHelp("A model file to use instead of the pretrained zoo (repeatable).", valueName: "file"))
        var modelFiles: [String] = []

        @Option(name: .customLong("zoo"),
                help: ArgumentHelp("Folder of pretrained models (default: $ZOO_MODELS, else ./Zoo or the one "
                                   + "next to the zoo executable).", valueName: "dir"))
        var zooDirectory: String?

        @Flag(help: "Print one JSON object per image, one per line.")
        var json = false

        @Flag(name: .customLong("guess"),
              help: "Give the vote's digit even for an image the not-a-digit score rejects.")
        var forceGuess = false

        @Option(name: .customLong("show-input"),
                help: ArgumentHelp("Folder to write each preprocessed 28x28 image to, as <name>.input.png.",
                                   valueName: "dir"))
        var showInput: String?

        @Option(help: ArgumentHelp("Folder to write a page to (index.html): for each image, what each model looked "
                                   + "at, its probabilities and the vote.", valueName: "dir"))
        var explain: String?

        func validate() throws {
            guard !images.isEmpty else { throw ValidationError("give at least one PNG image") }
            if !familyFilter.isEmpty && !(modelFiles + oldModelFiles).isEmpty {
                throw ValidationError("give --model (families of the pretrained zoo) or --model-file, not both")
            }
        }

        /// `--model` values that name a family.
        private var familyFilter: [ModelKind] { families.compactMap(ModelKind.init(rawValue:)) }

        /// `--model` values that are not a family: model files, as `--model FILE` read before `--model-file`.
        private var oldModelFiles: [String] { families.filter { ModelKind(rawValue: $0) == nil } }

        func run() throws {
            if !oldModelFiles.isEmpty { noteRenamed("zoo classify --model FILE", to: "zoo classify --model-file FILE") }
            let files = modelFiles + oldModelFiles
            let zoo = files.isEmpty
                ? try SavedModels.locateZoo(explicit: zooDirectory, searchFolders: zooSearchFolders())
                : try? SavedModels.locateZoo(explicit: zooDirectory, searchFolders: zooSearchFolders())
            var saved = files.isEmpty ? try SavedModels.loadAll(in: zoo ?? "") : try files.map(SavedModels.load)
            if !familyFilter.isEmpty {
                saved = saved.filter { model in familyFilter.contains { $0.rawValue == model.model.family } }
                guard !saved.isEmpty else {
                    throw CommandError(description: "the pretrained zoo has no model of the families given with --model")
                }
            }
            let models = saved.map { (name: $0.name, model: $0.model, calibration: $0.file.calibration) }
            // Models trained on an image folder read images at their recorded shape, not as MNIST digits.
            let recorded = saved.map(\.file.provenance.data)
            if let table = saved.first(where: { $0.file.provenance.data?.kind == .table }) {
                throw CommandError(description: "\(table.path) was trained on a table (\(table.file.provenance.dataset)); "
                                   + "classify reads images: evaluate it with zoo eval --data instead")
            }
            let ownData = recorded.first ?? nil
            if recorded.contains(where: { $0 != ownData }) {
                throw CommandError(description: "the models were trained on different data (MNIST digits and an image "
                                   + "folder, or two folders): classify with one kind at a time")
            }
            let policyPath = zoo.map { URL(fileURLWithPath: $0).appendingPathComponent(VotePolicy.fileName).path }
            let policy = try policyPath.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
                .map(VotePolicy.read)
            if let showInput {
                do {
                    try FileManager.default.createDirectory(atPath: showInput, withIntermediateDirectories: true)
                } catch {
                    throw CommandError(description: "cannot create the --show-input folder \(showInput): "
                                       + error.localizedDescription)
                }
            }
            if let explain {
                guard ownData == nil else {
                    throw CommandError(description: "--explain explains digits; these models were trained on an image "
                                       + "folder")
                }
                try ExplanationReport.createFolder(explain)
            }
            var explained: [ExplanationSection] = []
            var explainedNames: Set<String> = []
            var failures = 0
            var pictureNames: Set<String> = []
            for path in images {
                do {
                    if let ownData {
                        let result = try ImageClassification(file: path, data: ownData, models: models)
                        print(json ? result.jsonLine : result.text)
                        continue
                    }
                    let digit = try DigitPreprocessing.mnistDigit(try PNG.readGray(path), source: path)
                    if let showInput {
                        let name = Self.uniqueName(for: path, taken: &pictureNames)
                        let inputPath = URL(fileURLWithPath: showInput).appendingPathComponent(name + ".input.png").path
                        try PNG.write(digit, to: inputPath)
                    }
                    let result = try DigitClassification(file: path, digit: digit, models: models, policy: policy,
                                                         forceGuess: forceGuess)
                    print(json ? result.jsonLine : result.text)
                    if explain != nil {
                        explained.append(DigitExplanationPage.section(
                            for: result, digit: digit, models: models,
                            pictureName: Self.uniqueName(for: path, taken: &explainedNames),
                            classNames: (0..<10).map(String.init)))
                    }
                } catch let error as PNGError {
                    failures += 1
                    report(path, error.description)
                } catch let error as DigitError {
                    failures += 1
                    report(path, error.description)
                }
            }
            if let explain {
                let index = try ExplanationReport.write(
                    explained, title: "What the models looked at", to: explain,
                    introduction: "Each input as the models saw it (ink cropped, scaled and centred in 28x28, as MNIST "
                        + "was made), then each model: what it looked at for this digit and its probabilities.")
                printProgress("wrote \(index)")
            }
            if failures > 0 { throw ExitCode.failure }
        }

        /// An image that could not be classified: a JSON line with an "error" field, or the message (which names
        /// the file) on stderr.
        private func report(_ path: String, _ message: String) {
            if json {
                print(DigitClassification.errorJSONLine(file: path, message: message))
            } else {
                printProgress("Error: " + message)
            }
        }

        /// The picture name of `path` for `--show-input`: its file name without extension, with `-2`, `-3`, ...
        /// appended when an earlier input of this run had the same name.
        static func uniqueName(for path: String, taken: inout Set<String>) -> String {
            DigitExplanationPage.uniqueName(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
                                            taken: &taken)
        }
    }
}
