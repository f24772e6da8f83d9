import Dispatch
import Synchronization
import Testing
import ZooData
import ZooTensor

@Suite("Augmentation: seeded distortions of digit images, batched off the training thread")
struct AugmentationTests {
    /// Six 12x12 images, each a 2-pixel-wide vertical bar at another column.
    let images: Tensor = Tensor(shape: [6, 144]) { out in
        for i in 0..<out.count { out[i] = 0 }
        for image in 0..<6 {
            for y in 2..<10 {
                for x in (3 + image)..<(5 + image) { out[image * 144 + y * 12 + x] = 1 }
            }
        }
    }
    let seeds: [UInt64] = [11, 12, 13, 14, 15, 16]

    @Test func theSameSeedsGiveTheSameImagesAndOtherSeedsOthers() {
        let augmentation = Augmentation.standard
        let first = augmentation.apply(to: images, side: 12, seeds: seeds)
        #expect(first.shape == images.shape)
        #expect(first.scalars == augmentation.apply(to: images, side: 12, seeds: seeds).scalars)
        #expect(first.scalars != augmentation.apply(to: images, side: 12, seeds: seeds.map { $0 + 100 }).scalars)
        #expect(first.scalars != images.scalars)
        #expect(first.scalars.allSatisfy { $0.isFinite && $0 >= -1e-5 && $0 <= 1 + 1e-5 })
    }

    @Test func noDistortionKeepsTheImages() {
        let none = Augmentation(maximumShift: 0, maximumRotation: 0, maximumScale: 0, elasticAlpha: 0,
                                maximumThickness: 0)
        let output = none.apply(to: images, side: 12, seeds: seeds)
        #expect(zip(output.scalars, images.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func aShiftMovesTheInkAndKeepsItsAmount() {
        let shift = Augmentation(maximumShift: 2, maximumRotation: 0, maximumScale: 0, elasticAlpha: 0,
                                 maximumThickness: 0)
        let output = shift.apply(to: images, side: 12, seeds: seeds)
        for image in 0..<6 {
            let before = Array(images.scalars[(image * 144)..<((image + 1) * 144)])
            let after = Array(output.scalars[(image * 144)..<((image + 1) * 144)])
            #expect(abs(before.reduce(0, +) - after.reduce(0, +)) < 0.5, "the bar stays inside the image")
            #expect(before != after)
        }
    }

    @Test func thicknessAddsOrRemovesInk() {
        let stroke = Augmentation(maximumShift: 0, maximumRotation: 0, maximumScale: 0, elasticAlpha: 0,
                                  maximumThickness: 1)
        let output = stroke.apply(to: images, side: 12, seeds: seeds)
        let inkBefore = images.scalars.reduce(0, +)
        var changed = 0
        for image in 0..<6 {
            let before = images.scalars[(image * 144)..<((image + 1) * 144)].reduce(0, +)
            let after = output.scalars[(image * 144)..<((image + 1) * 144)].reduce(0, +)
            if abs(after - before) > 0.5 { changed += 1 }
        }
        #expect(changed >= 4, "most images get thicker or thinner strokes")
        #expect(inkBefore > 0)
    }

    @Test func standardisedImagesDistortLikeRawOnes() {
        let (mean, deviation): (Float, Float) = (0.13, 0.3)
        let standardised = images.map { ($0 - mean) / deviation }
        let raw = Augmentation.standard.apply(to: images, side: 12, seeds: seeds)
        let viaStandardised = Augmentation.standard.apply(to: standardised, side: 12, background: -mean / deviation,
                                                          seeds: seeds)
        #expect(zip(raw.scalars, viaStandardised.scalars).allSatisfy { abs(($0 - mean) / deviation - $1) < 1e-3 })
    }

    @Test func anAugmentingLoaderKeepsLabelsAndRepeatsEachEpoch() throws {
        let labels = [0, 1, 2, 3, 4, 5]
        let plain = DataLoader(inputs: images, labels: labels, batchSize: 4, seed: 3)
        let loader = try plain.augmented(.standard)
        let epoch0 = Array(loader.batches(epoch: 0)), again = Array(loader.batches(epoch: 0))
        let plainBatches = Array(plain.batches(epoch: 0))
        #expect(epoch0.count == 2 && epoch0.map(\.inputs.shape) == [[4, 144], [2, 144]])
        #expect(epoch0.map(\.labels) == plainBatches.map(\.labels))
        #expect(epoch0.map(\.indices) == plainBatches.map(\.indices))
        for batch in epoch0 { #expect(batch.labels == batch.indices.map { labels[$0] }) }
        #expect(epoch0.map(\.inputs.scalars) == again.map(\.inputs.scalars))
        #expect(epoch0.map(\.inputs.scalars) != plainBatches.map(\.inputs.scalars))
        let epoch1 = Array(loader.batches(epoch: 1))
        let sample = epoch0[0].indices[0]
        let row1 = epoch1.flatMap { batch in batch.indices.enumerated().filter { $0.element == sample }
            .map { batch.inputs.rows($0.offset..<($0.offset + 1)).scalars } }
        #expect(row1.count == 1 && row1[0] != epoch0[0].inputs.rows(0..<1).scalars, "a new distortion each epoch")
        // A sample's distortion depends on its seed, epoch and index only, not on the batch it falls in.
        let other = try DataLoader(inputs: images, labels: labels, batchSize: 1, seed: 3).augmented(.standard)
        let single = Array(other.batches(epoch: 0)).first { $0.indices == [sample] }
        #expect(single?.inputs.scalars == epoch0[0].inputs.rows(0..<1).scalars)
    }

    @Test func anyWorkerCountGivesTheSameBytes() throws {
        for augmentation in [Augmentation.standard, .styleShift] {
            let one = augmentation.apply(to: images, side: 12, seeds: seeds, workers: 1)
            for workers in [2, 3, 6, 16] {
                let many = augmentation.apply(to: images, side: 12, seeds: seeds, workers: workers)
                #expect(many.scalars.map(\.bitPattern) == one.scalars.map(\.bitPattern), "\(workers) workers")
            }
        }
        // Through the loader, which gathers and distorts in one pass and prepares each next batch on another thread.
        let labels = [0, 1, 2, 3, 4, 5]
        let plain = DataLoader(inputs: images, labels: labels, batchSize: 4, seed: 3)
        let serial = try plain.augmented(.standard, workers: 1), parallel = try plain.augmented(.standard, workers: 2)
        #expect(parallel.augmentationWorkers == 2)
        for epoch in 0..<3 {
            let (a, b) = (Array(serial.batches(epoch: epoch)), Array(parallel.batches(epoch: epoch)))
            #expect(a.map { $0.inputs.scalars.map(\.bitPattern) } == b.map { $0.inputs.scalars.map(\.bitPattern) })
            #expect(a.map(\.labels) == b.map(\.labels))
            for batch in a {
                let direct = Augmentation.standard.apply(
                    to: images.gatherRows(batch.indices), side: 12,
                    seeds: batch.indices.map { serial.augmentationSeed(epoch: epoch, index: $0) })
                #expect(batch.inputs.scalars == direct.scalars, "a batch is its rows distorted by their own seeds")
            }
        }
    }

    @Test func aLoaderDistortingInPlaceGivesThePrefetchedBytes() throws {
        let side = 28, background: Float = -0.424_212_1
        let images = Self.inkedImages(count: 37, side: side, background: background, seed: 4)
        let labels = (0..<37).map { $0 % 10 }
        let ahead = try DataLoader(inputs: images, labels: labels, batchSize: 16, seed: 5)
            .augmented(.standard, background: background)
        // Uneven ranges, run on several threads at once, in an order that is not the samples'.
        let calls = Counter()
        let inPlace = ahead.distortingInPlace { count, body in
            calls.add()
            let cuts = [0, count / 3, count / 3 + 1, count]
            DispatchQueue.concurrentPerform(iterations: 3) { part in body(cuts[2 - part]..<cuts[3 - part]) }
        }
        #expect(!ahead.distortsInPlace && inPlace.distortsInPlace)
        for epoch in 0..<2 {
            let (a, b) = (Array(ahead.batches(epoch: epoch)), Array(inPlace.batches(epoch: epoch)))
            #expect(a.map { $0.inputs.scalars.map(\.bitPattern) } == b.map { $0.inputs.scalars.map(\.bitPattern) })
            #expect(a.map(\.labels) == b.map(\.labels) && a.map(\.indices) == b.map(\.indices))
        }
        #expect(calls.value == 2 * 3, "every batch of both epochs is shared out by the splitter")
        // A subset (the trainer's split off a validation share) keeps distorting in place.
        let part = inPlace.subset(Array(0..<20), shuffle: true)
        #expect(part.distortsInPlace && !inPlace.subset(Array(0..<20), shuffle: false, augmenting: false).distortsInPlace)
    }

    @Test func eachDistortionAloneChangesTheImages() {
        let off = Augmentation(maximumShift: 0, maximumRotation: 0, maximumScale: 0, elasticAlpha: 0,
                               maximumThickness: 0)
        var rotation = off, scale = off, elastic = off
        rotation.maximumRotation = 10
        scale.maximumScale = 0.1
        elastic.elasticAlpha = 34
        for (name, augmentation) in [("rotation", rotation), ("scale", scale), ("elastic", elastic)] {
            let output = augmentation.apply(to: images, side: 12, seeds: seeds)
            let changed = (0..<6).filter { image in
                let range = (image * 144)..<((image + 1) * 144)
                return zip(output.scalars[range], images.scalars[range]).contains { abs($0 - $1) > 0.05 }
            }
            #expect(changed.count >= 5, "\(name) changes the images")
            #expect(output.scalars.allSatisfy { $0.isFinite && $0 >= -1e-5 && $0 <= 1 + 1e-5 }, "\(name)")
        }
    }

    /// Images of `side` x `side` with ink in [0, 1] on about a third of the pixels, the rest `background`.
    static func inkedImages(count: Int, side: Int, background: Float, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: [count, side * side]) { out in
            for i in 0..<out.count {
                out[i] = generator.nextUniform() < 0.35 ? generator.nextUniform() : background
            }
        }
    }

    /// Every setting the kernel has a branch for: the defaults, the style shift, each limit alone at 0, all at 0,
    /// every limit at the top of its range, and the smoothest and roughest elastic grids.
    static let kernelSettings: [(String, Augmentation)] = {
        var settings: [(String, Augmentation)] = [("standard", .standard), ("style shift", .styleShift)]
        let zeroed: [(String, WritableKeyPath<Augmentation, Float>)] = [
            ("shift", \.maximumShift), ("rotation", \.maximumRotation), ("scale", \.maximumScale),
            ("elastic", \.elasticAlpha), ("thickness", \.maximumThickness)]
        var none = Augmentation.standard
        for (name, key) in zeroed {
            var one = Augmentation.standard
            one[keyPath: key] = 0
            none[keyPath: key] = 0
            settings.append(("no \(name)", one))
        }
        settings.append(("none", none))
        settings.append(("largest", Augmentation(maximumShift: 64, maximumRotation: 180, maximumScale: 0.9,
                                                 elasticAlpha: 1000, elasticSigma: 0.5, maximumThickness: 1)))
        settings.append(("smooth", Augmentation(elasticAlpha: 200, elasticSigma: 32)))
        settings.append(("thin only", Augmentation(maximumShift: 0.5, maximumRotation: 3, maximumScale: 0.02,
                                                   elasticAlpha: 8, elasticSigma: 1.5, maximumThickness: 0.3)))
        return settings
    }()

    @Test(arguments: [28, 13, 1, 2, 5])
    func theKernelGivesTheReferenceImplementationsBytes(side: Int) {
        let seeds = (0..<24).map { UInt64($0) * 0x9E37_79B9 + UInt64(side) }
        var compared = 0
        for background: Float in [0, -0.424_212_1, 0.7, -0.0] {
            let images = Self.inkedImages(count: seeds.count, side: side, background: background, seed: UInt64(side))
            for (name, augmentation) in Self.kernelSettings {
                let reference = referenceDistortion(augmentation, of: images.scalars, side: side,
                                                    background: background, seeds: seeds).map(\.bitPattern)
                for workers in [1, 2, 3] {
                    let output = augmentation.apply(to: images, side: side, background: background, seeds: seeds,
                                                    workers: workers)
                    let bits = output.scalars.map(\.bitPattern)
                    let first = zip(bits, reference).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    #expect(first == nil,
                            "\(name), side \(side), background \(background), \(workers) workers: pixel \(first ?? -1)")
                    compared += 1
                }
            }
        }
        #expect(compared == 4 * Self.kernelSettings.count * 3)
    }

    @Test func aLoadersBatchesAreTheReferenceDistortionsOfTheirRows() throws {
        let side = 28, background: Float = -0.424_212_1
        let images = Self.inkedImages(count: 37, side: side, background: background, seed: 9)
        let labels = (0..<37).map { $0 % 10 }
        for workers in [1, 2, 3] {
            let loader = try DataLoader(inputs: images, labels: labels, batchSize: 16, seed: 5)
                .augmented(.standard, background: background, workers: workers)
            for epoch in 0..<2 {
                for batch in loader.batches(epoch: epoch) {
                    let reference = referenceDistortion(
                        .standard, of: images.gatherRows(batch.indices).scalars, side: side, background: background,
                        seeds: batch.indices.map { loader.augmentationSeed(epoch: epoch, index: $0) })
                    #expect(batch.inputs.scalars.map(\.bitPattern) == reference.map(\.bitPattern),
                            "\(workers) workers, epoch \(epoch)")
                }
            }
        }
    }

    @Test func badSettingsAndShapesAreRefused() {
        let loader = DataLoader(inputs: Tensor(zeros: [4, 10]), labels: [0, 1, 0, 1], batchSize: 2)
        #expect(throws: AugmentationError.notSquareImages(shape: [10])) { try loader.augmented(.standard) }
        let color = DataLoader(inputs: Tensor(zeros: [2, 4, 4, 3]), labels: [0, 1], batchSize: 2)
        #expect(throws: AugmentationError.notSquareImages(shape: [4, 4, 3])) { try color.augmented(.standard) }
        var bad = Augmentation.standard
        bad.maximumRotation = .nan
        #expect(throws: AugmentationError.self) { try bad.validate() }
        bad = .standard
        bad.elasticSigma = 0
        #expect(throws: AugmentationError.outOfRange(name: "elastic sigma", value: 0, range: 0.5...32)) {
            try bad.validate()
        }
        #expect("\(AugmentationError.notSquareImages(shape: [10]))".contains("square one-channel images"))
        // The kernel indexes with 32-bit integers: images beyond maximumSide are refused, not distorted.
        let side = Augmentation.maximumSide + 1
        let huge = DataLoader(inputs: Tensor(zeros: [1, side * side]), labels: [0], batchSize: 1)
        #expect(throws: AugmentationError.imagesTooLarge(side: side)) { try huge.augmented(.standard) }
        #expect("\(AugmentationError.imagesTooLarge(side: side))".contains("up to 4096 pixels a side"))
    }
}

/// A count that several threads add to.
final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

@Test("A style-shifted dataset keeps labels and shape, changes the images, and is the same bytes for a seed")
func styleShiftedDataset() throws {
    let pixels = (0..<(8 * 144)).map { index -> UInt8 in
        let x = index % 12, y = (index / 12) % 12
        return (4...7).contains(x) && (2...9).contains(y) ? 255 : 0
    }
    let dataset = Dataset(name: "bars", pixels: pixels, labels: Array(0..<8), imageShape: [12, 12],
                          classNames: (0..<8).map { "\($0)" })
    let shifted = try dataset.styleShifted(seed: 1)
    #expect(shifted.labels == dataset.labels && shifted.imageShape == [12, 12] && shifted.count == 8)
    #expect(shifted.pixels != dataset.pixels)
    #expect(shifted.pixels == (try dataset.styleShifted(seed: 1)).pixels)
    #expect(shifted.pixels != (try dataset.styleShifted(seed: 2)).pixels)
    let odd = Dataset(name: "odd", pixels: [UInt8](repeating: 0, count: 12), labels: [0, 1], imageShape: [2, 3],
                      classNames: ["a", "b"])
    #expect(throws: AugmentationError.notSquareImages(shape: [2, 3])) { try odd.styleShifted() }
    let side = Augmentation.maximumSide + 1
    let huge = Dataset(name: "huge", pixels: [UInt8](repeating: 0, count: side * side), labels: [0],
                       imageShape: [side, side], classNames: ["a"])
    #expect(throws: AugmentationError.imagesTooLarge(side: side)) { try huge.styleShifted() }
}
