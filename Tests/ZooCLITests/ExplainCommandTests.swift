import Foundation
import Testing
import ZooData

/// `zoo classify --explain DIR` and the pictures `zoo explain` draws from the dataset, run as a user runs them.
@Suite struct ExplainCommandTests {
    /// A one drawn twice under the same file name in two folders, as a user's PNGs: dark ink on white paper.
    private func twoSameNamedDigits(in folder: TemporaryFolder) throws -> [String] {
        var one = [UInt8](repeating: 255, count: 40 * 40)
        for row in 6..<34 { for column in 18..<22 { one[row * 40 + column] = 0 } }
        var seven = [UInt8](repeating: 255, count: 40 * 40)
        for column in 8..<32 { for row in 6..<10 { seven[row * 40 + column] = 0 } }
        for row in 10..<34 { for column in (28 - (row - 10) / 2)..<(32 - (row - 10) / 2) { seven[row * 40 + column] = 0 } }
        for (name, pixels) in [("a", one), ("b", seven)] {
            try FileManager.default.createDirectory(atPath: folder.path(name), withIntermediateDirectories: true)
            try PNG.write(GrayImage(width: 40, height: 40, pixels: pixels), to: folder.path("\(name)/digit.png"))
        }
        return [folder.path("a/digit.png"), folder.path("b/digit.png")]
    }

    @Test func classifyExplainWritesASectionPerInputAndModel() throws {
        let folder = try TemporaryFolder()
        let inputs = try twoSameNamedDigits(in: folder)
        let zooFolder = repositoryRoot.appendingPathComponent("Zoo").path
        let page = folder.path("missing/page")

        let result = try zoo(["classify"] + inputs + ["--zoo", zooFolder, "--explain", page])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("wrote \(page)/index.html"), "\(result)")
        let html = try String(contentsOfFile: page + "/index.html", encoding: .utf8)
        for input in inputs { #expect(html.contains("<h2>\(input)</h2>"), "a section per input") }
        let models = ["tree", "linear", "logistic", "perceptron", "mlp", "inception"]
        for model in models {
            #expect(html.components(separatedBy: "<h3>\(model): ").count == 3, "\(model) explained for both inputs")
        }
        #expect(html.contains("The vote: 1") && html.contains("calibrated probabilities"), "the vote and probabilities")
        #expect(html.contains("The tree&#39;s path") || html.contains("The tree's path"), "the tree's rules followed")
        for name in ["digit-input.png", "digit-2-input.png", "digit-tree-path.png", "digit-2-tree-path.png",
                     "digit-mlp-saliency-1.png", "digit-inception-saliency-1.png"] {
            #expect(FileManager.default.fileExists(atPath: page + "/" + name), "\(name)")
        }
        let contributions = try FileManager.default.contentsOfDirectory(atPath: page)
            .filter { $0.hasPrefix("digit-logistic-contribution-") }
        #expect(contributions.count == 2, "predicted class and runner-up: \(contributions)")
        let input = try PNG.readGray(page + "/digit-input.png")
        #expect(input.width == 224 && input.height == 224, "the 28x28 input, enlarged 8 times")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: page)).contains { $0.hasSuffix(".tmp") })
    }

    @Test func classifyExplainIntoAFileIsAClearError() throws {
        let folder = try TemporaryFolder()
        let inputs = try twoSameNamedDigits(in: folder)
        let blocked = folder.path("taken")
        try Data("a file".utf8).write(to: URL(fileURLWithPath: blocked))
        let zooFolder = repositoryRoot.appendingPathComponent("Zoo").path

        let result = try zoo(["classify", inputs[0], "--zoo", zooFolder, "--explain", blocked])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.hasPrefix("Error: ") && result.stderr.contains(blocked)
                && result.stderr.split(separator: "\n").count == 1, "one Error: line naming the path: \(result)")
        #expect(result.stdout.isEmpty, "nothing is classified into a page that cannot be written: \(result)")
    }

    @Test func explainGreysUnusedPixelsAndDrawsInception() throws {
        _ = try requireDatasets()
        let folder = try TemporaryFolder()
        let zooFolder = repositoryRoot.appendingPathComponent("Zoo")
        let result = try zoo(["explain", "--model-file", zooFolder.appendingPathComponent("logistic.safetensors").path,
                              "--model-file", zooFolder.appendingPathComponent("inception.safetensors").path,
                              "--saliency-digits", "1", "--out", folder.path("report")])
        #expect(result.status == 0, "\(result)")
        let html = try String(contentsOfFile: folder.path("report/index.html"), encoding: .utf8)
        #expect(html.contains("Grey pixels (") && html.contains("class=\"unused\""), "logistic's unused pixels")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path("report"))
        // One picture per stem filter: as many as the shipped network's stem has outputs (its card's "Conv2D(1->64").
        let card = try String(contentsOf: zooFolder.appendingPathComponent("inception.md"), encoding: .utf8)
        let stem = try #require(card.firstMatch(of: /Conv2D\(1->(\d+),/).flatMap { Int($0.1) })
        #expect(stem >= 32 && files.filter { $0.hasPrefix("inception-filter-") }.count == stem, "the stem's filters")
        #expect(files.filter { $0.hasPrefix("inception-saliency-") }.count == 10, "a test digit per class")
        #expect(files.filter { $0.hasPrefix("inception-digit-") }.count == 10)

        let missing = try zoo(["explain", "--model-file", zooFolder.appendingPathComponent("logistic.safetensors").path,
                               "--out", folder.path("plain")], in: folder.url,
                              environment: ["ZOO_DATA": folder.path("none")])
        #expect(missing.status == 0 && missing.stderr.contains("note: without the mnist dataset"), "\(missing)")
        let plain = try String(contentsOfFile: folder.path("plain/index.html"), encoding: .utf8)
        #expect(!plain.contains("class=\"unused\""))
    }
}
