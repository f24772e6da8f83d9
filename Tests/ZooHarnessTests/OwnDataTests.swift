import Foundation
import Testing
import ZooCore
import ZooData
import ZooHarness
import ZooInception
import ZooLogistic
import ZooNetwork
import ZooTensor

/// A fresh folder under the temporary folder, removed by `remove()`.
private struct Scratch {
    let path = NSTemporaryDirectory() + "zoo-own-data-" + UUID().uuidString

    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }

    func file(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A table of two noisy blobs per class in 3 features (one of them constant), labelled by name.
private func blobs(rows: Int) -> String {
    var generator = SeededGenerator(seed: 7)
    var lines = ["x;y;constant;kind"]
    for row in 0..<rows {
        let kind = ["north", "south", "east"][row % 3]
        let (cx, cy): (Float, Float) = kind == "north" ? (0, 100) : kind == "south" ? (0, -100) : (300, 0)
        let x = cx + Float.random(in: -60...60, using: &generator)
        let y = cy + Float.random(in: -60...60, using: &generator)
        lines.append("\(x);\(y);5;\(kind)")
    }
    return lines.joined(separator: "\n") + "\n"
}

@Suite("Your own data through the harness: tables and image folders")
struct OwnDataTests {
    @Test("a table is split, standardised with the training statistics and described for the model file")
    func table() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.file("blobs.csv", blobs(rows: 90))
        let prepared = try PreparedData.load(.table(path: path, options: TableOptions(target: "kind")),
                                             test: .fraction(0.2), seed: 1)
        #expect(prepared.name == "blobs.csv" && !prepared.isImages)
        #expect(prepared.split.train.count == 72 && prepared.split.test.count == 18)
        #expect(prepared.split.train.classCounts == [24, 24, 24])
        let description = try #require(prepared.description)
        #expect(description.classNames == ["east", "north", "south"] && description.target == "kind")
        #expect(description.featureNames == ["x", "y", "constant"] && description.sampleShape == [3])
        let means = FeatureScaling(fittedTo: prepared.split.train.inputs).means
        #expect(means.allSatisfy { abs($0) < 1e-4 }, "the training part is centred: \(means)")
        #expect(prepared.split.train.inputs.isFinite && prepared.split.test.inputs.isFinite)
        #expect(prepared.summary.hasPrefix("blobs.csv: a table of 3 features (x, y, constant), 3 classes; "
                                           + "train 72 (east 24, north 24, south 24), test 18"), "\(prepared.summary)")
    }

    @Test("a saved table model records its data; eval prepares a file the same way")
    func savedTableModel() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.file("blobs.csv", blobs(rows: 90))
        let source = DataSource.table(path: path, options: TableOptions(target: "kind"))
        let prepared = try PreparedData.load(source, test: .fraction(0.2), seed: 0)
        let options = ModelOptions().forSmallData(.logistic, trainingSize: prepared.split.train.count)
        let (record, model) = try TrainingRun(kind: .logistic, datasetName: prepared.name, options: options,
                                              quiet: true).run(on: prepared.split)
        #expect(record.testAccuracy > 0.9, "three well separated blobs: \(record.testAccuracy)")
        let file = temporaryModelPath("blobs")
        defer { try? FileManager.default.removeItem(atPath: file) }
        try SavedModels.save(model, provenance: ModelProvenance(dataset: prepared.name, trainingSize: record.size,
                                                               seed: 0, data: prepared.description), to: file)
        let saved = try SavedModels.load(file)
        #expect(saved.file.provenance.data == prepared.description)

        // A test file with one class only and its columns in another order: the model's classes and scaling.
        let test = try scratch.file("south.csv", "kind,constant,y,x\nsouth,5,-100,0\nsouth,5,-90,10\n")
        let again = try PreparedData.load(.table(path: test, options: TableOptions(target: "kind")),
                                          test: .everything, recorded: saved.file.provenance.data)
        #expect(again.split.test.labels == [2, 2] && again.split.test.classNames == ["east", "north", "south"])
        #expect(try saved.model.predict(again.split.test.inputs) == [2, 2])
    }

    @Test("a model file whose data description contradicts itself is refused, naming the key")
    func badDescription() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.file("blobs.csv", blobs(rows: 30))
        let prepared = try PreparedData.load(.table(path: path, options: TableOptions(target: "kind")))
        let (_, model) = try TrainingRun(kind: .tree, datasetName: "blobs", quiet: true).run(on: prepared.split)
        var wrong = try #require(prepared.description)
        wrong.featureNames = ["x"]
        let file = temporaryModelPath("bad-data")
        defer { try? FileManager.default.removeItem(atPath: file) }
        try SavedModels.save(model, provenance: ModelProvenance(dataset: "blobs", trainingSize: 1, seed: 0,
                                                               data: wrong), to: file)
        #expect(throws: ModelFileError.badMetadata(file: file, key: "data",
                                                   reason: "has table columns that do not match its shape")) {
            try SavedModels.load(file)
        }
    }

    @Test("small data gets enough optimizer steps when no epochs are given, and nothing else changes")
    func smallData() {
        #expect(ModelOptions().forSmallData(.logistic, trainingSize: 120).training.epochs == 5000)
        #expect(ModelOptions().forSmallData(.mlp, trainingSize: 456).training.epochs == 1250)
        #expect(ModelOptions().forSmallData(.mlp, trainingSize: 60_000) == ModelOptions())
        #expect(ModelOptions().forSmallData(.tree, trainingSize: 120) == ModelOptions())
        #expect(ModelOptions().forSmallData(.inception, trainingSize: 120) == ModelOptions())
        var given = ModelOptions()
        given.training.epochs = 3
        #expect(given.forSmallData(.logistic, trainingSize: 120) == given)
    }

    @Test("Inception on generated 32x32 RGB images of 3 classes: shapes from the data, and it trains")
    func inceptionOnColourImages() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var generator = SeededGenerator(seed: 3)
        for (index, name) in ["red", "green", "blue"].enumerated() {
            try FileManager.default.createDirectory(atPath: scratch.path + "/" + name, withIntermediateDirectories: true)
            for image in 0..<12 {
                var values: [UInt8] = []
                for _ in 0..<(32 * 32) {
                    for channel in 0..<3 {
                        values.append(channel == index ? UInt8.random(in: 150...255, using: &generator)
                                      : UInt8.random(in: 0...90, using: &generator))
                    }
                }
                try PNG.write(values: values, width: 32, height: 32, layout: .rgb,
                              to: "\(scratch.path)/\(name)/\(image).png")
            }
        }
        let prepared = try PreparedData.load(.images(path: scratch.path, options: ImageFolderOptions()),
                                             test: .fraction(0.25), seed: 0)
        #expect(prepared.split.train.imageShape == [32, 32, 3] && prepared.split.train.count == 27)
        #expect(prepared.description?.classNames == ["blue", "green", "red"])
        var options = ModelOptions()
        options.training.epochs = 8
        let (record, model) = try TrainingRun(kind: .inception, datasetName: prepared.name, options: options,
                                              quiet: true).run(on: prepared.split)
        let inception = try #require(model as? InceptionNet)
        #expect(inception.inputShape == InputShape(height: 32, width: 32, channels: 3))
        #expect(inception.classCount == 3)
        let probabilities = try inception.forward(prepared.split.test.inputs)
        #expect(probabilities.shape == [9, 3] && probabilities.isFinite)
        #expect(record.finalLoss < Float(log(3.0)), "the loss fell below chance's: \(record.finalLoss)")
    }
}
