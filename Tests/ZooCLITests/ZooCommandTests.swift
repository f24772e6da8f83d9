import Foundation
import Testing
import ZooData

/// Status of a command-line mistake (ArgumentParser's usage errors, `EX_USAGE`).
let usageError: Int32 = 64

/// The built `zoo`, run as a user runs it: one test (or a few) per subcommand, on small data, checking exit
/// codes, the JSON each `--json` prints, and the one-line errors.
@Suite struct ZooCommandTests {
    @Test func versionAndHelp() throws {
        let version = try zoo(["--version"])
        #expect(version.status == 0 && version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == zooVersion,
                "\(version)")
        let help = try zoo(["--help"])
        #expect(help.status == 0)
        for name in ["data", "compare", "eval", "classify", "regress", "train", "explain"] {
            #expect(help.stdout.contains("  \(name)"), "zoo --help lists \(name)")
        }
        #expect(!help.stdout.contains("bench"), "benchmarks live in zoo-bench")
        let trainHelp = try zoo(["help", "train"])
        #expect(trainHelp.status == 0 && trainHelp.stdout.contains("--model <model>"), "\(trainHelp)")
        #expect(!trainHelp.stdout.contains("values: 500"), "--size's help reads as an open set of counts")
    }

    @Test(arguments: [["help", "nope"], ["help", "data", "nope"], ["nope"]])
    func unknownSubcommandIsAnError(_ arguments: [String]) throws {
        let result = try zoo(arguments)
        #expect(result.status == usageError, "\(result)")
        #expect(result.stderr.contains("nope"), "the error names the unknown subcommand: \(result)")
        #expect(!result.stdout.contains("SUBCOMMANDS"), "no top-level help on stdout: \(result)")
    }

    @Test func dataInfoAndFetch() throws {
        let data = try requireDatasets()
        let info = try zoo(["data", "info", "mnist"])
        #expect(info.status == 0, "\(info)")
        #expect(info.stdout.contains("train: 60000 images, test: 10000 images"), "\(info)")

        let folder = try TemporaryFolder()
        let fetch = try zoo(["data", "fetch", "mnist", "--from", data + "/mnist", "--out", folder.path("copy")])
        #expect(fetch.status == 0, "\(fetch)")
        let copied = try FileManager.default.contentsOfDirectory(atPath: folder.path("copy")).filter { $0.hasSuffix(".gz") }
        #expect(copied.count == 4, "\(copied)")
        let old = try zoo(["data", "fetch", "mnist", "--from", data + "/mnist", "--destination", folder.path("copy")])
        #expect(old.status == 0 && old.stderr.contains("note: `zoo data fetch --destination DIR` is now"), "\(old)")

        let unknown = try zoo(["data", "info", "nope"])
        #expect(unknown.status == usageError && unknown.stderr.contains("nope"), "\(unknown)")
    }

    @Test func missingDatasetIsOneErrorLine() throws {
        let empty = try TemporaryFolder()
        let result = try zoo(["data", "info", "mnist", "--data-dir", empty.path("none")], in: empty.url,
                             environment: ["ZOO_DATA": nil])
        #expect(result.status == 1, "\(result)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: "), "\(result)")
    }

    @Test func trainSavesAModelThatEvalReads() throws {
        _ = try requireDatasets()
        let folder = try TemporaryFolder()
        let modelFile = folder.path("tree.safetensors")
        let train = try zoo(["train", "--model", "tree", "--size", "500", "--max-depth", "6", "--json", "--quiet",
                             "--save", modelFile, "--card", folder.path("tree.md")])
        #expect(train.status == 0, "\(train)")
        let record = try train.jsonObject()
        #expect(record["model"] as? String == "tree" && record["size"] as? Int == 500, "\(record)")
        let accuracy = try #require(record["test_accuracy"] as? Double, "\(record)")
        #expect(accuracy > 0.5 && accuracy <= 1, "a 500-sample tree beats chance: \(accuracy)")
        let card = try String(contentsOfFile: folder.path("tree.md"), encoding: .utf8)
        #expect(card.contains("## Calibration\n\nFitted on the ")
                    && card.contains(" of its 500 training samples held out of the fit (stratified, seed 0)"),
                "\(card)")
        #expect(card.contains("## Augmentation and style shift\n\nTrained without augmentation. On the "
                              + "style-shifted test set (`zoo eval --model-file tree.safetensors --style-shift`"), "\(card)")
        let styleShifted = try zoo(["eval", "--model-file", modelFile, "--style-shift", "--json"])
        let shiftedAccuracy = try #require(try styleShifted.jsonObject()["accuracy"] as? Double, "\(styleShifted)")
        #expect(card.contains(String(format: "): %.2f%%.", 100 * shiftedAccuracy)),
                "the card's style-shift accuracy is zoo eval --style-shift's")

        let eval = try zoo(["eval", "--model-file", modelFile, "--json"])
        #expect(eval.status == 0, "\(eval)")
        let evaluation = try eval.jsonObject()
        #expect(evaluation["family"] as? String == "tree" && evaluation["test_size"] as? Int == 10_000, "\(evaluation)")
        let measured = try #require(evaluation["accuracy"] as? Double)
        let recorded = try #require(evaluation["recorded_accuracy"] as? Double)
        #expect(abs(measured - recorded) < 1e-9, "zoo eval measures what zoo train --save recorded")
        let confusion = try #require(evaluation["confusion"] as? [[Int]])
        #expect(confusion.count == 10 && confusion.joined().reduce(0, +) == 10_000)

        let text = try zoo(["eval", modelFile])
        #expect(text.status == 0 && text.stdout.contains("accuracy:"), "\(text)")
        #expect(text.stderr.contains("note: `zoo eval FILE` is now `zoo eval --model-file FILE`"), "\(text)")
    }

    @Test func anAugmentedModelsCardSaysSoAndCalibrateRewritesTheCardsCalibration() throws {
        _ = try requireDatasets()
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path("zoo"), withIntermediateDirectories: true)
        let train = try zoo(["train", "--model", "mlp", "--size", "600", "--epochs", "1", "--augment", "--quiet",
                             "--save", folder.path("zoo/mlp.safetensors"), "--card", folder.path("zoo/mlp.md")])
        #expect(train.status == 0, "\(train)")
        let card = try String(contentsOfFile: folder.path("zoo/mlp.md"), encoding: .utf8)
        #expect(card.contains("Trained with `--augment`: every training image redrawn afresh each epoch (seeded by "
                              + "`--seed`): shift ±2.0 px, rotation ±10.0°, scale ±10%"), "\(card)")

        let calibrate = try zoo(["calibrate", "--zoo", folder.path("zoo"), "--holdout", "2000"])
        #expect(calibrate.status == 0 && calibrate.stdout.contains("mlp"), "\(calibrate)")
        #expect(FileManager.default.fileExists(atPath: folder.path("zoo/vote.json")))
        let rewritten = try String(contentsOfFile: folder.path("zoo/mlp.md"), encoding: .utf8)
        #expect(rewritten.contains("## Calibration\n\nFitted on mnist train 58000..<60000, digits this model was "
                                   + "not trained on: temperature"), "\(rewritten)")
        #expect(rewritten.contains("Weight in the zoo's vote (`Zoo/vote.json`): 1.0000."), "the only model")
        #expect(!rewritten.contains("held out of the fit"), "the section is replaced, not added")
        #expect(rewritten.components(separatedBy: "## ").count == card.components(separatedBy: "## ").count)
        #expect(rewritten.contains("## Augmentation and style shift"))

        let none = try zoo(["calibrate", "--zoo", folder.path("zoo"), "--holdout", "0"])
        #expect(none.status == usageError && none.stderr.contains("--holdout must be at least 1"), "\(none)")
        let tooMany = try zoo(["calibrate", "--zoo", folder.path("zoo"), "--holdout", "70000"])
        #expect(tooMany.status == 1 && tooMany.stderr.contains("more than the 60000 training images"), "\(tooMany)")
    }

    @Test func trainAndEvalErrors() throws {
        _ = try requireDatasets()
        let cardWithoutSave = try zoo(["train", "--model", "tree", "--card", "x.md"])
        #expect(cardWithoutSave.status == usageError && cardWithoutSave.stderr.contains("--card needs --save"),
                "\(cardWithoutSave)")
        let badSize = try zoo(["train", "--model", "tree", "--size", "0"])
        #expect(badSize.status == usageError && badSize.stderr.contains("--size"), "\(badSize)")
        let tooLarge = try zoo(["train", "--model", "tree", "--size", "70k", "--quiet"])
        #expect(tooLarge.status == 1 && tooLarge.stderr.hasPrefix("Error: "), "\(tooLarge)")
        let badWidth = try zoo(["train", "--model", "inception", "--size", "1k", "--inception-width", "9", "--quiet"])
        #expect(badWidth.status == 1 && badWidth.stderr.hasPrefix("Error: ")
                && badWidth.stderr.contains("inception width") && badWidth.stderr.contains("1...8"), "\(badWidth)")
        let unknownFamily = try zoo(["train", "--model", "forest"])
        #expect(unknownFamily.status == usageError && unknownFamily.stderr.contains("forest"), "\(unknownFamily)")

        let noFile = try zoo(["eval"])
        #expect(noFile.status == usageError && noFile.stderr.contains("--model-file"), "\(noFile)")
        let missing = try zoo(["eval", "--model-file", "/no/such/model.safetensors"])
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.hasPrefix("Error: ") && missing.stderr.contains("/no/such/model.safetensors"),
                "\(missing)")
    }

    @Test func classifyPrintsOneJSONLinePerImage() throws {
        let folder = try TemporaryFolder()
        // A one: a vertical stroke of dark ink on white paper.
        var pixels = [UInt8](repeating: 255, count: 40 * 40)
        for row in 6..<34 { for column in 18..<22 { pixels[row * 40 + column] = 0 } }
        try PNG.write(GrayImage(width: 40, height: 40, pixels: pixels), to: folder.path("one.png"))
        try Data("not a PNG".utf8).write(to: URL(fileURLWithPath: folder.path("bad.png")))
        let zooFolder = repositoryRoot.appendingPathComponent("Zoo").path

        let result = try zoo(["classify", folder.path("one.png"), folder.path("bad.png"), "--zoo", zooFolder,
                              "--json", "--show-input", folder.path("seen")])
        #expect(result.status == 1, "one image could not be read: \(result)")
        let lines = try result.jsonLines()
        try #require(lines.count == 2, "\(result)")
        let predictions = try #require(lines[0]["predictions"] as? [[String: Any]], "\(lines[0])")
        #expect(predictions.count == 6, "every pretrained family answers")
        #expect(predictions.allSatisfy { (0...9).contains($0["digit"] as? Int ?? -1) })
        #expect(lines[0]["vote"] as? Int == 1, "a crisp, un-anti-aliased stroke is still a digit: \(lines[0])")
        #expect((lines[1]["error"] as? String)?.contains("bad.png") == true, "\(lines[1])")
        #expect(FileManager.default.fileExists(atPath: folder.path("seen/one.input.png")))

        let onlyMLP = try zoo(["classify", folder.path("one.png"), "--zoo", zooFolder, "--json", "--model", "mlp"])
        #expect(onlyMLP.status == 0, "\(onlyMLP)")
        #expect((try onlyMLP.jsonLines().first?["predictions"] as? [Any])?.count == 1, "\(onlyMLP)")

        let modelFile = zooFolder + "/tree.safetensors"
        let newSpelling = try zoo(["classify", folder.path("one.png"), "--model-file", modelFile])
        #expect(newSpelling.status == 0 && newSpelling.stderr.isEmpty, "\(newSpelling)")
        let oldSpelling = try zoo(["classify", folder.path("one.png"), "--model", modelFile])
        #expect(oldSpelling.status == 0 && oldSpelling.stdout == newSpelling.stdout, "\(oldSpelling)")
        #expect(oldSpelling.stderr.contains("note: `zoo classify --model FILE` is now"), "\(oldSpelling)")

        let noImage = try zoo(["classify"])
        #expect(noImage.status == usageError, "\(noImage)")
    }

    @Test func classifyNamesPicturesUniquelyRejectsNonDigitsAndPrefixesErrors() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path("a"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path("b"), withIntermediateDirectories: true)
        var one = [UInt8](repeating: 255, count: 40 * 40)
        for row in 6..<34 { for column in 18..<22 { one[row * 40 + column] = 0 } }
        try PNG.write(GrayImage(width: 40, height: 40, pixels: one), to: folder.path("a/digit.png"))
        let checkerboard = (0..<(64 * 64)).map { ($0 % 64 / 4 + $0 / 64 / 4) % 2 == 0 ? UInt8(0) : 255 }
        try PNG.write(GrayImage(width: 64, height: 64, pixels: checkerboard), to: folder.path("b/digit.png"))
        try Data("not a PNG".utf8).write(to: URL(fileURLWithPath: folder.path("bad.png")))
        let zooFolder = repositoryRoot.appendingPathComponent("Zoo").path
        let seen = folder.path("missing/seen")

        let text = try zoo(["classify", folder.path("a/digit.png"), folder.path("b/digit.png"), folder.path("bad.png"),
                            "--zoo", zooFolder, "--show-input", seen])
        #expect(text.status == 1, "one image could not be read: \(text)")
        #expect(FileManager.default.fileExists(atPath: seen + "/digit.input.png")
                && FileManager.default.fileExists(atPath: seen + "/digit-2.input.png"), "two inputs, two pictures")
        #expect(text.stdout.contains("model") && text.stdout.contains("probability") && text.stdout.contains("weight"),
                "the table has column headers: \(text)")
        #expect(text.stdout.contains("not a digit (score"), "the checkerboard is not a digit: \(text)")
        #expect(text.stderr.hasPrefix("Error: ") && text.stderr.contains("bad.png"), "\(text)")

        let json = try zoo(["classify", folder.path("b/digit.png"), "--zoo", zooFolder, "--json"])
        let line = try #require(try json.jsonLines().first, "\(json)")
        #expect(line["vote"] is NSNull && (line["not_a_digit_score"] as? Double ?? 0) > 1, "\(line)")
        #expect((line["vote_probabilities"] as? [Double])?.count == 10 && line["agreeing"] is Int, "\(line)")
        let predictions = try #require(line["predictions"] as? [[String: Any]])
        #expect(predictions.allSatisfy { ($0["probabilities"] as? [Double])?.count == 10 && $0["weight"] is Double })
        let forced = try zoo(["classify", folder.path("b/digit.png"), "--zoo", zooFolder, "--json", "--guess"])
        #expect((try forced.jsonLines().first?["vote"] as? Int).map { (0...9).contains($0) } == true, "\(forced)")
    }

    @Test func explainWritesAReport() throws {
        let folder = try TemporaryFolder()
        let tree = repositoryRoot.appendingPathComponent("Zoo/tree.safetensors").path
        let result = try zoo(["explain", "--model-file", tree, "--out", folder.path("report"), "--rules-depth", "2"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("pixel"), "the tree's rules go to stdout: \(result)")
        #expect(FileManager.default.fileExists(atPath: folder.path("report/index.html")))

        let old = try zoo(["explain", "--saved", tree, "--output", folder.path("old"), "--depth", "2"])
        #expect(old.status == 0 && FileManager.default.fileExists(atPath: folder.path("old/index.html")), "\(old)")
        for spelling in ["--saved FILE", "--output DIR", "--depth N"] {
            #expect(old.stderr.contains("note: `zoo explain \(spelling)` is now"), "\(old)")
        }
        #expect(old.stdout.replacingOccurrences(of: folder.path("old"), with: folder.path("report"))
                == result.stdout, "the old spellings do what the new ones do")

        let both = try zoo(["explain", "--model", "tree", "--model-file", tree])
        #expect(both.status == usageError, "\(both)")
        let negative = try zoo(["explain", "--rules-depth", "-1"])
        #expect(negative.status == usageError && negative.stderr.contains("--rules-depth"), "\(negative)")
    }

    @Test func explainTrainsAFamilyOnTheSpot() throws {
        _ = try requireDatasets()
        let folder = try TemporaryFolder()
        let result = try zoo(["explain", "--model", "perceptron", "--size", "500", "--epochs", "1", "--quiet",
                              "--out", folder.path("report")])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("trained perceptron on 500 samples"), "\(result)")
        #expect(FileManager.default.fileExists(atPath: folder.path("report/index.html")))
    }

    @Test func regressFitsALine() throws {
        let folder = try TemporaryFolder()
        let csv = "x,y\n" + (0..<20).map { "\($0),\(2 * $0 + 1)" }.joined(separator: "\n") + "\n"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: folder.path("line.csv")))
        let result = try zoo(["regress", folder.path("line.csv"), "--x", "x", "--y", "y"])
        #expect(result.status == 0, "\(result)")
        let equation = try #require(result.stdout.split(separator: "\n").first { $0.contains("y = ") }, "\(result)")
        let terms = equation.split(separator: " ").compactMap { Double($0) }
        #expect(terms.count == 2 && abs(terms[0] - 2) < 1e-4 && abs(terms[1] - 1) < 1e-4, "y = 2x + 1: \(equation)")
        #expect(result.stdout.contains("untrained (all-zero) RMSE"), "\(result)")

        let unknownColumn = try zoo(["regress", folder.path("line.csv"), "--x", "feed", "--y", "y"])
        #expect(unknownColumn.status == 1 && unknownColumn.stderr.hasPrefix("Error: "), "\(unknownColumn)")
        #expect(unknownColumn.stderr.contains("feed"), "the error names the column: \(unknownColumn)")
        let missingFile = try zoo(["regress", folder.path("none.csv"), "--x", "x", "--y", "y"])
        #expect(missingFile.status == 1 && missingFile.stderr.contains("none.csv"), "\(missingFile)")
    }

    @Test func compareJSONGoesToStdout() throws {
        _ = try requireDatasets()
        let folder = try TemporaryFolder()
        let arguments = ["compare", "--sizes", "300", "--models", "tree,perceptron", "--seeds", "1",
                         "--epochs", "1", "--quiet"]
        let result = try zoo(arguments + ["--out", folder.path("results"), "--json"])
        #expect(result.status == 0, "\(result)")
        let results = try result.jsonObject()
        let records = try #require(results["records"] as? [[String: Any]], "\(results.keys.sorted())")
        #expect(records.count == 2, "one record per family")
        #expect(result.stderr.contains("tree"), "the table goes to stderr with --json: \(result)")
        for file in ["results.json", "learning-curves.svg", "index.html", "samples.json"] {
            #expect(FileManager.default.fileExists(atPath: folder.path("results/" + file)), "\(file)")
        }

        let old = try zoo(arguments + ["--out", folder.path("old"), "--json", "-"])
        #expect(old.status == 0 && old.stderr.contains("note: `zoo compare --json -` is now `zoo compare --json`"),
                "\(old)")
        #expect(((try old.jsonObject())["records"] as? [Any])?.count == 2)
        let oldFile = try zoo(arguments + ["--out", folder.path("old"), "--json", folder.path("copy.json")])
        #expect(oldFile.status == 0 && oldFile.stderr.contains("note: `zoo compare --json FILE` is now"), "\(oldFile)")
        let copy = try Data(contentsOf: URL(fileURLWithPath: folder.path("copy.json")))
        #expect((try JSONSerialization.jsonObject(with: copy) as? [String: Any])?["records"] is [Any])

        let machine = try #require(results["machine"] as? [String: Any])
        #expect((machine["cores"] as? Int ?? 0) >= 1)
        let oneThread = try zoo(arguments + ["--out", folder.path("one"), "--json"], environment: ["ZOO_THREADS": "1"])
        #expect(oneThread.status == 0, "\(oneThread)")
        #expect((try oneThread.jsonObject()["machine"] as? [String: Any])?["cores"] as? Int == 1,
                "ZOO_THREADS caps the threads, and the record says how many ran")
        for value in ["0", "two", "-1"] {
            let refused = try zoo(arguments + ["--out", folder.path("bad")], environment: ["ZOO_THREADS": value])
            #expect(refused.status == 1 && refused.stderr.hasPrefix("Error: ZOO_THREADS=\(value) is not a thread count"),
                    "\(refused)")
        }

        let badModels = try zoo(["compare", "--models", "tree,forest"])
        #expect(badModels.status == usageError && badModels.stderr.contains("forest"), "\(badModels)")
        let stray = try zoo(["compare", "extra"])
        #expect(stray.status == usageError, "\(stray)")
    }
}

/// The benchmarks' executable answers too (the scripts in Benchmarks/ depend on it).
@Suite struct ZooBenchCommandTests {
    @Test func matmulReportsItsCore() throws {
        let result = try zooBench(["matmul", "--shapes", "16x16x16", "--repeats", "2", "--json"])
        #expect(result.status == 0, "\(result)")
        let record = try result.jsonObject()
        #expect(record["shape"] as? String == "16x16x16" && (record["gflops"] as? Double ?? 0) > 0, "\(record)")
        #expect(record["openblas_core"] is String)
        let bad = try zooBench(["matmul", "--shapes", "16x16"])
        #expect(bad.status == usageError, "\(bad)")
    }
}
