import Imaging

/// Turns 8-bit RGB pixels into the network's input units, `(pixel − 127) / 128`.
public enum ModelInput {
    public static func values(from image: RGBImage) -> [Float] {
        image.pixels.map { (Float($0) - 127) / 128 }
    }

    /// Reads an image file and prepares it for a model of the given input size: used pixel for
    /// pixel when it already has that size, otherwise resized and centre-cropped.
    public static func load(path: String, size: Int) throws -> (image: RGBImage, input: [Float]) {
        let decoded = try ImageCodec.read(contentsOf: path)
        let cropped = Preprocess.centerCrop(decoded, size: size)
        return (cropped, values(from: cropped))
    }
}
