import ZooTensor

/// Finite-difference gradient checks: the test every `backward` must pass.
///
/// The scalar checked is `L = Σ forward(x) ⊙ g` for a fixed random `g`, so dL/dOutput = g. Each checked value
/// is nudged by ±`step` and the central difference `(L(+) - L(-)) / 2·step` (summed in Double) is compared with
/// what `backward(g)` gave. The error reported per value is `|analytic - numeric| / max(|analytic| + |numeric|, floor)`.
public enum GradientCheck {
    /// The largest relative errors found, for the input and for each parameter (by name and index).
    public struct Result: CustomStringConvertible {
        public var inputError: Float
        public var parameterErrors: [(name: String, error: Float)]
        /// The worst of all errors.
        public var maximumError: Float { ([inputError] + parameterErrors.map(\.error)).max()! }
        public var description: String {
            "input \(inputError)" + parameterErrors.map { ", \($0.name) \($0.error)" }.joined()
        }
    }

    /// Checks `layer`'s input and parameter gradients at `input`, testing up to `samples` values of each tensor
    /// (all of them when fewer). `training` selects the mode the forward pass runs in.
    public static func check(_ layer: Layer, input: Tensor, training: Bool = true, step: Float = 1e-2,
                             samples: Int = 64, floor: Float = 1e-2, seed: UInt64 = 0) -> Result {
        var generator = SeededGenerator(seed: seed)
        let probe = layer.forward(input, training: training)
        let upstream = Tensor.normal(probe.shape, using: &generator)

        func objective(_ x: Tensor) -> Double {
            let output = layer.forward(x, training: training)
            return output.withUnsafeBufferPointer { o in
                upstream.withUnsafeBufferPointer { g in
                    var total = 0.0
                    for i in 0..<o.count { total += Double(o[i]) * Double(g[i]) }
                    return total
                }
            }
        }

        _ = layer.forward(input, training: training)
        let inputGradient = layer.backward(upstream)
        let parameterGradients = layer.parameters.map(\.gradient)

        func positions(_ count: Int) -> [Int] {
            count <= samples ? Array(0..<count) : (0..<samples).map { _ in Int(generator.next() % UInt64(count)) }
        }
        func relativeError(_ analytic: Float, _ numeric: Float) -> Float {
            abs(analytic - numeric) / max(abs(analytic) + abs(numeric), floor)
        }

        let analyticInput = inputGradient.scalars
        var inputError: Float = 0
        for i in positions(input.count) {
            var plus = input, minus = input
            plus.withUnsafeMutableBufferPointer { $0[i] += step }
            minus.withUnsafeMutableBufferPointer { $0[i] -= step }
            let numeric = Float((objective(plus) - objective(minus)) / Double(2 * step))
            inputError = max(inputError, relativeError(analyticInput[i], numeric))
        }

        var parameterErrors: [(String, Float)] = []
        for (index, parameter) in layer.parameters.enumerated() {
            var worst: Float = 0
            let original = parameter.value
            let originalValues = original.scalars, analytic = parameterGradients[index].scalars
            for i in positions(original.count) {
                parameter.value.withUnsafeMutableBufferPointer { $0[i] = originalValues[i] + step }
                let plus = objective(input)
                parameter.value.withUnsafeMutableBufferPointer { $0[i] = originalValues[i] - step }
                let minus = objective(input)
                parameter.value = original
                let numeric = Float((plus - minus) / Double(2 * step))
                worst = max(worst, relativeError(analytic[i], numeric))
            }
            parameterErrors.append(("\(parameter.name)#\(index)", worst))
        }
        return Result(inputError: inputError, parameterErrors: parameterErrors)
    }
}
