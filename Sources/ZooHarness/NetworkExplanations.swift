import Foundation
import ZooCore
import ZooData
import ZooNN
import ZooTensor

/// Pictures of what a convolutional network learned: its first layer's filters, and occlusion saliency maps
/// (`OcclusionSaliency`) on real test images.
public enum NetworkExplanations {
    /// The first convolution of `network` (depth first), or nil.
    public static func firstConvolution(_ layer: Layer) -> Conv2D? {
        if let convolution = layer as? Conv2D { return convolution }
        if let sequence = layer as? Sequential { return sequence.layers.lazy.compactMap(firstConvolution).first }
        if let concat = layer as? Concat { return concat.branches.lazy.compactMap(firstConvolution).first }
        return nil
    }

    /// One picture per filter of `convolution` (HWIO weights `[k, k, inputChannels, filters]`): its k x k kernel,
    /// summed over the input channels, red where ink raises the filter's response and blue where it lowers it,
    /// each scaled by its own largest |weight|.
    public static func filters(_ convolution: Conv2D, modelName: String, title: String) -> ExplanationSection {
        let k = convolution.kernelSize, inputs = convolution.inputChannels, filters = convolution.outputChannels
        let weights = convolution.weight.value.scalars
        let scale = max(4, 48 / k)
        let images = (0..<filters).map { filter in
            let kernel = (0..<(k * k)).map { position in
                (0..<inputs).reduce(Float(0)) { $0 + weights[(position * inputs + $1) * filters + filter] }
            }
            var image = WeightHeatMap.image(kernel, rows: k, columns: k, scale: scale, quantile: 1,
                                            fileName: "\(modelName)-filter-\(filter).png", caption: "filter \(filter)")
            image.limitRule = "its largest |weight|"
            return image
        }
        return ExplanationSection(
            title: title,
            text: "The first layer's \(filters) filters, each a \(k)x\(k) kernel the network slides over the image"
                + (inputs > 1 ? " (summed over its \(inputs) input channels)" : "")
                + ": a filter responds where the ink under it lies on its red weights and not on its blue ones. "
                + "They are the edge and stroke detectors everything later is built from.",
            images: images)
    }

    /// For each class, the first `perClass` images of `examples` with that label, each beside its occlusion map for
    /// that class (what the model's belief in the right answer rests on); captions give the model's top class and
    /// probability. `imageShape` `[rows, columns]` draws the maps. Throws what `forward` throws.
    public static func saliency(_ model: any Model, examples: Dataset, perClass: Int, classNames: [String],
                                imageShape: [Int], modelName: String, title: String) throws -> ExplanationSection {
        let (rows, columns) = (imageShape.first ?? 28, imageShape.dropFirst().first ?? 28)
        let width = examples.inputs.columns
        let values = examples.inputs.scalars
        var images: [ExplanationImage] = []
        for label in 0..<examples.classCount {
            let chosen = examples.labels.indices.filter { examples.labels[$0] == label }.prefix(perClass)
            for index in chosen {
                let input = Array(values[(index * width)..<((index + 1) * width)])
                let name = label < classNames.count ? classNames[label] : String(label)
                var map = try self.map(model, input: input, classIndex: label, rows: rows, columns: columns,
                                       fileName: "\(modelName)-saliency-\(index).png",
                                       caption: "test image \(index), a \(name): ")
                map.companions = [DigitPicture.image(input, rows: rows, columns: columns,
                                                     fileName: "\(modelName)-digit-\(index).png",
                                                     caption: "test image \(index)")]
                images.append(map)
            }
        }
        return ExplanationSection(
            title: title,
            text: "Real test images, each beside its occlusion map for its true class: a pixel's colour is how much "
                + "the network's log-probability of that class drops when the pixel's ink is erased (red: ink the "
                + "answer rests on; blue: ink that speaks against it; white: blank paper or ink that does not "
                + "matter).",
            images: images)
    }

    /// The occlusion map of `input` for `classIndex` as a heat map, its caption followed by the model's top class
    /// and probability.
    static func map(_ model: any Model, input: [Float], classIndex: Int, rows: Int, columns: Int,
                    fileName: String, caption: String) throws -> ExplanationImage {
        let saliency = try OcclusionSaliency.map(model, input: input, classIndex: classIndex)
        let logs = try OcclusionSaliency.logProbabilities(model, [input])[0]
        let top = logs.indices.max { logs[$0] < logs[$1] } ?? 0
        let said = "says \(top) (\(Format.percent(Foundation.exp(logs[top]))))"
        guard saliency.count == rows * columns else {
            throw ModelError.shapeMismatch(family: model.family, expected: "images of \(rows)x\(columns) pixels", actual: [saliency.count])
        }
        return WeightHeatMap.image(saliency, rows: rows, columns: columns, scale: 4, fileName: fileName,
                                   caption: caption + said)
    }
}
