import Foundation
import ZooCore
import ZooTensor

/// Occlusion saliency (Zeiler & Fergus 2014, "Visualizing and Understanding Convolutional Networks", with
/// one-pixel patches): how much a model's belief in a class drops when one pixel's ink is erased. Red pixels
/// are ink the class needs, blue ones ink that speaks against it; blank pixels are 0 (erasing them changes
/// nothing), so the map shows which of the digit's own strokes the decision rests on, not where missing ink would
/// help.
///
/// Deviation from a gradient map (Simonyan et al. 2014): the networks' `backward` needs a training-mode forward,
/// whose batch normalisation uses the batch's statistics (and moves the running averages), so its gradient is not
/// that of the network that classifies; occlusion runs only the model's own `forward` and works for any family.
public enum OcclusionSaliency {
    /// The map of `input` (one sample, `features` values as the model takes them, ink > 0) for class
    /// `classIndex`: per feature, `log p(class | input) − log p(class | input with that feature set to 0)`.
    /// `p` is the softmax of the model's logits (scores, or the logarithm of its probabilities). The occluded
    /// copies run `batchSize` at a time. Throws what the model's `forward` throws; values that are not finite
    /// count as 0.
    public static func map(_ model: any Model, input: [Float], classIndex: Int, batchSize: Int = 256) throws
        -> [Float] {
        let inked = input.indices.filter { input[$0] > 0 }
        let reference = try logProbabilities(model, [input])[0]
        guard reference.indices.contains(classIndex) else {
            throw ModelError.shapeMismatch(family: model.family, expected: "scores of at least \(classIndex + 1) classes",
                                           actual: [1, reference.count])
        }
        var saliency = [Float](repeating: 0, count: input.count)
        for start in stride(from: 0, to: inked.count, by: batchSize) {
            let pixels = Array(inked[start..<min(start + batchSize, inked.count)])
            let occluded = pixels.map { pixel in
                var copy = input
                copy[pixel] = 0
                return copy
            }
            for (pixel, row) in zip(pixels, try logProbabilities(model, occluded)) {
                let drop = Float(reference[classIndex] - row[classIndex])
                saliency[pixel] = drop.isFinite ? drop : 0
            }
        }
        return saliency
    }

    /// The log-softmax of the model's logits for `samples` (each a row of features).
    static func logProbabilities(_ model: any Model, _ samples: [[Float]]) throws -> [[Double]] {
        let width = samples.first?.count ?? 0
        let inputs = Tensor(shape: [samples.count, width], values: samples.flatMap { $0 })
        return Calibration.logits(try model.calibrationOutputs(inputs), smoothing: 1e-9).map { logits in
            let largest = logits.max() ?? 0
            let total = logits.reduce(0) { $0 + Foundation.exp($1 - largest) }
            return logits.map { $0 - largest - Foundation.log(total) }
        }
    }
}
