import Foundation
import ZooCore
import ZooData
import ZooTensor

/// A picture in an explanation: RGB pixels plus the caption shown under it.
public struct ExplanationImage: Sendable {
    /// File name inside the output folder, e.g. "logistic-class-3.png".
    public let fileName: String
    /// Shown under the image.
    public let caption: String
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes: red, green, blue.
    public let rgb: [UInt8]
    /// For a heat map, the magnitude drawn at full colour (its colour bar's ends are ±this); nil otherwise.
    public var colorLimit: Float? = nil
}

/// What one model's explanation shows: a heading, a paragraph, pictures, and optionally preformatted text (rules).
public struct ExplanationSection: Sendable {
    public let title: String
    public let text: String
    public let images: [ExplanationImage]
    public let preformatted: String?

    public init(title: String, text: String, images: [ExplanationImage] = [], preformatted: String? = nil) {
        self.title = title
        self.text = text
        self.images = images
        self.preformatted = preformatted
    }
}

/// Weights over the pixels of an image as a picture: positive red, negative blue, zero white, each map scaled
/// by its own 99th-percentile magnitude (a few extreme weights on rarely inked border pixels would otherwise wash
/// out the rest; larger ones are drawn at full color). The lecture's "a knob per pixel", made visible.
public enum WeightHeatMap {
    /// `weights` (`rows * columns`, row-major) -> an RGB image enlarged `scale` times with square pixels.
    public static func image(_ weights: [Float], rows: Int = 28, columns: Int = 28, scale: Int = 8,
                             fileName: String, caption: String) -> ExplanationImage {
        precondition(weights.count == rows * columns,
                     "WeightHeatMap: \(weights.count) weights for a \(rows)x\(columns) image")
        let magnitudes = weights.map(abs).sorted()
        let typicalLargest = magnitudes[Int(0.99 * Double(magnitudes.count - 1))]
        let largest = max(typicalLargest > 0 ? typicalLargest : magnitudes.last ?? 0, .leastNormalMagnitude)
        let (width, height) = (columns * scale, rows * scale)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let color = self.color(weights[(y / scale) * columns + x / scale] / largest)
                rgb.replaceSubrange((3 * (y * width + x))..<(3 * (y * width + x) + 3), with: color)
            }
        }
        return ExplanationImage(fileName: fileName, caption: caption, width: width, height: height, rgb: rgb,
                                colorLimit: largest)
    }

    /// A diverging color for `value` in -1...1: blue, white at 0, red.
    static func color(_ value: Float) -> [UInt8] {
        let v = min(max(value, -1), 1)
        let fade = UInt8((255 * (1 - abs(v))).rounded())
        return v >= 0 ? [255, fade, fade] : [fade, fade, 255]
    }
}

/// Sections built from weights, shared by the families that have such weights.
public enum WeightExplanations {
    /// One heat map per class from `weights` `[classes, 784]`: which pixels push the score of each class up (red)
    /// or down (blue).
    public static func perClassPixelWeights(_ weights: Tensor, modelName: String, title: String,
                                            classNames: [String]) -> ExplanationSection {
        precondition(weights.rank == 2 && weights.columns == 784,
                     "perClassPixelWeights: weights \(weights.shape), expected [classes, 784]")
        let values = weights.scalars
        let images = (0..<weights.rows).map { row in
            WeightHeatMap.image(Array(values[(row * 784)..<((row + 1) * 784)]),
                                fileName: "\(modelName)-class-\(row).png",
                                caption: "class \(row < classNames.count ? classNames[row] : String(row))")
        }
        return ExplanationSection(
            title: title,
            text: "Each picture is one class's weights, a knob per pixel: ink on a red pixel raises that class's "
                + "score, ink on a blue pixel lowers it, white pixels do not matter. The score is the sum over "
                + "pixels of ink times weight, plus a bias.",
            images: images)
    }

    /// The `count` hidden units of a first layer with the strongest influence, as heat maps of their incoming
    /// weights. Weights are laid out as `Linear` (and PyTorch) keeps them: `incoming` `[hidden, 784]`, `outgoing`
    /// the next layer's `[next, hidden]`. A unit's strength is the norm of its incoming weights times the norm of
    /// its outgoing weights: how much it can see times how much it is heard.
    public static func featureDetectors(incoming: Tensor, outgoing: Tensor, count: Int = 16,
                                        modelName: String, title: String) -> ExplanationSection {
        precondition(incoming.rank == 2 && incoming.columns == 784 && outgoing.rank == 2
                     && outgoing.columns == incoming.rows,
                     "featureDetectors: incoming \(incoming.shape), outgoing \(outgoing.shape) do not chain from 784")
        let hidden = incoming.rows, next = outgoing.rows
        let inValues = incoming.scalars, outValues = outgoing.scalars
        func norm(_ values: [Float], _ indices: StrideTo<Int>) -> Float {
            indices.reduce(0) { $0 + values[$1] * values[$1] }.squareRoot()
        }
        let strength = (0..<hidden).map { unit in
            norm(inValues, stride(from: unit * 784, to: (unit + 1) * 784, by: 1))
                * norm(outValues, stride(from: unit, to: next * hidden, by: hidden))
        }
        let strongest = (0..<hidden).sorted { (strength[$0], -$0) > (strength[$1], -$1) }.prefix(count)
        let images = strongest.enumerated().map { rank, unit in
            WeightHeatMap.image(Array(inValues[(unit * 784)..<((unit + 1) * 784)]), scale: 4,
                                fileName: "\(modelName)-unit-\(unit).png",
                                caption: "unit \(unit) (#\(rank + 1))")
        }
        return ExplanationSection(
            title: title,
            text: "The first layer's \(images.count) strongest of \(hidden) hidden units, each shown as the weights "
                + "it gives each pixel: a unit fires when the ink falls on its red pixels and not on its blue ones. "
                + "These are the feature detectors the network learned by itself: strokes, edges, loops. Strength "
                + "is the size of the unit's incoming weights times the size of its outgoing weights.",
            images: images)
    }
}

/// Writes explanations to one folder: every picture as a PNG and an `index.html` showing them all.
public enum ExplanationReport {
    /// Writes `sections` into `folder` (created if missing) and returns the path of `index.html`.
    @discardableResult
    public static func write(_ sections: [ExplanationSection], title: String, to folder: String) throws -> String {
        let base = URL(fileURLWithPath: folder)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DatasetError.unwritable(file: folder, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        for image in sections.flatMap(\.images) {
            try PNG.write(values: image.rgb, width: image.width, height: image.height, layout: .rgb,
                          to: base.appendingPathComponent(image.fileName).path)
        }
        let index = base.appendingPathComponent("index.html").path
        try writeAtomically(Array(html(sections, title: title).utf8), to: index)
        return index
    }

    static func html(_ sections: [ExplanationSection], title: String) -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escapeXML(title))</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
        figure { display: inline-block; margin: 6px; text-align: center; }
        figure img { image-rendering: pixelated; border: 1px solid #ccc; }
        figcaption { font-size: 0.85em; }
        .colorbar { display: flex; align-items: center; gap: 0.6em; font-size: 0.85em; margin: 0.5em 0; }
        .colorbar span.bar { width: 240px; height: 14px; border: 1px solid #ccc;
                             background: linear-gradient(to right, #0000ff, #ffffff, #ff0000); }
        pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
        </style></head><body>
        <h1>\(escapeXML(title))</h1>

        """
        for section in sections {
            page += "<h2>\(escapeXML(section.title))</h2>\n<p>\(escapeXML(section.text))</p>\n"
            let limits = section.images.compactMap(\.colorLimit)
            if let smallest = limits.min(), let largest = limits.max() {
                let range = smallest == largest ? Format.fixed(largest, 4)
                    : "\(Format.fixed(smallest, 4))–\(Format.fixed(largest, 4))"
                page += "<div class=\"colorbar\"><span>−limit</span><span class=\"bar\"></span><span>+limit</span>"
                    + "<span>white is 0; each map's limit is the 99th percentile of its |weight| (\(range) here); "
                    + "larger weights are drawn at full colour</span></div>\n"
            }
            for image in section.images {
                page += "<figure><img src=\"\(escapeXML(image.fileName))\" width=\"\(image.width)\" "
                    + "height=\"\(image.height)\" alt=\"\(escapeXML(image.caption))\">"
                    + "<figcaption>\(escapeXML(image.caption))</figcaption></figure>\n"
            }
            if let text = section.preformatted { page += "<pre>\(escapeXML(text))</pre>\n" }
        }
        return page + "</body></html>\n"
    }
}
