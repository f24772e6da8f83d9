/// The heap buffer behind a `Tensor`: `count` Float32 values, 64-byte aligned so AVX-512 loads never split a
/// cache line. Tensors share a storage until one of them writes (copy-on-write).
public final class TensorStorage: @unchecked Sendable {
    /// Alignment of every tensor buffer, in bytes.
    public static let alignment = 64

    /// Number of Float values.
    public let count: Int
    /// The first value; valid for `count` values while the storage lives.
    public let pointer: UnsafeMutablePointer<Float>
    /// The allocation `pointer` lies in.
    private let allocation: UnsafeMutableRawPointer

    /// Uninitialised storage: the caller must write every value before reading.
    ///
    /// The buffer is a plain `malloc` one alignment longer, rounded up, not an aligned allocation: glibc 2.36's
    /// `memalign` leaves small free fragments beside each buffer that keep freed buffers from merging, and
    /// Inception's inference over 60,000 images grew the heap by ~17 MB per batch, to 6 GB resident
    /// (Benchmarks/compare/README.md, "Memory").
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "TensorStorage: negative count \(count)")
        self.count = count
        allocation = UnsafeMutableRawPointer.allocate(
            byteCount: max(count, 1) * MemoryLayout<Float>.stride + Self.alignment,
            alignment: MemoryLayout<Float>.alignment)
        let aligned = (Int(bitPattern: allocation) + Self.alignment - 1) & ~(Self.alignment - 1)
        pointer = (allocation + (aligned - Int(bitPattern: allocation))).bindMemory(to: Float.self,
                                                                                    capacity: max(count, 1))
    }

    /// Storage with every value set to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    /// A fresh copy of this storage's values.
    public func copy() -> TensorStorage {
        let clone = TensorStorage(uninitializedCount: count)
        clone.pointer.update(from: pointer, count: count)
        return clone
    }

    deinit {
        allocation.deallocate()
    }
}
