/// The image preparation used by the EfficientNet reference evaluation, reproduced so that
/// our classifier sees the same pixels as the Python reference.
public enum Preprocess {
    /// The fraction of the resized image that the evaluation crop keeps.
    static let cropFraction = 0.875

    /// The EfficientNet evaluation crop, exactly as the Pillow reference does it:
    /// scale by `r = size / 0.875 / min(width, height)` to `(round(width·r), round(height·r))`
    /// (round half to even, as Python's `round`) with `resizeBicubic`, then cut out the
    /// central `size`×`size` square, with the odd pixel left over on the right and bottom.
    ///
    /// An image that is already `size`×`size` comes back unchanged, pixel for pixel: it is
    /// taken to be prepared already (for instance an adversarial image that we wrote), and
    /// running the crop again would blur it. The reference recipe would resize it anyway.
    ///
    /// A `size` of 0 or less gives an empty 0×0 image; an image without pixels gives a
    /// black `size`×`size` image.
    public static func centerCrop(_ image: RGBImage, size: Int) -> RGBImage {
        guard size > 0 else { return RGBImage(width: 0, height: 0, pixels: []) }
        if image.width == size && image.height == size { return image }
        let shortSide = min(image.width, image.height)
        guard shortSide > 0 else {
            return RGBImage(width: size, height: size, pixels: [UInt8](repeating: 0, count: size * size * RGBImage.channels))
        }
        // Evaluated in the same order as the Python expression, so the rounding agrees.
        let scale = Double(size) / cropFraction / Double(shortSide)
        let resizedWidth = Int((Double(image.width) * scale).rounded(.toNearestOrEven))
        let resizedHeight = Int((Double(image.height) * scale).rounded(.toNearestOrEven))
        let resized = resizeBicubic(image, width: resizedWidth, height: resizedHeight)
        return crop(resized, left: (resizedWidth - size) / 2, top: (resizedHeight - size) / 2,
                    width: size, height: size)
    }

    /// Resamples like Pillow's `Image.resize((width, height), Image.BICUBIC)` on an RGB
    /// image, bit for bit; see `BicubicResampler` for how.
    ///
    /// Sizes of 0 or less give an image with no pixels; an image without pixels gives a
    /// black image of the requested size.
    public static func resizeBicubic(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        requireConsistent(image)
        guard width > 0, height > 0 else {
            return RGBImage(width: max(width, 0), height: max(height, 0), pixels: [])
        }
        guard image.width > 0, image.height > 0 else {
            return RGBImage(width: width, height: height, pixels: [UInt8](repeating: 0, count: width * height * RGBImage.channels))
        }
        return BicubicResampler.resize(image, width: width, height: height)
    }

    static func crop(_ image: RGBImage, left: Int, top: Int, width: Int, height: Int) -> RGBImage {
        let channels = RGBImage.channels
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * channels)
        for row in top..<top + height {
            let start = (row * image.width + left) * channels
            pixels.append(contentsOf: image.pixels[start..<start + width * channels])
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The resampler reads pixels through unchecked pointers (the module is built with
    /// -Ounchecked, which also removes `precondition`), so a size that disagrees with the
    /// pixel count must stop the program here rather than read out of bounds. Decoded
    /// images are always consistent; only code that builds an RGBImage by hand can get here.
    private static func requireConsistent(_ image: RGBImage) {
        if !image.hasConsistentPixelCount {
            fatalError("RGBImage of \(image.width)×\(image.height) holds \(image.pixels.count) bytes instead of width × height × 3")
        }
    }
}
