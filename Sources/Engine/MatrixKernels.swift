import CBLASLoader
import Foundation

/// The matrix-product library as the engine uses it: OpenBLAS loaded with kernels chosen by
/// ``KernelChoice`` and checked against a plain loop before its first use.
public struct MatrixKernels: Sendable {
    /// The kernels OpenBLAS reports it initialised ("SkylakeX", "Haswell", …).
    public let coreName: String
    /// OpenBLAS's build description ("OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY …").
    public let configuration: String
    public let choice: KernelChoice
    public let cpu: CPUIdentification

    /// The soname of Debian's OpenBLAS (packages libopenblas0-pthread or libopenblas0-openmp).
    static let libraryName = "libopenblas.so.0"

    /// Loaded and checked once per process, on first use.
    static let loaded: Result<MatrixKernels, EngineError> = {
        let cpu = CPUIdentification.current
        let choice = KernelChoice.choose(for: cpu, userCoreType: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])
        var message = [CChar](repeating: 0, count: 512)
        let status = message.withUnsafeMutableBufferPointer { buffer in
            trilobite_blas_load(libraryName, choice.coreType, buffer.baseAddress, buffer.count)
        }
        guard status == 0 else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(.matrixLibraryUnavailable(library: libraryName, reason: reason))
        }
        let coreName = trilobite_blas_corename().map { String(cString: $0) } ?? "unknown"
        let configuration = trilobite_blas_config().map { String(cString: $0) } ?? "OpenBLAS"
        if let failure = GEMMSelfCheck.run(using: GEMMSelfCheck.openBLAS) {
            return .failure(.wrongMatrixProducts(kernels: coreName, detail: failure.description))
        }
        return .success(MatrixKernels(coreName: coreName, configuration: configuration, choice: choice, cpu: cpu))
    }()

    /// The loaded kernels, or the reason there are none (no library, or wrong products).
    public static func ready() throws(EngineError) -> MatrixKernels {
        try loaded.get()
    }

    /// One line for reports: "OpenBLAS 0.3.21 (SkylakeX kernels: the CPU has AVX-512 F, DQ, BW and VL)".
    public var description: String {
        let version = configuration.split(separator: " ").prefix(2).joined(separator: " ")
        return "\(version.isEmpty ? "OpenBLAS" : version) (\(coreName) kernels: \(choice.reason))"
    }
}

/// Checks a GEMM against a plain loop on shapes like the network's, so that kernels that compute
/// wrong products on this CPU (older OpenBLAS builds have, on some) stop the engine with a clear
/// message instead of giving wrong numbers silently. About 2.5 million multiply-adds: a few
/// milliseconds, once per process.
enum GEMMSelfCheck {
    /// `C[m×n] = A[m×k] · op(B)`, row-major, `op(B)` = `B[k×n]` or `Bᵀ` of `B[n×k]`; beta 0.
    typealias Product = @Sendable (_ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
                         _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) -> Void

    static let openBLAS: Product = { transposeB, m, n, k, a, b, c in
        trilobite_sgemm(transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b,
                        Int32(transposeB ? k : n), 0, c, Int32(n))
    }

    struct Shape: Sendable, CustomStringConvertible {
        let m: Int, k: Int, n: Int, transposeB: Bool
        var description: String { "\(m)×\(k) · \(transposeB ? "(\(n)×\(k))ᵀ" : "\(k)×\(n)")" }
    }

    /// Rows and columns that are not multiples of any kernel's register block, so edge code runs
    /// too: a 1×1 expansion, a projection, the classifier's transposed weights, a narrow product.
    static let shapes = [
        Shape(m: 196, k: 40, n: 240, transposeB: false),
        Shape(m: 37, k: 96, n: 144, transposeB: false),
        Shape(m: 49, k: 192, n: 24, transposeB: false),
        Shape(m: 3, k: 1280, n: 100, transposeB: true),
        Shape(m: 100, k: 24, n: 17, transposeB: false),
    ]

    struct Failure: Sendable, CustomStringConvertible {
        let shape: Shape
        let row: Int, column: Int
        let error: Double, allowed: Double
        var description: String {
            let found = error.isFinite ? String(format: "off by %.3g", error) : "not a number"
            return "a \(shape) product is \(found) at row \(row), column \(column), where float32 rounding allows at most \(String(format: "%.3g", allowed))"
        }
    }

    static func run(using product: Product) -> Failure? {
        var state: UInt64 = 0x7A11_0B17E
        func nextValue() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 23) - 1
        }
        for shape in shapes {
            let a = (0..<(shape.m * shape.k)).map { _ in nextValue() }
            let b = (0..<(shape.k * shape.n)).map { _ in nextValue() }
            // NaN in C before the product: with beta 0 the kernels must overwrite, never read, it.
            var c = [Float](repeating: .nan, count: shape.m * shape.n)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        product(shape.transposeB, shape.m, shape.n, shape.k, a.baseAddress!, b.baseAddress!, c.baseAddress!)
                    }
                }
            }
            // Any order of float32 sums stays within k·2⁻²⁴·Σ|a||b| of the exact value (the
            // classic bound γ_k); twice that leaves room for fused multiply-adds and still fails
            // on any wrong element, whose error is of the order of Σ|a||b| itself.
            let unitRoundoff = 1.0 / Double(1 << 24)
            for row in 0..<shape.m {
                for column in 0..<shape.n {
                    var exact = 0.0, magnitude = 0.0
                    for i in 0..<shape.k {
                        let bValue = shape.transposeB ? b[column * shape.k + i] : b[i * shape.n + column]
                        let term = Double(a[row * shape.k + i]) * Double(bValue)
                        exact += term
                        magnitude += abs(term)
                    }
                    let allowed = 2 * Double(shape.k) * unitRoundoff * magnitude
                    let error = abs(Double(c[row * shape.n + column]) - exact)
                    if !(error <= allowed) {
                        return Failure(shape: shape, row: row, column: column, error: error, allowed: allowed)
                    }
                }
            }
        }
        return nil
    }
}
