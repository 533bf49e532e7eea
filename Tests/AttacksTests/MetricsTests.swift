import Attacks
import Foundation
import Testing

/// The two images of Fixtures/ssim_reference.py, 20 rows × 24 columns × 3, by the same formulas.
enum ReferencePair {
    static let height = 20, width = 24

    static func first(_ r: Int, _ c: Int, _ ch: Int) -> Int {
        (r * 37 + c * 11 + ch * 91 + (r * c) % 17) % 256
    }

    static func second(_ r: Int, _ c: Int, _ ch: Int) -> Int {
        var value = first(r, c, ch) + (r * 7 + c * 3 + ch * 5) % 9 - 4
        if (5..<12).contains(r), (8..<16).contains(c) { value += ch != 1 ? 25 : -30 }
        return min(max(value, 0), 255)
    }

    static func image(_ formula: (Int, Int, Int) -> Int) -> [UInt8] {
        var values: [UInt8] = []
        for r in 0..<height { for c in 0..<width { for ch in 0..<3 { values.append(UInt8(formula(r, c, ch))) } } }
        return values
    }
}

@Suite("Metrics of the saved image: L∞, L2, PSNR, SSIM")
struct MetricsTests {
    @Test("SSIM matches scikit-image")
    func ssimMatchesScikitImage() throws {
        let first = ReferencePair.image(ReferencePair.first)
        let second = ReferencePair.image(ReferencePair.second)
        let ssim = try #require(structuralSimilarity(first, second, width: ReferencePair.width,
                                                     height: ReferencePair.height, channels: 3))
        // Reference: Tests/AttacksTests/Fixtures/ssim_reference.py, scikit-image 0.26.0 (NumPy
        // 2.4.6): structural_similarity(gaussian_weights=True, sigma=1.5,
        // use_sample_covariance=False, data_range=255, channel_axis=-1) = 0.984275404047115.
        // Both compute in Double; only the summation order differs, so 1e-9 is ample.
        #expect(abs(ssim - 0.984275404047115) < 1e-9)
        // Same script: peak_signal_noise_ratio(data_range=255) = 28.894801906315159.
        let psnr = try #require(peakSignalToNoiseRatio(first, second))
        #expect(abs(psnr - 28.894801906315159) < 1e-9)
    }

    @Test("identical images: SSIM 1, PSNR absent (+∞), no change")
    func identical() throws {
        let image = makeTestImage()
        let metrics = PerturbationMetrics(original: image, adversarial: image, width: 16, height: 16)
        let ssim = try #require(metrics.ssim)
        #expect(abs(ssim - 1) < 1e-12)
        #expect(metrics.psnr == nil)
        #expect(metrics.linfGreyLevels == 0 && metrics.l2 == 0)
        let json = String(decoding: try JSONEncoder().encode(metrics), as: UTF8.self)
        #expect(!json.contains("psnr"))
    }

    @Test("known L∞, L2 and PSNR")
    func knownValues() throws {
        let original = [UInt8](repeating: 100, count: 16 * 16 * 3)
        var changed = original.map { $0 + 1 }  // every value one level up: MSE = 1
        var metrics = PerturbationMetrics(original: original, adversarial: changed, width: 16, height: 16)
        #expect(metrics.linfGreyLevels == 1)
        #expect(abs(metrics.linf - 1.0 / 255) < 1e-15)
        #expect(abs(metrics.l2GreyLevels - Double(768).squareRoot()) < 1e-9)
        #expect(abs(metrics.l2 - Double(768).squareRoot() / 255) < 1e-12)
        // 10 · log10(255² / 1) = 48.1308036...
        #expect(abs((metrics.psnr ?? 0) - 20 * log10(255.0)) < 1e-9)

        changed[5] = 110  // one value 10 levels up
        metrics = PerturbationMetrics(original: original, adversarial: changed, width: 16, height: 16)
        #expect(metrics.linfGreyLevels == 10)
        #expect(abs(metrics.l2GreyLevels - Double(767 + 100).squareRoot()) < 1e-9)
    }

    @Test("SSIM is below 1 for a changed image and absent for images smaller than the 11×11 window")
    func ssimRange() throws {
        let image = makeTestImage()
        var noisy = image
        for index in stride(from: 0, to: noisy.count, by: 7) { noisy[index] = noisy[index] / 2 }
        let ssim = try #require(structuralSimilarity(image, noisy, width: 16, height: 16, channels: 3))
        #expect(ssim < 0.99 && ssim > 0)
        let small = [UInt8](repeating: 7, count: 10 * 10 * 3)
        #expect(structuralSimilarity(small, small, width: 10, height: 10, channels: 3) == nil)
    }
}
