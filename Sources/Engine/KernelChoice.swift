/// Which OpenBLAS kernels the engine asks for, and why.
///
/// OpenBLAS chooses by its own table of CPU models, and a CPU newer than the table gets its
/// oldest x86-64 kernels: Debian's OpenBLAS 0.3.21 runs SSE3 ("Prescott") code on an Intel Xeon
/// of family 6 model 207, 2.3 times slower than its AVX-512 kernels there. So the engine decides
/// from the instructions the CPU reports, which do not go out of date, and passes the choice to
/// OpenBLAS as it loads. A user's own `OPENBLAS_CORETYPE` is left alone.
public struct KernelChoice: Sendable, Equatable {
    /// The OpenBLAS core type to load with, or nil to let OpenBLAS (or the user's variable) decide.
    public let coreType: String?
    public let reason: String

    public static func choose(for cpu: CPUIdentification, userCoreType: String?) -> KernelChoice {
        if let userCoreType, !userCoreType.isEmpty {
            return KernelChoice(coreType: nil, reason: "OPENBLAS_CORETYPE=\(userCoreType) is set")
        }
        let features = cpu.features
        // The AVX-512 subsets OpenBLAS's SkylakeX kernels are built for (every CPU that has these
        // four also has CD).
        let avx512: Set<CPUIdentification.Feature> = [.avx512f, .avx512dq, .avx512bw, .avx512vl]
        if features.isSuperset(of: avx512) {
            // Cooperlake's single-precision kernels are SkylakeX's; it adds bfloat16 routines,
            // and is what OpenBLAS itself picks for the AVX-512 CPUs it knows that have them.
            if features.contains(.avx512bf16) {
                return KernelChoice(coreType: "Cooperlake", reason: "the CPU has AVX-512 F, DQ, BW, VL and BF16")
            }
            return KernelChoice(coreType: "SkylakeX", reason: "the CPU has AVX-512 F, DQ, BW and VL")
        }
        if features.isSuperset(of: [.avx2, .fma]) {
            // The same AVX2 kernels, with cache blocking tuned for each vendor's cores.
            let amd = cpu.vendor == "AuthenticAMD" || cpu.vendor == "HygonGenuine"
            return KernelChoice(coreType: amd ? "Zen" : "Haswell", reason: "the CPU has AVX2 and FMA")
        }
        if features.contains(.avx) {
            return KernelChoice(coreType: "Sandybridge", reason: "the CPU has AVX")
        }
        return KernelChoice(coreType: nil, reason: "no AVX on this CPU: OpenBLAS's own choice")
    }
}
