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
    }
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
}
