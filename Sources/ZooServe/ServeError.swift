/// What the server refuses, each with the HTTP status it answers with.
public enum ServeError: Error, CustomStringConvertible, Equatable {
    /// The models folder holds no model files.
    case noModels(folder: String)
    /// `POST /api/classify` without a body.
    case emptyBody
    /// A body larger than the server reads.
    case bodyTooLarge(limit: Int)
    /// A PNG whose header claims more pixels than the server decodes.
    case imageTooLarge(source: String, width: Int, height: Int, limit: Int)
    /// A JSON body that does not decode as `{"pixels": [...]}`.
    case badJSON(reason: String)
    /// A JSON body with other than 784 pixels.
    case wrongPixelCount(Int)
    /// A JSON pixel that is not a number in 0...255.
    case badPixel(index: Int, value: Double)
    /// No route for this method and path.
    case notFound(method: String, path: String)
    /// The server could not listen on the address (in use, not this machine's, no permission).
    case cannotListen(host: String, port: Int, reason: String)

    /// The HTTP status code the server answers with.
    public var statusCode: Int {
        switch self {
        case .noModels, .cannotListen: 500
        case .bodyTooLarge, .imageTooLarge: 413
        case .emptyBody, .badJSON, .wrongPixelCount, .badPixel: 400
        case .notFound: 404
        }
    }

    public var description: String {
        switch self {
        case let .noModels(folder):
            "no model files to serve: \(folder) holds no .safetensors files"
        case .emptyBody:
            "the request has no body: send a PNG, or JSON {\"pixels\": [784 grey values]}"
        case let .bodyTooLarge(limit):
            "the request body is larger than \(limit / (1024 * 1024)) MB"
        case let .imageTooLarge(source, width, height, limit):
            "\(source) is \(width)x\(height) pixels, more than the \(limit) pixels the server accepts"
        case let .badJSON(reason):
            "the JSON body is not {\"pixels\": [784 grey values 0...255]}: \(reason)"
        case let .wrongPixelCount(count):
            "the JSON body has \(count) pixels, not 784 (a 28x28 image, row-major)"
        case let .badPixel(index, value):
            "pixel \(index) of the JSON body is \(value), not a grey value in 0...255"
        case let .cannotListen(host, port, reason):
            "cannot listen on \(host):\(port): \(reason); pick another port or host"
        case let .notFound(method, path):
            "no route for \(method) \(path); the API is GET /api/models, POST /api/classify, GET /healthz"
        }
    }
}
