import Foundation
import Testing

/// `zoo compare` and `zoo train` calibrate every fit on a share held out of the training sample, and results.json
/// and index.html describe the dataset.
@Suite struct CalibrationAndDataCommandTests {
    /// results.json's `data` block of `run` (a `--json` compare).
    static func dataBlock(_ run: CommandRun) throws -> [String: Any] {
        try #require(try run.jsonObject()["data"] as? [String: Any], "no data block: \(run)")
    }

    static func part(_ data: [String: Any], _ name: String) throws -> (count: Int, classCounts: [Int]) {
        let part = try #require(data[name] as? [String: Any], "\(data)")
        return (try #require(part["count"] as? Int), try #require(part["class_counts"] as? [Int]))
    }

    @Test func mnistResultsNameTheDatasetAndRecordTheCalibration() throws {
        _ = try requireDatasets()
        let folder = try TemporaryFolder()
        let run = try zoo(["compare", "--sizes", "300", "--models", "tree,perceptron", "--seeds", "1",
                           "--epochs", "1", "--quiet", "--json", "--out", folder.path("results")])
        #expect(run.status == 0, "\(run)")
        let data = try Self.dataBlock(run)
        #expect(data["name"] as? String == "mnist" && data["kind"] as? String == "images")
        #expect(data["sample_shape"] as? [Int] == [28, 28])
        #expect(data["class_names"] as? [String] == (0..<10).map(String.init))
        let (train, test) = (try Self.part(data, "train"), try Self.part(data, "test"))
        #expect(train.count == 60_000 && train.classCounts.reduce(0, +) == 60_000 && train.classCounts[1] == 6_742)
        #expect(test.count == 10_000 && test.classCounts.reduce(0, +) == 10_000 && test.classCounts[0] == 980)

        let records = try #require(try run.jsonObject()["records"] as? [[String: Any]])
        for record in records {
            #expect(record["size"] as? Int == 300 && record["calibration_split"] as? Double == 0.1, "\(record)")
            let heldOut = try #require(record["calibration_size"] as? Int)
            #expect(abs(heldOut - 30) <= 5, "a tenth of each class, rounded: \(record)")
            #expect(record["test_ece"] is Double && record["test_ece_uncalibrated"] is Double, "\(record)")
        }
        let configuration = try #require(try run.jsonObject()["configuration"] as? [String: Any])
        #expect(configuration["calibration_split"] as? Double == 0.1)
        #expect(run.stderr.contains("ECE") && run.stderr.contains("log-loss"), "the table shows them: \(run)")

        let html = try String(contentsOfFile: folder.path("results/index.html"), encoding: .utf8)
        #expect(html.contains("<table class=\"dataset\">") && html.contains("mnist: images of 28x28, 10 classes"))
        #expect(html.contains("<td class=\"num\">6,742</td>") && html.contains("<td class=\"num\">60,000</td>"))
        #expect(html.contains("10% of each training sample held out"), "the reliability section says how")

        // Resuming with another share is refused; with the same one it keeps the records and the data block.
        let again = ["compare", "--sizes", "300", "--models", "tree,perceptron", "--seeds", "1", "--epochs", "1",
                     "--quiet", "--json", "--out", folder.path("results"), "--resume"]
        let other = try zoo(again + ["--calibration-split", "0.2"])
        #expect(other.status != 0 && other.stderr.contains("calibration split: 0.1 there, 0.2 here"), "\(other)")
        let resumed = try zoo(again)
        #expect(resumed.status == 0, "\(resumed)")
        #expect(try Self.dataBlock(resumed)["name"] as? String == "mnist")
    }

    @Test func aTableIsDescribedWithItsFeaturesAndBothPartsBalance() throws {
        let folder = try TemporaryFolder()
        let run = try OwnDataCommandTests.compareOnTheTable(in: folder)
        #expect(run.status == 0, "\(run)")
        let data = try Self.dataBlock(run)
        #expect(data["name"] as? String == "blobs.csv" && data["kind"] as? String == "table")
        #expect(data["sample_shape"] as? [Int] == [3] && data["feature_names"] as? [String] == ["x", "y", "constant"])
        #expect(data["class_names"] as? [String] == ["east", "north", "south"])
        #expect(try Self.part(data, "train").classCounts == [16, 16, 16])
        #expect(try Self.part(data, "test").classCounts == [4, 4, 4] && (try Self.part(data, "test")).count == 12)
        let html = try String(contentsOfFile: folder.path("results/index.html"), encoding: .utf8)
        #expect(html.contains("blobs.csv: a table of 3 features (x, y, constant), 3 classes"))
    }

    @Test func trainSavesTheCalibrationItFittedAndZeroHoldsNothingOut() throws {
        _ = try requireDatasets()
        let folder = try TemporaryFolder()
        let common = ["train", "--model", "perceptron", "--size", "500", "--stratified", "--epochs", "1", "--quiet"]
        let saved = try zoo(common + ["--json", "--save", folder.path("p.safetensors")])
        #expect(saved.status == 0, "\(saved)")
        let record = try saved.jsonObject()
        let heldOut = try #require(record["calibration_size"] as? Int)
        #expect(record["size"] as? Int == 500 && abs(heldOut - 50) <= 5, "\(record)")
        let calibration = try #require(record["calibration"] as? [String: Double], "\(record)")
        let temperature = try #require(calibration["temperature"])
        #expect(temperature != 1, "a perceptron's raw scores are not its probabilities: \(calibration)")

        let eval = try zoo(["eval", "--model-file", folder.path("p.safetensors"), "--json"])
        #expect(eval.status == 0, "\(eval)")
        let evaluated = try eval.jsonObject()
        #expect(abs((evaluated["temperature"] as? Double ?? 0) - temperature) < 1e-9, "the file keeps it: \(evaluated)")
        #expect(evaluated["training_size"] as? Int == 500 - heldOut, "what the model fitted: \(evaluated)")

        let none = try zoo(common + ["--json", "--calibration-split", "0"])
        #expect(none.status == 0, "\(none)")
        let plain = try none.jsonObject()
        #expect(plain["calibration_size"] as? Int == 0 && plain["calibration_split"] as? Double == 0, "\(plain)")
        #expect((plain["calibration"] as? [String: Double])?["temperature"] == 1)

        let text = try zoo(common)
        #expect(text.stdout.contains("trained on \(500 - heldOut) stratified mnist samples")
                && text.stdout.contains("fitted on \(heldOut) held-out samples"), "\(text)")

        let bad = try zoo(common + ["--calibration-split", "1"])
        #expect(bad.status != 0 && bad.stderr.split(separator: "\n").count == 1, "\(bad)")
        #expect(bad.stderr.contains("calibration split") && !bad.stderr.contains("Fatal"), "\(bad)")
    }
}
