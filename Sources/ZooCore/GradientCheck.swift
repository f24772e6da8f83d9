import ZooTensor

/// Finite-difference gradient checks: the test every `backward` must pass.
///
/// The scalar checked is `L = Σ forward(x) ⊙ g` for a fixed random `g`, so dL/dOutput = g. Each checked value
/// is nudged by ±`step` and ±2·`step` and the fourth-order central difference
/// `(8·(L(+h) - L(-h)) - (L(+2h) - L(-2h))) / 12h` (summed in Double) is compared with what `backward(g)` gave:
/// its truncation error is O(h⁴), so a step large enough to drown Float32 rounding stays accurate. The error reported per value is `|analytic - numeric| / max(|analytic| + |numeric|, floor)`.
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

        /// The fourth-order central difference of `objectiveAt(offset)` around offset 0.
        func derivative(_ objectiveAt: (Float) -> Double) -> Float {
            let near = objectiveAt(step) - objectiveAt(-step)
            let far = objectiveAt(2 * step) - objectiveAt(-2 * step)
            return Float((8 * near - far) / Double(12 * step))
        }

        let analyticInput = inputGradient.scalars
        var inputError: Float = 0
        for i in positions(input.count) {
            let numeric = derivative { offset in
                var nudged = input
                nudged.withUnsafeMutableBufferPointer { $0[i] += offset }
                return objective(nudged)
            }
            inputError = max(inputError, relativeError(analyticInput[i], numeric))
        }

        var parameterErrors: [(String, Float)] = []
        for (index, parameter) in layer.parameters.enumerated() {
            var worst: Float = 0
            let original = parameter.value
            let originalValues = original.scalars, analytic = parameterGradients[index].scalars
            for i in positions(original.count) {
                let numeric = derivative { offset in
                    parameter.value.withUnsafeMutableBufferPointer { $0[i] = originalValues[i] + offset }
                    return objective(input)
                }
                parameter.value = original
                worst = max(worst, relativeError(analytic[i], numeric))
            }
            parameterErrors.append(("\(parameter.name)#\(index)", worst))
        }
        return Result(inputError: inputError, parameterErrors: parameterErrors)
    }
}
