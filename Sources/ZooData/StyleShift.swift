import ZooTensor

extension Augmentation {
    /// The distortions of a style-shifted test set: strokes up to a full 3x3 dilation thicker or erosion thinner,
    /// rotations up to ±15°, shifts up to ±3 px, sizes ±15%, no elastic field. Stronger than `standard` in every
    /// direction, so it also measures what training augmentation does not cover.
    public static let styleShift = Augmentation(maximumShift: 3, maximumRotation: 15, maximumScale: 0.15,
                                                elasticAlpha: 0, maximumThickness: 1)
}

extension Dataset {
    /// A style-shifted copy of this dataset (usually MNIST's test set): every image redrawn by
    /// `Augmentation.styleShift` from `seed` (image `i` from its own derived seed), labels and order kept, pixels
    /// rounded back to bytes. The same seed gives the same bytes. Throws `AugmentationError.notSquareImages` for
    /// images that are not square and one-channel, `.imagesTooLarge` beyond `Augmentation.maximumSide`.
    public func styleShifted(seed: UInt64 = 0) throws -> Dataset {
        let side = imageShape.first ?? 0
        guard imageShape.count == 2, imageShape[1] == side, side > 0 else {
            throw AugmentationError.notSquareImages(shape: imageShape)
        }
        guard side <= Augmentation.maximumSide else { throw AugmentationError.imagesTooLarge(side: side) }
        let root = SeededGenerator(seed: seed ^ 0x7374_796C_6500)
        let seeds = (0..<count).map { index -> UInt64 in
            var generator = root.derived(UInt64(index))
            return generator.next()
        }
        let shifted = Augmentation.styleShift.apply(to: inputs, side: side, seeds: seeds)
        let bytes = shifted.withUnsafeBufferPointer { values in
            values.map { UInt8(Swift.max(0, Swift.min(255, ($0 * 255).rounded()))) }
        }
        return Dataset(name: name + " (style-shifted, seed \(seed))", pixels: bytes, labels: labels,
                       imageShape: imageShape, classNames: classNames)
    }
}
