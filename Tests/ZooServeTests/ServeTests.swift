import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ZooData
import ZooHarness
import ZooServe

/// The repository's `Zoo/` folder, found from this file's path.
let shippedZooFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Zoo").path

/// The shipped models, loaded once for every test.
let shippedClassifier: Result<DigitClassifier, any Error> = Result { try DigitClassifier(modelsIn: shippedZooFolder) }

func classifier() throws -> DigitClassifier { try shippedClassifier.get() }

/// An application over the shipped models, for the router test client.
func shippedApplication() throws -> some ApplicationProtocol {
    Application(router: ZooServer.router(classifier: try classifier()))
}

/// A 280x280 drawing of a 7, black ink on white, as a person draws it on the page's canvas.
func drawnSeven() -> GrayImage {
    let side = 280
    var pixels = [UInt8](repeating: 255, count: side * side)
    func ink(_ x: Double, _ y: Double) {
        let radius = 10.0
        for dy in -10...10 {
            for dx in -10...10 where Double(dx * dx + dy * dy) <= radius * radius {
                let (px, py) = (Int(x) + dx, Int(y) + dy)
                if (0..<side).contains(px), (0..<side).contains(py) { pixels[py * side + px] = 0 }
            }
        }
    }
    for step in 0...100 {  // the bar, then the stem down and to the left
        let t = Double(step) / 100
        ink(70 + 140 * t, 60)
        ink(210 - 90 * t, 60 + 170 * t)
    }
    return GrayImage(width: side, height: side, pixels: pixels)
}

/// `image` encoded as PNG bytes.
func pngBytes(_ image: GrayImage) throws -> [UInt8] {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("zoo-serve-\(UUID().uuidString).png").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try PNG.write(image, to: path)
    return [UInt8](try #require(FileManager.default.contents(atPath: path)))
}

extension TestResponse {
    var text: String { String(buffer: body) }
    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }
}

let pngHeaders: HTTPFields = [.contentType: "image/png"]
let jsonHeaders: HTTPFields = [.contentType: "application/json"]

@Suite struct ServeRouteTests {
    @Test func pageIsOneSelfContainedFile() async throws {
        try await shippedApplication().test(.router) { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let page = response.text
            #expect(page.contains("<canvas id=\"pad\""))
            #expect(page.contains("pointerdown") && page.contains("/api/classify"))
            for external in ["src=\"http", "href=\"http", "@import", "url(http"] {
                #expect(!page.contains(external), "the page loads \(external)...: it must work offline")
            }
        }
    }

    @Test func healthzCountsTheModels() async throws {
        try await shippedApplication().test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["status"] as? String == "ok")
            #expect(json["models"] as? Int == 6)
        }
    }

    @Test func modelsListTheirCardsNumbers() async throws {
        let entries = try classifier().entries.map { entry in
            (name: entry.name, accuracy: entry.file.provenance.testAccuracy, card: entry.card,
             parameters: entry.model.parameterCount, trainingSize: entry.file.provenance.trainingSize)
        }
        try await shippedApplication().test(.router) { client in
            let response = try await client.execute(uri: "/api/models", method: .get)
            #expect(response.status == .ok)
            let models = try #require(try response.json()["models"] as? [[String: Any]])
            let names = models.map { $0["name"] as? String }
            #expect(names == ["tree", "linear", "logistic", "perceptron", "mlp", "inception"])  // the family table's order
            #expect(names == entries.map(\.name))
            for (model, entry) in zip(models, entries) {
                let accuracy = try #require(model["testAccuracy"] as? Double)
                let recorded = try #require(entry.accuracy)
                #expect(abs(accuracy - recorded) < 1e-4)
                let card = try #require(entry.card)
                #expect(ModelCard.recordedAccuracy(inCard: card).map { abs($0 - accuracy) < 1e-4 } == true)
                #expect(model["trainingSize"] as? Int == entry.trainingSize)
                #expect(model["parameters"] as? Int == entry.parameters)
                #expect(model["card"] as? String == "/cards/\(entry.name)")
            }
        }
    }

    @Test func cardsAreServedAsText() async throws {
        let expected = try String(contentsOfFile: shippedZooFolder + "/mlp.md", encoding: .utf8)
        try await shippedApplication().test(.router) { client in
            let response = try await client.execute(uri: "/cards/mlp", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(response.text == expected)
            for missing in ["/cards/nope", "/cards/..%2F..%2FPackage.swift", "/cards/mlp.safetensors"] {
                let refused = try await client.execute(uri: missing, method: .get)
                #expect(refused.status == .notFound, "\(missing)")
                #expect((try refused.json()["error"] as? String)?.contains("no route") == true, "\(missing)")
            }
        }
    }

    @Test func unknownRoutesAnswer404JSON() async throws {
        try await shippedApplication().test(.router) { client in
            for (uri, method) in [("/nope", HTTPRequest.Method.get), ("/api", .get), ("/healthz", .post),
                                  ("/api/classify", .get)] {
                let response = try await client.execute(uri: uri, method: method)
                #expect(response.status == .notFound, "\(method) \(uri)")
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let error = try #require(try response.json()["error"] as? String)
                #expect(error == ServeError.notFound(method: method.rawValue, path: uri).description)
            }
        }
    }
}

@Suite struct ServeClassifyTests {
    /// A drawing's answer is byte for byte the line `zoo classify --json` prints for the same image.
    @Test func pngAnswersWhatClassifyPrints() async throws {
        let png = try pngBytes(drawnSeven())
        let digit = try DigitPreprocessing.mnistDigit(try PNG.decodeGray(png), source: "seven.png")
        let shipped = try classifier()
        let models = shipped.entries.map { (name: $0.name, model: $0.model, calibration: $0.file.calibration) }
        let expected = try DigitClassification(file: "seven.png", digit: digit, models: models, policy: shipped.policy)
        #expect(expected.vote == 7, "the drawn 7 reads as \(String(describing: expected.vote)): \(expected.text)")
        try await shippedApplication().test(.router) { client in
            let response = try await client.execute(uri: "/api/classify?name=seven.png", method: .post,
                                                    headers: pngHeaders, body: ByteBuffer(bytes: png))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(response.text == expected.jsonLine)
            let unnamed = try await client.execute(uri: "/api/classify", method: .post, headers: pngHeaders,
                                                   body: ByteBuffer(bytes: png))
            #expect(try unnamed.json()["file"] as? String == "request body")
        }
    }

    @Test func inputAddsTheImageTheModelsSaw() async throws {
        let png = try pngBytes(drawnSeven())
        let digit = try DigitPreprocessing.mnistDigit(try PNG.decodeGray(png), source: "drawing")
        try await shippedApplication().test(.router) { client in
            let plain = try await client.execute(uri: "/api/classify?name=drawing", method: .post,
                                                 headers: pngHeaders, body: ByteBuffer(bytes: png)).json()
            let detailed = try await client.execute(uri: "/api/classify?name=drawing&input=true", method: .post,
                                                    headers: pngHeaders, body: ByteBuffer(bytes: png)).json()
            let input = try #require(detailed["input"] as? [Int])
            #expect(input == digit.pixels.map(Int.init))
            #expect(Set(detailed.keys) == Set(plain.keys).union(["input"]))
            #expect(detailed["vote"] as? Int == plain["vote"] as? Int)
        }
    }

    /// JSON grey values are read like a 28x28 PNG of the same pixels; without a content type, `{` means JSON.
    @Test func jsonPixelsAnswerLikeThePNG() async throws {
        let small = GrayImage(width: 28, height: 28, pixels: (0..<784).map { index in
            let (x, y) = (index % 28, index / 28)
            return (y == 6 && (8...20).contains(x)) || (y > 6 && y < 24 && x == 20 - (y - 6) / 2) ? 0 : 255
        })
        let png = try pngBytes(small)
        let json = "{\"pixels\": [\(small.pixels.map(String.init).joined(separator: ", "))]}"
        try await shippedApplication().test(.router) { client in
            let fromPNG = try await client.execute(uri: "/api/classify", method: .post, headers: pngHeaders,
                                                   body: ByteBuffer(bytes: png))
            let fromJSON = try await client.execute(uri: "/api/classify", method: .post, headers: jsonHeaders,
                                                    body: ByteBuffer(string: json))
            let sniffed = try await client.execute(uri: "/api/classify", method: .post,
                                                   body: ByteBuffer(string: json))
            #expect(fromPNG.status == .ok && fromJSON.status == .ok && sniffed.status == .ok)
            #expect(fromJSON.text == fromPNG.text)
            #expect(sniffed.text == fromPNG.text)
        }
    }

    @Test func badPNGAnswers400WithTheReadersMessage() async throws {
        let good = try pngBytes(drawnSeven())
        let bodies: [(String, [UInt8])] = [
            ("not a PNG", Array("hello, this is not an image".utf8)),
            ("truncated", Array(good.prefix(good.count / 2))),
            ("header only", Array(good.prefix(33))),
        ]
        try await shippedApplication().test(.router) { client in
            for (label, body) in bodies {
                var expected = ""
                do { _ = try PNG.decodeGray(body, source: "bad.png") } catch let error as PNGError {
                    expected = error.description
                }
                #expect(!expected.isEmpty, "\(label) decodes")
                let response = try await client.execute(uri: "/api/classify?name=bad.png", method: .post,
                                                        headers: pngHeaders, body: ByteBuffer(bytes: body))
                #expect(response.status == .badRequest, "\(label)")
                #expect(response.text == DigitClassification.errorJSONLine(file: "bad.png", message: expected),
                        "\(label)")
            }
        }
    }

    @Test func blankDrawingAnswers400() async throws {
        let blank = try pngBytes(GrayImage(width: 280, height: 280, pixels: .init(repeating: 255, count: 280 * 280)))
        try await shippedApplication().test(.router) { client in
            let response = try await client.execute(uri: "/api/classify?name=drawing", method: .post,
                                                    headers: pngHeaders, body: ByteBuffer(bytes: blank))
            #expect(response.status == .badRequest)
            let json = try response.json()
            #expect(json["file"] as? String == "drawing")
            #expect(json["error"] as? String == DigitError.noInk(source: "drawing", width: 280, height: 280).description)
        }
    }

    @Test func badJSONAnswers400() async throws {
        let cases: [(body: String, error: ServeError?)] = [
            ("{\"pixels\": [1, 2, 3]}", .wrongPixelCount(3)),
            ("{\"pixels\": [\(Array(repeating: "0", count: 783).joined(separator: ",")), 300]}",
             .badPixel(index: 783, value: 300)),
            ("{\"pixels\": [-1\(String(repeating: ", 0", count: 783))]}", .badPixel(index: 0, value: -1)),
            ("{\"grey\": []}", .badJSON(reason: "no \"pixels\" field")),
            ("{\"pixels\": \"white\"}", nil),
            ("{oops", .badJSON(reason: "not valid JSON")),
        ]
        try await shippedApplication().test(.router) { client in
            for (body, error) in cases {
                let response = try await client.execute(uri: "/api/classify", method: .post, headers: jsonHeaders,
                                                        body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body.prefix(40))")
                let message = try #require(try response.json()["error"] as? String)
                if let error { #expect(message == error.description) } else {
                    #expect(message.hasPrefix("the JSON body is not {\"pixels\""))
                }
            }
        }
    }

    @Test func emptyBodyAnswers400() async throws {
        try await shippedApplication().test(.router) { client in
            let response = try await client.execute(uri: "/api/classify", method: .post, headers: pngHeaders)
            #expect(response.status == .badRequest)
            #expect(try response.json()["error"] as? String == ServeError.emptyBody.description)
        }
    }

    @Test func bodiesOver2MBAnswer413() async throws {
        let limit = ClassifyRequest.maximumBodyBytes
        try await shippedApplication().test(.router) { client in
            let over = try await client.execute(uri: "/api/classify", method: .post, headers: pngHeaders,
                                                body: ByteBuffer(repeating: 7, count: limit + 1))
            #expect(over.status == .contentTooLarge)
            #expect(try over.json()["error"] as? String == ServeError.bodyTooLarge(limit: limit).description)
            // A body at the limit is read (and then refused as no PNG).
            let at = try await client.execute(uri: "/api/classify", method: .post, headers: pngHeaders,
                                              body: ByteBuffer(repeating: 7, count: limit))
            #expect(at.status == .badRequest)
        }
    }

    @Test func hugeImagesAnswer413BeforeDecoding() async throws {
        var header = try pngBytes(GrayImage(width: 4, height: 4, pixels: .init(repeating: 0, count: 16)))
        header.replaceSubrange(16..<24, with: [0x7F, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF])  // IHDR: 2^31-1 square
        let png = header
        try await shippedApplication().test(.router) { client in
            let response = try await client.execute(uri: "/api/classify?name=huge.png", method: .post,
                                                    headers: pngHeaders, body: ByteBuffer(bytes: png))
            #expect(response.status == .contentTooLarge)
            let expected = ServeError.imageTooLarge(source: "huge.png", width: 2_147_483_647, height: 2_147_483_647,
                                                    limit: ClassifyRequest.maximumPixels)
            #expect(try response.json()["error"] as? String == expected.description)
        }
    }
}

@Suite struct ServeLiveTests {
    /// Many requests at once over real sockets give the answers one request at a time gives: the models share
    /// no scratch state between concurrent forward passes.
    @Test func concurrentRequestsAgree() async throws {
        let images = try [drawnSeven(), GrayImage(width: 28, height: 28, pixels: (0..<784).map {
            ($0 / 28 > 4 && $0 / 28 < 24 && ($0 % 28 == 13 || $0 % 28 == 14)) ? 0 : 255  // a 1
        })].map(pngBytes)
        let app = Application(router: ZooServer.router(classifier: try classifier()),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.ahc(.http)) { client in
            var expected: [String] = []
            for png in images {
                expected.append(try await client.execute(uri: "/api/classify", method: .post, headers: pngHeaders,
                                                         body: ByteBuffer(bytes: png)).text)
            }
            #expect(expected[0] != expected[1])
            let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for request in 0..<48 {
                    group.addTask {
                        let response = try await client.execute(uri: "/api/classify", method: .post,
                                                                headers: pngHeaders,
                                                                body: ByteBuffer(bytes: images[request % 2]))
                        return (request, response.text)
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(answers.count == 48)
            for (request, answer) in answers { #expect(answer == expected[request % 2], "request \(request)") }
            let tooLarge = try await client.execute(uri: "/api/classify", method: .post, headers: pngHeaders,
                                                    body: ByteBuffer(repeating: 0, count: 3 * 1024 * 1024))
            #expect(tooLarge.status == .contentTooLarge)
        }
    }

    @Test func aTakenPortIsAClearError() async throws {
        let app = Application(router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            await #expect(throws: ServeError.cannotListen(host: "127.0.0.1", port: port,
                                                          reason: "Address already in use")) {
                try await ZooServer.run(classifier: try classifier(), host: "127.0.0.1", port: port) { _ in }
            }
        }
    }
}

@Suite struct ClassifyRequestTests {
    @Test func pngSizeReadsTheHeaderOnly() throws {
        let png = try pngBytes(GrayImage(width: 3, height: 5, pixels: .init(repeating: 9, count: 15)))
        #expect(ClassifyRequest.pngSize(png)! == (3, 5))
        #expect(ClassifyRequest.pngSize(Array(png.prefix(23))) == nil)
        #expect(ClassifyRequest.pngSize(Array("GIF89a........................".utf8)) == nil)
    }

    @Test func contentTypeDecidesThenTheFirstByte() {
        #expect(ClassifyRequest.isJSON(contentType: "application/json", body: [0x89]))
        #expect(!ClassifyRequest.isJSON(contentType: "image/png", body: Array("{".utf8)))
        #expect(ClassifyRequest.isJSON(contentType: nil, body: Array("  \n{".utf8)))
        #expect(!ClassifyRequest.isJSON(contentType: "application/octet-stream", body: [0x89, 0x50]))
    }

    @Test func anEmptyModelFolderIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zoo-serve-empty-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ServeError.noModels(folder: folder)) { try DigitClassifier(modelsIn: folder) }
    }
}
