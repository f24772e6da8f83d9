import Foundation
import Testing
import ZooHarness

@Test("Heat maps are scaled by the 99th percentile of |weight| and the page shows a colour bar with that limit")
func heatMapsHaveRobustLimitsAndAColourBar() throws {
    // 780 small weights and 4 huge ones on "border pixels": the huge ones must not set the scale.
    var weights = (0..<784).map { Float($0 % 7) * 0.01 - 0.03 }
    for pixel in [0, 27, 756, 783] { weights[pixel] = 50 }
    let map = WeightHeatMap.image(weights, scale: 1, fileName: "w.png", caption: "w")
    let limit = try #require(map.colorLimit)
    #expect(limit > 0.02 && limit <= 0.03, "limit \(limit)")
    let strongest = 3 * 3  // pixel 3 has weight 0.0: white; pixel 6 has 0.03: full red
    #expect(Array(map.rgb[strongest..<(strongest + 3)]) == [255, 255, 255])
    #expect(Array(map.rgb[18..<21]) == [255, 0, 0])

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-explain-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let index = try ExplanationReport.write([ExplanationSection(title: "t", text: "x", images: [map])], title: "T",
                                            to: folder)
    let page = try String(contentsOfFile: index, encoding: .utf8)
    #expect(page.contains("class=\"colorbar\"") && page.contains("99th percentile"))
    let plain = try ExplanationReport.write([ExplanationSection(title: "rules", text: "x", preformatted: "if")],
                                            title: "T", to: folder)
    #expect(!(try String(contentsOfFile: plain, encoding: .utf8)).contains("class=\"colorbar\""))
}
