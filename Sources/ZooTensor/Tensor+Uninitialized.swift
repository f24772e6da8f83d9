extension Tensor {
    /// A tensor of `shape` whose values are not initialised: the caller must write every value before reading
    /// any. For layers that fill their output in parallel chunks (through `withUnsafeMutableBufferPointer`),
    /// where zero-filling first would cost a whole extra pass over memory.
    public init(uninitializedShape shape: [Int]) {
        self.init(shape: shape) { _ in }
    }
}
