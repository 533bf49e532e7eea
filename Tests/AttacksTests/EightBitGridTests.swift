@testable import Attacks
import Testing

@Suite("The 8-bit grid and the projections")
struct EightBitGridTests {
    @Test("quantisation rounds half to even and clamps, like NumPy and PyTorch")
    func quantisation() {
        let values: [Float] = [-0.2, 0, 0.5 / 255, 1.5 / 255, 2.5 / 255, 0.4 / 255 + 100.0 / 255, 1, 1.3]
        #expect(quantizedToEightBit(values) == [0, 0, 0, 2, 2, 100, 255, 255])
        let levels: [UInt8] = [0, 1, 127, 254, 255]
        #expect(quantizedToEightBit(imageUnits(fromEightBit: levels)) == levels)
    }

    @Test("L∞ grid projection never leaves the ball, also for fractional bounds",
          arguments: [1.0, 1.28, 1.5, 2.0, 7.999, 8.0])
    func linfProjection(greyLevels: Double) {
        let original = makeTestImage()
        let region = FeasibleRegion(original: original, ball: .linf(greyLevels / 255), gridMode: true)
        let allowed = Int((greyLevels + 1e-3).rounded(.down))
        var generator = SeededGenerator(seed: UInt64(greyLevels * 1000))
        for _ in 0..<20 {
            // Points up to 3ε away, so that most values need clipping.
            var image = imageUnits(fromEightBit: original).map {
                $0 + (2 * generator.nextUnitFloat() - 1) * 3 * Float(greyLevels) / 255
            }
            region.project(&image)
            #expect(isOnGrid(image))
            let saved = region.savedImage(of: image)
            #expect(imageUnits(fromEightBit: saved) == image)
            #expect(linfLevels(saved, original) <= allowed)
        }
    }

    @Test("without grid mode the float box is exact and the saved image rounds inward")
    func floatBox() {
        let original = makeTestImage()
        let epsilon = 1.5 / 255
        let region = FeasibleRegion(original: original, ball: .linf(epsilon), gridMode: false)
        var image = imageUnits(fromEightBit: original).map { $0 + 1 }  // far above: clipped to x0 + ε or 1
        region.project(&image)
        let x0 = imageUnits(fromEightBit: original)
        #expect(zip(image, x0).allSatisfy { Double($0 - $1) <= epsilon + 1e-7 && $0 <= 1 })
        #expect(linfLevels(region.savedImage(of: image), original) == 1)
    }

    @Test("L2 grid projection stays inside the ball after rounding", arguments: [0.05, 0.3, 1.0])
    func l2Projection(radius: Double) {
        let original = makeTestImage()
        let region = FeasibleRegion(original: original, ball: .l2(radius), gridMode: true)
        var generator = SeededGenerator(seed: 17)
        for _ in 0..<10 {
            var image = imageUnits(fromEightBit: original).map {
                $0 + Float(generator.nextGaussian()) * Float(radius) / 10
            }
            region.project(&image)
            #expect(isOnGrid(image))
            let saved = region.savedImage(of: image)
            // Integer levels summed in Double: exact; 1e-12 only for the final division.
            #expect(l2ImageUnits(saved, original) <= radius + 1e-12)
            #expect(image.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }

    @Test("an unbounded region only clips to [0,1]")
    func unbounded() {
        let original = makeTestImage()
        let region = FeasibleRegion(original: original, ball: .unbounded, gridMode: false)
        var image = imageUnits(fromEightBit: original)
        for index in image.indices { image[index] += index.isMultiple(of: 2) ? 2 : -2 }
        region.project(&image)
        #expect(image.allSatisfy { $0 == 0 || $0 == 1 })
    }
}
