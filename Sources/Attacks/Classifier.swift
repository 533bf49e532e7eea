/// What an attack needs from a network: logits for a batch of images and the gradient of a
/// scalar loss of the logits with respect to the image pixels.
///
/// Images are on the [0,1] scale (pixel / 255), laid out as `count × side × side × 3`
/// (row-major, interleaved RGB), so that ε bounds and the 8-bit grid (k / 255) are expressed
/// in the units torchattacks and Foolbox use. A conforming type maps them to its own input units.
///
/// Both calls must be functions of their arguments: the same images (and, for the gradient, the
/// same loss gradient) give the same answer. Attacks rely on it to answer a repeated request,
/// such as a grid-mode iterate that rounded to the image of the previous step, without a call.
public protocol Classifier: AnyObject {
    /// Height and width of the square images the network takes.
    var imageSide: Int { get }
    /// Number of output classes.
    var classCount: Int { get }
    /// Model-input units per [0,1] image unit (255/128 for EfficientNet-Lite, whose input is
    /// `(pixel − 127) / 128`). Used to state bounds in model units and to run the talk's update,
    /// which was written in model units.
    var modelInputScale: Float { get }
    /// Logits, `count × classCount`.
    func logits(images: [Float], count: Int) throws -> [Float]
    /// Runs the network forward, asks `lossGradient` for d loss / d logits (`count × classCount`)
    /// given the logits, and back-propagates it to the images.
    /// Returns the logits and d loss / d images (`count × side × side × 3`, [0,1] units).
    func logitsAndGradient(
        images: [Float], count: Int,
        lossGradient: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradient: [Float])
    /// Runs one image forward and back-propagates several loss gradients from that one forward:
    /// `lossGradients` maps the image's logits (`classCount`) to `rows × classCount` values, one
    /// d loss / d logits per row. Returns the logits and one d loss / d image per row
    /// (`rows × side × side × 3`, [0,1] units), each equal to what ``logitsAndGradient(images:count:lossGradient:)``
    /// gives for the image seeded with that row.
    func logitsAndGradients(
        image: [Float], rows: Int,
        lossGradients: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradients: [Float])
}

extension Classifier {
    /// For a classifier without a shared-forward backward: the image replicated once per row,
    /// one batched gradient call, the first copy's logits.
    public func logitsAndGradients(
        image: [Float], rows: Int, lossGradients: ([Float]) -> [Float]
    ) throws -> (logits: [Float], gradients: [Float]) {
        var batch: [Float] = []
        batch.reserveCapacity(rows * image.count)
        for _ in 0..<rows { batch += image }
        let classes = classCount
        let answer = try logitsAndGradient(images: batch, count: rows) { logits in
            lossGradients(Array(logits.prefix(classes)))
        }
        return (Array(answer.logits.prefix(classes)), answer.gradient)
    }
}
