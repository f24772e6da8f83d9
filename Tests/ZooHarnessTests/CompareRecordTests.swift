import Foundation
import Testing
import ZooHarness

@Suite struct CompareRecordTests {
    static let record = CompareRecord(
        training: TrainingRecord(model: "mlp", dataset: "mnist", size: 10_000, stratified: true, seed: 2,
                                 testAccuracy: 0.9712, trainAccuracy: 0.9988, finalLoss: 0.0123, fitSeconds: 12.5,
                                 predictSeconds: 0.031, parameters: 203_530),
        modelBytes: 814_120, peakMemoryBytes: 412_000_000)

    static let results = CompareResults(
        dataset: "mnist", testSize: 10_000,
        machine: MachineInfo(cpu: "AMD EPYC", cores: 2, openBLASCore: "Haswell", swiftVersion: "6.3",
                             gitCommit: "abc123", date: "2026-11-25T17:00:00Z"),
        records: [record])

    @Test func resultsRoundTripThroughJSON() throws {
        let decoded = try CompareResults.decoded(from: try Self.results.encoded())
        #expect(decoded == Self.results)
    }

    @Test func fieldNamesAreThoseOfZooTrainJSON() throws {
        let object = try JSONSerialization.jsonObject(with: try Self.results.encoded()) as! [String: Any]
        #expect(Set(object.keys) == ["schema", "framework", "dataset", "test_size", "machine", "records"])
        #expect(object["schema"] as? String == "zoo-compare/1")
        let machine = object["machine"] as! [String: Any]
        #expect(Set(machine.keys) == ["cpu", "cores", "openblas_core", "swift_version", "git_commit", "date"])
        let record = (object["records"] as! [[String: Any]])[0]
        let trainingKeys = try JSONSerialization.jsonObject(
            with: try JSONEncoder().encode(Self.record.training)) as! [String: Any]
        #expect(Set(record.keys) == Set(trainingKeys.keys).union(["model_bytes", "peak_memory_bytes"]))
        #expect(Set(trainingKeys.keys).isSuperset(of: [
            "model", "dataset", "size", "seed", "test_accuracy", "train_accuracy", "final_loss", "fit_seconds",
            "predict_seconds", "parameters"]))
        #expect(record["test_accuracy"] as? Double == 0.9712)
        #expect(Self.record.testAccuracy == 0.9712)
    }

    @Test func aPeerFileWithoutSwiftFieldsDecodes() throws {
        let peer = """
            {"schema": "zoo-compare/1", "framework": "scikit-learn", "dataset": "mnist", "test_size": 10000,
             "machine": {"cpu": "AMD EPYC", "cores": 2, "openblas_core": null, "swift_version": null,
                         "git_commit": "unknown", "date": "2026-11-25T17:00:00Z", "python_version": "3.11.2"},
             "records": [{"model": "tree", "dataset": "mnist", "size": 1000, "stratified": true, "seed": 0,
                          "test_accuracy": 0.7,
                          "train_accuracy": 1.0, "final_loss": 0.0, "fit_seconds": 0.1, "predict_seconds": 0.01,
                          "parameters": 301, "model_bytes": 1204, "peak_memory_bytes": 1000000}]}
            """
        let decoded = try CompareResults.decoded(from: Data(peer.utf8))
        #expect(decoded.framework == "scikit-learn")
        #expect(decoded.records.first?.parameters == 301)
        #expect(decoded.machine.swiftVersion == nil)
    }

    @Test func aMissingFieldIsRejected() throws {
        var object = try JSONSerialization.jsonObject(with: try Self.results.encoded()) as! [String: Any]
        var record = (object["records"] as! [[String: Any]])[0]
        record["test_accuracy"] = nil
        object["records"] = [record]
        let broken = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try CompareResults.decoded(from: broken) }
    }

    @Test func machineInfoDescribesThisMachine() {
        let machine = MachineInfo.current()
        #expect(machine.cores >= 1)
        #expect(machine.openBLASCore?.isEmpty == false)
        #expect(machine.date.hasSuffix("Z"))
    }
}
