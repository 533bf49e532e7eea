import CBLASLoader
import Foundation

/// Splits work over the machine's cores. The engine calls OpenBLAS single-threaded from each of
/// its own workers: at batch 1 most of EfficientNet's matrices are too small for OpenBLAS's
/// threading to pay off, and one split for every kernel keeps results deterministic.
enum Compute {
    static let threadCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs `body(i)` for `i` in `0..<count`, spread over the cores.
    @inline(__always)
    static func parallel(_ count: Int, _ body: (Int) -> Void) {
        if count == 1 {
            body(0)
        } else {
            WorkerPool.shared.run(count, body)
        }
    }

    /// Splits `0..<total` into `parts` contiguous ranges whose bounds are multiples of `granule`.
    @inline(__always)
    static func chunk(_ index: Int, of parts: Int, total: Int, granule: Int = 1) -> Range<Int> {
        let perPart = ((total + parts - 1) / parts + granule - 1) / granule * granule
        let lower = min(total, index * perPart)
        return lower..<min(total, lower + perPart)
    }

    /// `C[m×n] = A[m×k] · op(B)` where `op(B)` is `B[k×n]`, or `Bᵀ` for `B[n×k]` when
    /// `transposeB`; all row-major. The rows (or, for short matrices, the columns) are split over
    /// the cores, and `epilogue(rows, columns)` runs on each finished block from the same worker
    /// while it is still in cache (bias, ReLU6, residual). `prologue(rows)` prepares rows of A
    /// (ReLU6's mask in the backward pass) before they are read. Only after
    /// ``MatrixKernels/ready()`` has succeeded, as every network pass checks first.
    static func gemm(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, transposeB: Bool,
        c: UnsafeMutablePointer<Float>,
        epilogue: (Range<Int>, Range<Int>) -> Void = { _, _ in },
        prologue: ((Range<Int>) -> Void)? = nil
    ) {
        let parts = threadCount
        let splitRows = m >= 32 * parts || n < 16 * parts
        let ldb = transposeB ? k : n
        if !splitRows, let prologue {
            // Every column block reads all rows of A, so A must be finished before any starts.
            parallel(parts) { part in prologue(chunk(part, of: parts, total: m, granule: 4)) }
        }
        parallel(splitRows ? min(parts, m) : parts) { part in
            if splitRows {
                let rows = chunk(part, of: parts, total: m, granule: 4)
                guard !rows.isEmpty else { return }
                prologue?(rows)
                trilobite_sgemm(transposeB ? 1 : 0, Int32(rows.count), Int32(n), Int32(k), 1,
                                a + rows.lowerBound * k, Int32(k), b, Int32(ldb), 0,
                                c + rows.lowerBound * n, Int32(n))
                epilogue(rows, 0..<n)
            } else {
                let columns = chunk(part, of: parts, total: n, granule: 16)
                guard !columns.isEmpty else { return }
                let bBlock = transposeB ? b + columns.lowerBound * k : b + columns.lowerBound
                trilobite_sgemm(transposeB ? 1 : 0, Int32(m), Int32(columns.count), Int32(k), 1,
                                a, Int32(k), bBlock, Int32(ldb), 0,
                                c + columns.lowerBound, Int32(n))
                epilogue(0..<m, columns)
            }
        }
    }

    // The element loops below are plain scalar code on purpose: LLVM vectorises them to the
    // machine's full width, while the standard library's generic SIMD masks and `clamped` are
    // not specialised and cost a function call per vector.

    /// Multiplies `gradient` by ReLU6's derivative, read off the layer's output: 1 where
    /// 0 < y < 6, else 0 (the same strict inequalities as PyTorch's hardtanh backward).
    @inline(__always)
    static func maskReLU6(_ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, range: Range<Int>) {
        for i in range {
            // Two selects rather than `&&`, whose short-circuit branch would stop vectorisation.
            let y = output[i]
            var g = gradient[i]
            g = y > 0 ? g : 0
            g = y < 6 ? g : 0
            gradient[i] = g
        }
    }

    /// min(max(v, 0), 6) over `count` values.
    @inline(__always)
    static func clampReLU6(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { values[i] = min(max(values[i], 0), 6) }
    }

    /// Adds `bias[column]` to every row of the block and optionally clamps to [0, 6].
    @inline(__always)
    static func addBias(
        _ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Range<Int>, columns: Range<Int>,
        bias: UnsafePointer<Float>, relu6: Bool
    ) {
        for row in rows {
            let line = c + row * ldc
            if relu6 {
                for j in columns { line[j] = min(max(line[j] + bias[j], 0), 6) }
            } else {
                for j in columns { line[j] += bias[j] }
            }
        }
    }

}
