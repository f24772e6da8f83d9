import Testing
import ZooCore
import ZooTensor

#if canImport(Glibc)
import Glibc
#endif

/// Largest relative error between `loss`'s gradient and fourth-order central differences of its value.
func lossGradientError(_ loss: some Loss, _ outputs: Tensor, _ labels: [Int], step: Float = 1e-2) -> Float {
    let analytic = loss.evaluate(outputs, labels: labels).gradient.scalars
    var worst: Float = 0
    for i in 0..<outputs.count {
        func value(_ offset: Float) -> Double {
            var nudged = outputs
            nudged.withUnsafeMutableBufferPointer { $0[i] += offset }
            return Double(loss.value(nudged, labels: labels))
        }
        let numeric = (8 * (value(step) - value(-step)) - (value(2 * step) - value(-2 * step))) / Double(12 * step)
        let error = abs(Double(analytic[i]) - numeric) / max(abs(Double(analytic[i])) + abs(numeric), 1e-2)
        worst = max(worst, Float(error))
    }
    return worst
}

func randomOutputs(_ rows: Int, _ classes: Int, seed: UInt64 = 2) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.normal([rows, classes], using: &generator)
}

@Suite("Losses")
struct LossTests {
    let labels = [0, 3, 1, 2, 3]

    @Test("Gradient checks: MSE, softmax cross-entropy", arguments: ["mse", "softmax"])
    func gradients(name: String) {
        let outputs = randomOutputs(5, 4)
        let error: Float = switch name {
        case "mse": lossGradientError(MeanSquaredError(), outputs, labels)
        default: lossGradientError(SoftmaxCrossEntropy(), outputs, labels)
        }
        #expect(error < 1e-3, "\(name): relative error \(error)")
    }

    @Test("Softmax cross-entropy: known value, stable for huge logits, matches crossEntropy of probabilities")
    func softmaxCrossEntropy() {
        let uniform = Tensor(shape: [2, 10], repeating: 0)
        #expect(abs(SoftmaxCrossEntropy().value(uniform, labels: [0, 9]) - logf(10)) < 1e-6)
        let huge = Tensor(shape: [1, 3], values: [1000, 0, -1000])
        let evaluation = SoftmaxCrossEntropy().evaluate(huge, labels: [1])
        #expect(abs(evaluation.value - 1000) < 1e-3)
        #expect(evaluation.gradient.isFinite)
        let outputs = randomOutputs(5, 4)
        let viaProbabilities = crossEntropy(probabilities: softmaxRows(outputs), labels: labels)
        #expect(abs(viaProbabilities - SoftmaxCrossEntropy().value(outputs, labels: labels)) < 1e-5)
    }

    @Test("MSE on one-hot targets")
    func values() {
        let outputs = Tensor(shape: [2, 2], values: [1, 0, 0.5, 0.5])
        #expect(abs(MeanSquaredError().value(outputs, labels: [0, 1]) - 0.125) < 1e-7)
        #expect(oneHot([1, 0], classCount: 3).scalars == [0, 1, 0, 1, 0, 0])
    }
}

@Suite("Number formatting")
struct FormattingTests {
    @Test func fixedDecimals() {
        #expect(Format.fixed(3.14159, 2) == "3.14")
        #expect(Format.fixed(-0.05, 1) == "-0.1")
        #expect(Format.fixed(2.0, 0) == "2")
        #expect(Format.fixed(0.0012, 3) == "0.001")
        #expect(Format.percent(0.97523) == "97.52%")
        #expect(Format.compact(135_400) == "135.4k")
    }
}
