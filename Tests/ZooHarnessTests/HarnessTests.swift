import Foundation
import Testing
import ZooData
import ZooHarness

@Suite("Harness")
struct HarnessTests {
    @Test("Sizes parse as the command line writes them", arguments: [
        ("500", SampleSize.count(500)), ("1k", .count(1000)), ("10k", .count(10_000)), ("60k", .count(60_000)),
        ("all", .all), ("ALL", .all), ("2.5k", .count(2500)),
    ])
    func sizes(text: String, expected: SampleSize) {
        #expect(SampleSize(text) == expected)
        #expect(SampleSize(expected.description) == expected)
    }

    @Test("Bad sizes are rejected", arguments: ["0", "-5", "1.5", "k", "ten", "", "0.0001k"])
    func badSizes(text: String) {
        #expect(SampleSize(text) == nil)
    }

    @Test("Too large a size is a typed error")
    func sizeTooLarge() {
        #expect(throws: HarnessError.sizeTooLarge(requested: 60_000, available: 500)) {
            try SampleSize.count(60_000).resolve(available: 500)
        }
    }

    @Test("TrainingRecord encodes with the snake_case keys zoo compare reads")
    func recordKeys() throws {
        let record = TrainingRecord(model: "mlp", dataset: "mnist", size: 500, stratified: false, seed: 0,
                                    testAccuracy: 0.9, trainAccuracy: 1, finalLoss: 0.1, fitSeconds: 1,
                                    predictSeconds: 0.1, parameters: 10)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as! [String: Any]
        #expect(Set(object.keys) == ["model", "dataset", "size", "stratified", "seed", "test_accuracy",
                                     "train_accuracy", "final_loss", "fit_seconds", "predict_seconds", "parameters"])
        #expect(try JSONDecoder().decode(TrainingRecord.self, from: JSONEncoder().encode(record)) == record)
    }

    @Test("A training run on 500 stratified MNIST samples: a logistic model and a full record")
    func endToEnd() throws {
        let split = try DatasetRegistry.loadFromEnvironment()
        var options = ModelOptions()
        options.training.epochs = 5
        let record = try TrainingRun(kind: .logistic, size: .count(500), stratified: true, options: options,
                                     quiet: true).run(on: split).record
        #expect(record.model == "logistic" && record.size == 500 && record.stratified)
        #expect(record.testAccuracy > 0.7 && record.trainAccuracy > record.testAccuracy)
        #expect(record.parameters == 7850 && record.fitSeconds > 0 && record.finalLoss.isFinite)
    }
}
