import Foundation
import Testing
import ZooCore
import ZooTensor

@Suite struct CalibrationTests {
    /// Labels drawn from `softmax(logits / trueTemperature)`: the fitted temperature must find it again.
    @Test(arguments: [0.5, 2.0, 4.0])
    func temperatureScalingRecoversTheTemperatureTheLabelsWereDrawnWith(_ trueTemperature: Double) throws {
        var generator = SeededGenerator(seed: 7)
        let (samples, classes) = (4000, 5)
        var logits: [Float] = [], labels: [Int] = []
        for _ in 0..<samples {
            let row = (0..<classes).map { _ in Float.random(in: -4...4, using: &generator) }
            logits += row
            let probabilities = softmax(row.map(Double.init), temperature: trueTemperature)
            var draw = Double.random(in: 0..<1, using: &generator), label = 0
            while label < classes - 1 && draw >= probabilities[label] { draw -= probabilities[label]; label += 1 }
            labels.append(label)
        }
        let outputs = Tensor(shape: [samples, classes], values: logits)
        let calibration = try Calibration.fitted(outputs: outputs, labels: labels)
        #expect(abs(calibration.temperature / trueTemperature - 1) < 0.1, "fitted \(calibration.temperature)")
        #expect(calibration.smoothing == 0, "scores are not frequencies")
        let calibrated = calibration.probabilities(outputs)
        #expect(expectedCalibrationError(calibrated, labels) < 0.03)
        #expect(negativeLogLikelihood(calibrated, labels)
                <= negativeLogLikelihood(Calibration.identity.probabilities(outputs), labels))
    }

    /// 0/1 frequencies (a tree's pure leaves) that are right 80% of the time get smoothed, not sharpened.
    @Test func frequencyOutputsAreSmoothed() throws {
        let (samples, classes) = (1000, 4)
        var values = [Float](repeating: 0, count: samples * classes), labels: [Int] = []
        for sample in 0..<samples {
            values[sample * classes + sample % classes] = 1
            labels.append(sample % 5 == 0 ? (sample + 1) % classes : sample % classes)
        }
        let outputs = Tensor(shape: [samples, classes], values: values)
        let calibration = try Calibration.fitted(outputs: outputs, labels: labels)
        #expect(calibration.smoothing > 0 && calibration.temperature == 1, "\(calibration)")
        let top = calibration.probabilities(outputs)[0].max() ?? 0
        #expect(abs(top - 0.8) < 0.01, "a pure leaf that is right 80% of the time says 80%: \(top)")
        #expect(expectedCalibrationError(calibration.probabilities(outputs), labels) < 0.01)
    }

    @Test func eceAndLogLossByHand() {
        // Two samples at 0.9 (one right), two at 0.6 (both right): bins hold |0.5 - 0.9| and |1 - 0.6|.
        let probabilities = [[0.9, 0.1], [0.9, 0.1], [0.4, 0.6], [0.6, 0.4]]
        let labels = [0, 1, 1, 0]
        #expect(abs(expectedCalibrationError(probabilities, labels) - (2 * 0.4 + 2 * 0.4) / 4) < 1e-12)
        #expect(abs(negativeLogLikelihood(probabilities, labels) - (-(log(0.9) + log(0.1) + 2 * log(0.6)) / 4)) < 1e-12)
        let bins = reliabilityBins(probabilities, labels)
        #expect(bins.count == 15 && bins.map(\.count).reduce(0, +) == 4)
        #expect(expectedCalibrationError([], []) == 0 && negativeLogLikelihood([], []) == 0)
    }

    @Test func fittingRejectsBadData() {
        let outputs = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(throws: CalibrationError.self) { try Calibration.fitted(outputs: outputs, labels: [0]) }
        #expect(throws: CalibrationError.self) { try Calibration.fitted(outputs: outputs, labels: [0, 3]) }
        let nan = Tensor(shape: [1, 2], values: [.nan, 1])
        #expect(throws: CalibrationError.self) { try Calibration.fitted(outputs: nan, labels: [0]) }
    }

    @Test func modelFilesKeepTheCalibrationAndOldFilesLoadUncalibrated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-calibration-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = ProbeModel()
        try model.fit(Tensor(zeros: [2, 4]), [0, 1])
        let path = folder.appendingPathComponent("probe.safetensors").path
        var file = try ModelFile(model: model, provenance: .unspecified)
        try file.write(to: path)
        #expect(try ModelFile.read(path).calibration == .identity, "a file without calibration")
        file.calibration = Calibration(temperature: 1.7, smoothing: 0.01)
        try file.write(to: path)
        #expect(try ModelFile.read(path).calibration == Calibration(temperature: 1.7, smoothing: 0.01))

        for bad in ["{\"temperature\": -1, \"smoothing\": 0}", "{\"temperature\": 1}", "hot"] {
            var metadata = try SafeTensorsFile.read(path).metadata
            metadata[ModelFile.Key.calibration] = bad
            try SafeTensorsFile(tensors: try SafeTensorsFile.read(path).tensors, metadata: metadata)
                .write(to: path + ".bad")
            #expect {
                try ModelFile.read(path + ".bad")
            } throws: { error in
                guard case let ModelFileError.badMetadata(file, key, _) = error else { return false }
                return file == path + ".bad" && key == ModelFile.Key.calibration
            }
        }
    }
}
