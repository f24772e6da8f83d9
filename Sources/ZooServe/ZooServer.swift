import Foundation
import Hummingbird
import Logging
import NIOCore
import ZooCore
import ZooData
import ZooHarness

/// `zoo serve`'s HTTP server: one page to draw a digit on, and a JSON API over the loaded models.
///
/// Routes:
/// - `GET /`: the drawing page (HTML with its script and style inline: it works offline).
/// - `POST /api/classify[?name=N][&input=true]`: a PNG body, or JSON `{"pixels": [784 grey values]}` ->
///   the JSON line `zoo classify --json` prints (`file` is `N`, default "request body"); with `input=true` it
///   also holds `"input"`, the 784 bytes of the 28x28 image the models saw (white ink on black).
/// - `GET /api/models`: the loaded models with their cards' numbers.
/// - `GET /cards/<name>`: a model's card (Markdown, served as text).
/// - `GET /healthz`: `{"status": "ok", "models": N}`.
///
/// Errors are JSON `{"error": "..."}` (a bad image: `{"file": ..., "error": ...}`, as `zoo classify --json`):
/// 400 bad image or JSON, 404 unknown route or card, 413 body over 2 MB or image over 2048x2048 pixels.
public enum ZooServer {
    /// The router with every route and the JSON error middleware.
    public static func router(classifier: DigitClassifier) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())

        router.get("/") { _, _ in
            textResponse(ServePage.html, contentType: "text/html; charset=utf-8")
        }
        router.get("/healthz") { _, _ in
            jsonResponse("{\"status\": \"ok\", \"models\": \(classifier.entries.count)}")
        }
        router.get("/api/models") { _, _ in
            jsonResponse(modelsJSON(classifier))
        }
        router.get("/cards/:name") { _, context in
            let name = context.parameters.get("name") ?? ""
            guard let card = classifier.card(named: name) else {
                throw ServeError.notFound(method: "GET", path: "/cards/\(name)")
            }
            return textResponse(card, contentType: "text/plain; charset=utf-8")
        }
        router.post("/api/classify") { request, _ in
            try await classify(request, classifier: classifier)
        }
        return router
    }

    /// An application serving `router(classifier:)` on `host:port` (port 0: any free port). `onRunning`
    /// receives the port it is listening on. Run it with `runService()`: SIGINT and SIGTERM shut it down
    /// gracefully, letting requests in flight finish.
    public static func application(classifier: DigitClassifier, host: String, port: Int, logger: Logger,
                                   onRunning: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        Application(router: router(classifier: classifier),
                    configuration: .init(address: .hostname(host, port: port), serverName: "zoo"),
                    onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
                    logger: logger)
    }

    /// Serves `classifier` on `host:port` until SIGINT or SIGTERM, then finishes the requests in flight and
    /// returns. `onRunning` receives the port it listens on (useful with port 0). Server messages at `logLevel`
    /// and above go to stderr.
    public static func run(classifier: DigitClassifier, host: String, port: Int, logLevel: Logger.Level = .warning,
                           onRunning: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "zoo.serve") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        let started = StartFlag()
        do {
            try await application(classifier: classifier, host: host, port: port, logger: logger) { boundPort in
                started.set()
                onRunning(boundPort)
            }.runService()
        } catch where !started.isSet {
            let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
            throw ServeError.cannotListen(host: host, port: port, reason: reason)
        }
    }

    /// `POST /api/classify`: the body read up to the limit, decoded, classified.
    static func classify(_ request: Request, classifier: DigitClassifier) async throws -> Response {
        let limit = ClassifyRequest.maximumBodyBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw ServeError.bodyTooLarge(limit: limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ServeError.bodyTooLarge(limit: limit)
        }
        let query = request.uri.queryParameters
        let source = sourceName(request)
        let image = try ClassifyRequest.image(body: Array(buffer.readableBytesView),
                                              contentType: request.headers[.contentType], source: source)
        let (result, input) = try classifier.classify(image, source: source)
        let withInput = query.get("input").map { ["1", "true", "yes"].contains($0.lowercased()) } ?? false
        return jsonResponse(withInput ? jsonLine(result, input: input) : result.jsonLine)
    }

    /// What a request's image is called in answers and errors: its `name` query parameter, else "request body".
    static func sourceName(_ request: Request) -> String {
        request.uri.queryParameters.get("name").map { String($0) } ?? "request body"
    }

    /// `result.jsonLine` (exactly what `zoo classify --json` prints) with one more field, `"input"`: the 784
    /// bytes of the 28x28 image the models saw.
    static func jsonLine(_ result: DigitClassification, input: GrayImage) -> String {
        let line = result.jsonLine
        guard line.hasSuffix("}") else { return line }
        let pixels = input.pixels.map(String.init).joined(separator: ",")
        return line.dropLast() + ", \"input\": [\(pixels)]}"
    }

    /// `GET /api/models`: each model's name, family, card numbers and card link.
    static func modelsJSON(_ classifier: DigitClassifier) -> String {
        let items = classifier.entries.map { entry -> String in
            let provenance = entry.file.provenance
            let accuracy = provenance.testAccuracy.flatMap { $0.isFinite ? String(format: "%.4f", $0) : nil }
            return "{\"name\": \(jsonStringLiteral(entry.name)), \"family\": \(jsonStringLiteral(entry.file.family)), "
                + "\"testAccuracy\": \(accuracy ?? "null"), \"dataset\": \(jsonStringLiteral(provenance.dataset)), "
                + "\"trainingSize\": \(provenance.trainingSize), \"seed\": \(provenance.seed), "
                + "\"parameters\": \(entry.model.parameterCount), "
                + "\"card\": \(entry.card == nil ? "null" : jsonStringLiteral("/cards/" + entry.name))}"
        }
        return "{\"models\": [\(items.joined(separator: ", "))]}"
    }

    static func jsonResponse(_ json: String, status: HTTPResponse.Status = .ok) -> Response {
        textResponse(json, contentType: "application/json; charset=utf-8", status: status)
    }

    static func textResponse(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType, .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Turns every error into a JSON answer with the right status, so no route answers with an empty body or a
/// framework's format: `ServeError` with its own status, an unreadable image 400, an unknown route 404.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServeError {
            return Self.response(error.description, status: error.statusCode)
        } catch let error as PNGError {
            return Self.imageError(error.description, request: request)
        } catch let error as DigitError {
            return Self.imageError(error.description, request: request)
        } catch is NIOTooManyBytesError {
            let error = ServeError.bodyTooLarge(limit: ClassifyRequest.maximumBodyBytes)
            return Self.response(error.description, status: error.statusCode)
        } catch let error as any HTTPResponseError {
            if error.status == .notFound {
                let notFound = ServeError.notFound(method: request.method.rawValue, path: request.uri.path)
                return Self.response(notFound.description, status: notFound.statusCode)
            }
            return Self.response(error.status.reasonPhrase, status: error.status.code)
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            return Self.response("internal error", status: 500)
        }
    }

    /// 400 with the line `zoo classify --json` prints for an image it could not read.
    static func imageError(_ message: String, request: Request) -> Response {
        ZooServer.jsonResponse(DigitClassification.errorJSONLine(file: ZooServer.sourceName(request), message: message),
                                      status: .badRequest)
    }

    static func response(_ message: String, status: Int) -> Response {
        ZooServer.jsonResponse("{\"error\": \(jsonStringLiteral(message))}", status: .init(code: status))
    }
}

/// Whether the server got as far as listening: errors before that are the address's fault.
private final class StartFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
