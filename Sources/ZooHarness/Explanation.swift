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
    /// How the colour limit was chosen, as the page's colour bar says it ("99th percentile of its |value|").
    public var limitRule = "the 99th percentile of its |value|"
    /// Whether the map draws pixels that training never inked in neutral grey (the page's legend says so).
    public var greysUnusedPixels = false
    /// Pictures shown in the same figure, before this one: the digit a saliency map is about.
    public var companions: [ExplanationImage] = []
}

/// What one model's explanation shows: a heading, a paragraph, pictures, optionally preformatted text (rules),
/// and further parts under their own subheadings (Inception's filters and its saliency maps).
public struct ExplanationSection: Sendable {
    public let title: String
    public let text: String
    public let images: [ExplanationImage]
    public let preformatted: String?
    public let subsections: [ExplanationSection]

    public init(title: String, text: String, images: [ExplanationImage] = [], preformatted: String? = nil,
                subsections: [ExplanationSection] = []) {
        self.title = title
        self.text = text
        self.images = images
        self.preformatted = preformatted
        self.subsections = subsections
    }

    /// Every picture of the section and its subsections, companions included: what the page's folder holds.
    public var allImages: [ExplanationImage] {
        images.flatMap { $0.companions + [$0] } + subsections.flatMap(\.allImages)
    }
}

/// Weights over the pixels of an image as a picture: positive red, negative blue, zero white, each map scaled
/// by its own 99th-percentile magnitude (a few extreme weights on rarely inked border pixels would otherwise wash
/// out the rest; larger ones are drawn at full color). Pixels that training (almost) never inked carry weights
/// that mean nothing: given `used`, those are drawn in neutral grey and kept out of the limit. The lecture's "a
/// knob per pixel", made visible.
public enum WeightHeatMap {
    /// The neutral grey of a pixel whose weight means nothing.
    public static let unusedColor: [UInt8] = [176, 176, 176]

    /// `weights` (`rows * columns`, row-major) -> an RGB image enlarged `scale` times with square pixels, the
    /// colour limit the `quantile` of |weight| over the `used` pixels (all when nil; `used` has one flag per
    /// weight).
    public static func image(_ weights: [Float], rows: Int = 28, columns: Int = 28, scale: Int = 8,
                             used: [Bool]? = nil, quantile: Double = 0.99,
                             fileName: String, caption: String) -> ExplanationImage {
        precondition(weights.count == rows * columns && (used?.count ?? weights.count) == weights.count,
                     "WeightHeatMap: \(weights.count) weights, \(used?.count ?? 0) flags for a \(rows)x\(columns) image")
        let counted = used.map { flags in weights.indices.filter { flags[$0] }.map { weights[$0] } } ?? weights
        let magnitudes = counted.map(abs).sorted()
        let typicalLargest = magnitudes.isEmpty ? 0 : magnitudes[Int(quantile * Double(magnitudes.count - 1))]
        let largest = max(typicalLargest > 0 ? typicalLargest : magnitudes.last ?? 0, .leastNormalMagnitude)
        let (width, height) = (columns * scale, rows * scale)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let pixel = (y / scale) * columns + x / scale
                let color = used?[pixel] == false ? unusedColor : self.color(weights[pixel] / largest)
                rgb.replaceSubrange((3 * (y * width + x))..<(3 * (y * width + x) + 3), with: color)
            }
        }
        return ExplanationImage(fileName: fileName, caption: caption, width: width, height: height, rgb: rgb,
                                colorLimit: largest, greysUnusedPixels: used?.contains(false) == true)
    }

    /// A diverging color for `value` in -1...1: blue, white at 0, red.
    static func color(_ value: Float) -> [UInt8] {
        let v = min(max(value, -1), 1)
        let fade = UInt8((255 * (1 - abs(v))).rounded())
        return v >= 0 ? [255, fade, fade] : [fade, fade, 255]
    }
}

/// A digit as the models saw it, as a picture: dark ink on white paper, enlarged `scale` times.
public enum DigitPicture {
    /// `pixels` (`rows * columns` values in 0...1, ink 1) -> RGB; `marks` colour chosen pixels instead (pixel
    /// index -> RGB), as the tree's path marks the pixels it asked about.
    public static func image(_ pixels: [Float], rows: Int = 28, columns: Int = 28, scale: Int = 4,
                             marks: [Int: [UInt8]] = [:], fileName: String, caption: String) -> ExplanationImage {
        precondition(pixels.count == rows * columns, "DigitPicture: \(pixels.count) pixels for \(rows)x\(columns)")
        let (width, height) = (columns * scale, rows * scale)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let pixel = (y / scale) * columns + x / scale
                let paper = UInt8((255 * (1 - min(max(pixels[pixel], 0), 1))).rounded())
                rgb.replaceSubrange((3 * (y * width + x))..<(3 * (y * width + x) + 3),
                                    with: marks[pixel] ?? [paper, paper, paper])
            }
        }
        return ExplanationImage(fileName: fileName, caption: caption, width: width, height: height, rgb: rgb)
    }
}

/// Sections built from weights, shared by the families that have such weights.
public enum WeightExplanations {
    /// One heat map per class from `weights` `[classes, 784]`: which pixels push the score of each class up (red)
    /// or down (blue).
    /// Given `ink` (of the training digits), pixels it rarely inked are grey.
    public static func perClassPixelWeights(_ weights: Tensor, modelName: String, title: String,
                                            classNames: [String], ink: PixelInk? = nil) -> ExplanationSection {
        precondition(weights.rank == 2 && weights.columns == 784,
                     "perClassPixelWeights: weights \(weights.shape), expected [classes, 784]")
        let values = weights.scalars
        let used = ink?.usedPixels(count: 784)
        let images = (0..<weights.rows).map { row in
            WeightHeatMap.image(Array(values[(row * 784)..<((row + 1) * 784)]), used: used,
                                fileName: "\(modelName)-class-\(row).png",
                                caption: "class \(row < classNames.count ? classNames[row] : String(row))")
        }
        return ExplanationSection(
            title: title,
            text: "Each picture is one class's weights, a knob per pixel: ink on a red pixel raises that class's "
                + "score, ink on a blue pixel lowers it, white pixels do not matter. The score is the sum over "
                + "pixels of ink times weight, plus a bias." + (ink.flatMap { used == nil ? nil : " " + $0.caption(pixels: 784) } ?? ""),
            images: images)
    }

    /// The `count` hidden units of a first layer with the strongest influence, as heat maps of their incoming
    /// weights. Weights are laid out as `Linear` (and PyTorch) keeps them: `incoming` `[hidden, 784]`, `outgoing`
    /// the next layer's `[next, hidden]`. A unit's strength is the norm of its incoming weights times the norm of
    /// its outgoing weights: how much it can see times how much it is heard.
    /// Given `ink` (of the training digits), pixels it rarely inked are grey.
    public static func featureDetectors(incoming: Tensor, outgoing: Tensor, count: Int = 16,
                                        modelName: String, title: String, ink: PixelInk? = nil) -> ExplanationSection {
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
        let used = ink?.usedPixels(count: 784)
        let images = strongest.enumerated().map { rank, unit in
            WeightHeatMap.image(Array(inValues[(unit * 784)..<((unit + 1) * 784)]), scale: 4, used: used,
                                fileName: "\(modelName)-unit-\(unit).png",
                                caption: "unit \(unit) (#\(rank + 1))")
        }
        return ExplanationSection(
            title: title,
            text: "The first layer's \(images.count) strongest of \(hidden) hidden units, each shown as the weights "
                + "it gives each pixel: a unit fires when the ink falls on its red pixels and not on its blue ones. "
                + "These are the feature detectors the network learned by itself: strokes, edges, loops. Strength "
                + "is the size of the unit's incoming weights times the size of its outgoing weights."
                + (ink.flatMap { used == nil ? nil : " " + $0.caption(pixels: 784) } ?? ""),
            images: images)
    }
}

/// Writes explanations to one folder: every picture as a PNG and an `index.html` showing them all.
public enum ExplanationReport {
    /// Writes `sections` into `folder` (created if missing) and returns the path of `index.html`. Each file is
    /// written atomically (temp + rename). Throws `DatasetError.unwritable` naming the folder or file when it
    /// cannot be written (a file in the way of the folder, say).
    @discardableResult
    public static func write(_ sections: [ExplanationSection], title: String, to folder: String,
                             introduction: String? = nil) throws -> String {
        let base = URL(fileURLWithPath: folder)
        try createFolder(folder)
        for image in sections.flatMap(\.allImages) {
            try PNG.write(values: image.rgb, width: image.width, height: image.height, layout: .rgb,
                          to: base.appendingPathComponent(image.fileName).path)
        }
        let index = base.appendingPathComponent("index.html").path
        try writeAtomically(Array(html(sections, title: title, introduction: introduction).utf8), to: index)
        return index
    }

    /// Creates `folder` and its parents if missing; throws `DatasetError.unwritable` naming it when that fails or
    /// when something other than a folder is in the way.
    public static func createFolder(_ folder: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw DatasetError.unwritable(file: folder, reason: "a file is in the way: the explanation needs a "
                                              + "folder there (give another path or move the file)")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DatasetError.unwritable(file: folder, reason: "cannot create the folder (\(error.localizedDescription))")
        }
    }

    static func html(_ sections: [ExplanationSection], title: String, introduction: String? = nil) -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escapeXML(title))</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
        figure { display: inline-block; margin: 6px; text-align: center; vertical-align: top; }
        figure img { image-rendering: pixelated; border: 1px solid #ccc; }
        figure img + img { margin-left: 3px; }
        figcaption { font-size: 0.85em; max-width: 240px; }
        .colorbar { display: flex; align-items: center; gap: 0.6em; font-size: 0.85em; margin: 0.5em 0; }
        .colorbar span.bar { width: 240px; height: 14px; border: 1px solid #ccc;
                             background: linear-gradient(to right, #0000ff, #ffffff, #ff0000); }
        .colorbar span.unused { width: 14px; height: 14px; border: 1px solid #ccc; background: #b0b0b0; }
        pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
        </style></head><body>
        <h1>\(escapeXML(title))</h1>

        """
        if let introduction { page += "<p>\(escapeXML(introduction))</p>\n" }
        for section in sections { page += html(section, level: 2) }
        return page + "</body></html>\n"
    }

    /// One section under an `<h\(level)>` heading, its subsections one level down.
    private static func html(_ section: ExplanationSection, level: Int) -> String {
        let heading = "h\(min(level, 6))"
        var page = "<\(heading)>\(escapeXML(section.title))</\(heading)>\n"
        if !section.text.isEmpty { page += "<p>\(escapeXML(section.text))</p>\n" }
        let limits = section.images.compactMap(\.colorLimit)
        if let smallest = limits.min(), let largest = limits.max() {
            let range = smallest == largest ? Format.fixed(largest, 4)
                : "\(Format.fixed(smallest, 4))–\(Format.fixed(largest, 4))"
            page += "<div class=\"colorbar\"><span>−limit</span><span class=\"bar\"></span><span>+limit</span>"
                + "<span>white is 0; each map's limit is \(section.images[0].limitRule) (\(range) here); "
                + "larger values are drawn at full colour</span>"
            if section.images.contains(where: \.greysUnusedPixels) {
                page += "<span class=\"unused\"></span><span>grey: a pixel (almost) never inked in training, "
                    + "whose weight means nothing</span>"
            }
            page += "</div>\n"
        }
        for image in section.images {
            page += "<figure>" + (image.companions + [image]).map(imageTag).joined()
                + "<figcaption>\(escapeXML(image.caption))</figcaption></figure>\n"
        }
        if let text = section.preformatted { page += "<pre>\(escapeXML(text))</pre>\n" }
        for subsection in section.subsections { page += html(subsection, level: level + 1) }
        return page
    }

    private static func imageTag(_ image: ExplanationImage) -> String {
        "<img src=\"\(escapeXML(image.fileName))\" width=\"\(image.width)\" height=\"\(image.height)\" "
            + "alt=\"\(escapeXML(image.caption))\">"
    }
}
