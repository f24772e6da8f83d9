import Testing
import ZooCore
import ZooTensor

/// The optimizers' fused C kernels against the update rules written out plainly in Swift, one value at a time
/// (the unfused reference). The kernels do not contract multiply-adds, so every clone must agree bit for bit.
@Suite("Fused optimizer kernels")
struct FusedOptimizerTests {
    /// Sizes that exercise the vector body, the tail, and both at once, and the MLP's first weight (200,960
    /// values), which the optimizers update in ranges split across the cores (`stepChunks`).
    static let sizes = [1, 15, 16, 17, 203, 200_960]

    /// A parameter of `count` values and a gradient, both seeded.
    func parameter(_ count: Int, seed: UInt64) -> Parameter {
        var generator = SeededGenerator(seed: seed)
        let parameter = Parameter("w", Tensor.uniform([count], in: -1...1, using: &generator))
        parameter.gradient = Tensor.uniform([count], in: -2...2, using: &generator)
        return parameter
    }

    /// New seeded gradients for step `step`.
    func regrade(_ parameter: Parameter, step: Int) {
        var generator = SeededGenerator(seed: UInt64(100 + step))
        parameter.gradient = Tensor.uniform(parameter.value.shape, in: -2...2, using: &generator)
    }

    @Test("Adam equals its reference over several steps, with and without weight decay",
          arguments: sizes, [Float(0), 0.01])
    func adam(count: Int, decay: Float) {
        let fused = parameter(count, seed: 1)
        var (w, m, v) = (fused.value.scalars, [Float](repeating: 0, count: count), [Float](repeating: 0, count: count))
        let optimizer = Adam(learningRate: 0.01, weightDecay: decay)
        for step in 1...5 {
            let g = fused.gradient.scalars
            optimizer.step(parameters: [fused])
            let stepSize = Float(0.01) / (1 - Float(Double(Float(0.9)).power(step)))
            let inverseRoot = 1 / (1 - Float(Double(Float(0.999)).power(step))).squareRoot()
            for i in 0..<count {
                let gradient = g[i] + decay * w[i]
                m[i] = 0.9 * m[i] + (1 - 0.9) * gradient
                v[i] = 0.999 * v[i] + (1 - 0.999) * gradient * gradient
                w[i] -= stepSize * m[i] / (v[i].squareRoot() * inverseRoot + 1e-8)
            }
            #expect(fused.value.scalars == w, "step \(step)")
            regrade(fused, step: step)
        }
    }

    @Test("RMSProp equals its reference", arguments: sizes)
    func rmsprop(count: Int) {
        let fused = parameter(count, seed: 2)
        var (w, s) = (fused.value.scalars, [Float](repeating: 0, count: count))
        let optimizer = RMSProp(learningRate: 0.01, weightDecay: 0.001)
        for step in 1...4 {
            let g = fused.gradient.scalars
            optimizer.step(parameters: [fused])
            for i in 0..<count {
                let gradient = g[i] + 0.001 * w[i]
                s[i] = 0.99 * s[i] + (1 - 0.99) * gradient * gradient
                w[i] -= 0.01 * gradient / (s[i].squareRoot() + 1e-8)
            }
            #expect(fused.value.scalars == w, "step \(step)")
            regrade(fused, step: step)
        }
    }

    @Test("SGD, heavy-ball and Nesterov momentum equal their reference", arguments: sizes, [0, 1, 2])
    func sgd(count: Int, variant: Int) {
        let (momentum, nesterov): (Float, Bool) = [(0, false), (0.9, false), (0.9, true)][variant]
        let fused = parameter(count, seed: 3)
        var (w, velocity) = (fused.value.scalars, [Float](repeating: 0, count: count))
        let optimizer = StochasticGradientDescent(learningRate: 0.1, momentum: momentum, nesterov: nesterov,
                                                  weightDecay: 0.01)
        for step in 1...4 {
            let g = fused.gradient.scalars
            optimizer.step(parameters: [fused])
            for i in 0..<count {
                let gradient = g[i] + 0.01 * w[i]
                if momentum == 0 {
                    w[i] -= 0.1 * gradient
                } else {
                    velocity[i] = momentum * velocity[i] + gradient
                    w[i] -= 0.1 * (nesterov ? gradient + momentum * velocity[i] : velocity[i])
                }
            }
            #expect(fused.value.scalars == w, "\(optimizer), step \(step)")
            regrade(fused, step: step)
        }
    }
}

extension Double {
    /// `self` to a non-negative integer power, by repeated squaring (as Adam's bias correction computes it).
    func power(_ exponent: Int) -> Double {
        var (result, base, remaining) = (1.0, self, exponent)
        while remaining > 0 {
            if remaining & 1 == 1 { result *= base }
            base *= base
            remaining >>= 1
        }
        return result
    }
}
