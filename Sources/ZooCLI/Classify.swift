import ArgumentParser
import Foundation
import ZooData
import ZooHarness

extension Zoo {
    /// `zoo classify digit.png ...`: what each pretrained model (or `--model FILE`) reads in a person's drawing.
    struct Classify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify handwritten digits in PNG images with the pretrained models.",
            discussion: "Any PNG works: any size, gray or color, with or without alpha, dark ink on a light "
                + "background or light on dark. Each image is prepared the way MNIST was made (ink cropped, "
                + "scaled to fit 20x20, centered by mass in 28x28); --show-input saves what the models saw.")

        @Argument(help: ArgumentHelp("PNG images of one digit each.", valueName: "image"))
        var images: [String]

        @Option(name: .customLong("model"),
                help: ArgumentHelp("A model file to use instead of the pretrained zoo (repeatable).", valueName: "file"))
        var modelFiles: [String] = []

        @Option(name: .customLong("zoo"),
                help: ArgumentHelp("Folder of pretrained models (default: $ZOO_MODELS, else ./Zoo or the one "
                                   + "next to the zoo executable).", valueName: "dir"))
        var zooDirectory: String?

        @Flag(help: "Print one JSON object per image, one per line.")
        var json = false

        @Option(name: .customLong("show-input"),
                help: ArgumentHelp("Folder to write each preprocessed 28x28 image to, as <name>.input.png.",
                                   valueName: "dir"))
        var showInput: String?

        func validate() throws {
            guard !images.isEmpty else { throw ValidationError("give at least one PNG image") }
        }

        func run() throws {
            let saved = modelFiles.isEmpty
                ? try SavedModels.loadAll(in: try SavedModels.locateZoo(explicit: zooDirectory, searchFolders: zooSearchFolders()))
                : try modelFiles.map(SavedModels.load)
            let models = saved.map { (name: $0.name, model: $0.model) }
            var failures = 0
            for path in images {
                do {
                    let digit = try DigitPreprocessing.mnistDigit(try PNG.readGray(path), source: path)
                    if let showInput {
                        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                        let inputPath = URL(fileURLWithPath: showInput).appendingPathComponent(name + ".input.png").path
                        try PNG.write(digit, to: inputPath)
                    }
                    let result = try DigitClassification(file: path, digit: digit, models: models)
                    print(json ? result.jsonLine : result.text)
                } catch let error as PNGError {
                    failures += 1
                    report(path, error.description)
                } catch let error as DigitError {
                    failures += 1
                    report(path, error.description)
                }
            }
            if failures > 0 { throw ExitCode.failure }
        }

        /// An image that could not be classified: a JSON line with an "error" field, or the message (which names
        /// the file) on stderr.
        private func report(_ path: String, _ message: String) {
            if json {
                print(DigitClassification.errorJSONLine(file: path, message: message))
            } else {
                printProgress(message)
            }
        }
    }
}
