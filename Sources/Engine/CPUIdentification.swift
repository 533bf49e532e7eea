import CBLASLoader

/// What an x86-64 processor is and which vector instructions it can run, as far as choosing
/// matrix kernels needs to know. A feature counts only when the operating system also saves its
/// registers (XCR0): a CPU with AVX-512 under an OS that does not enable it cannot run AVX-512.
public struct CPUIdentification: Sendable, Equatable, CustomStringConvertible {
    /// Named as in /proc/cpuinfo's flags (which calls SSE3 "pni").
    public enum Feature: String, CaseIterable, Sendable {
        case sse3, ssse3, sse41 = "sse4_1", sse42 = "sse4_2", avx, fma, avx2
        case avx512f, avx512dq, avx512cd, avx512bw, avx512vl, avx512bf16 = "avx512_bf16"
    }

    /// "GenuineIntel", "AuthenticAMD", "HygonGenuine", … (empty off x86).
    public var vendor: String
    /// Display family and model, as /proc/cpuinfo shows them.
    public var family: Int
    public var model: Int
    public var features: Set<Feature>

    public init(vendor: String, family: Int, model: Int, features: Set<Feature>) {
        self.vendor = vendor
        self.family = family
        self.model = model
        self.features = features
    }

    public var description: String {
        let listed = Feature.allCases.filter(features.contains).map(\.rawValue).joined(separator: " ")
        return "\(vendor.isEmpty ? "unknown vendor" : vendor) family \(family) model \(model) (\(listed.isEmpty ? "no SIMD extensions detected" : listed))"
    }

    /// The processor this process runs on.
    public static let current: CPUIdentification = {
        func cpuid(_ leaf: UInt32, _ subleaf: UInt32 = 0) -> [UInt32] {
            var registers: [UInt32] = [0, 0, 0, 0]
            registers.withUnsafeMutableBufferPointer { trilobite_cpuid(leaf, subleaf, $0.baseAddress) }
            return registers
        }
        let leaf0 = cpuid(0)
        let vendorBytes = [leaf0[1], leaf0[3], leaf0[2]].flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
        let vendor = String(decoding: vendorBytes.filter { $0 != 0 }, as: UTF8.self)
        let maxLeaf = leaf0[0]
        let leaf1 = maxLeaf >= 1 ? cpuid(1) : [0, 0, 0, 0]
        let leaf7 = maxLeaf >= 7 ? cpuid(7) : [0, 0, 0, 0]
        let leaf7sub1 = maxLeaf >= 7 && leaf7[0] >= 1 ? cpuid(7, 1) : [0, 0, 0, 0]
        return identify(vendor: vendor, leaf1EAX: leaf1[0], leaf1ECX: leaf1[2], leaf7EBX: leaf7[1],
                        leaf7Subleaf1EAX: leaf7sub1[0], xcr0: trilobite_xgetbv0())
    }()

    /// Decodes the CPUID words (Intel SDM vol. 2A, "CPUID"; AMD's are the same for these bits).
    static func identify(vendor: String, leaf1EAX: UInt32, leaf1ECX: UInt32, leaf7EBX: UInt32,
                         leaf7Subleaf1EAX: UInt32, xcr0: UInt64) -> CPUIdentification {
        let baseFamily = Int((leaf1EAX >> 8) & 0xF)
        let family = baseFamily == 0xF ? baseFamily + Int((leaf1EAX >> 20) & 0xFF) : baseFamily
        var model = Int((leaf1EAX >> 4) & 0xF)
        if baseFamily == 0x6 || baseFamily == 0xF { model += Int((leaf1EAX >> 16) & 0xF) << 4 }

        func bit(_ word: UInt32, _ index: Int) -> Bool { word & (1 << UInt32(index)) != 0 }
        // XCR0 bits 1–2: SSE and AVX (YMM) state; bits 5–7: AVX-512 opmask and ZMM state.
        let osSavesYMM = xcr0 & 0x6 == 0x6
        let osSavesZMM = osSavesYMM && xcr0 & 0xE0 == 0xE0
        var features: Set<Feature> = []
        let candidates: [(Feature, Bool, Bool)] = [
            (.sse3, bit(leaf1ECX, 0), true), (.ssse3, bit(leaf1ECX, 9), true),
            (.sse41, bit(leaf1ECX, 19), true), (.sse42, bit(leaf1ECX, 20), true),
            (.avx, bit(leaf1ECX, 28), osSavesYMM), (.fma, bit(leaf1ECX, 12), osSavesYMM),
            (.avx2, bit(leaf7EBX, 5), osSavesYMM),
            (.avx512f, bit(leaf7EBX, 16), osSavesZMM), (.avx512dq, bit(leaf7EBX, 17), osSavesZMM),
            (.avx512cd, bit(leaf7EBX, 28), osSavesZMM), (.avx512bw, bit(leaf7EBX, 30), osSavesZMM),
            (.avx512vl, bit(leaf7EBX, 31), osSavesZMM), (.avx512bf16, bit(leaf7Subleaf1EAX, 5), osSavesZMM),
        ]
        for (feature, present, enabled) in candidates where present && enabled { features.insert(feature) }
        return CPUIdentification(vendor: vendor, family: family, model: model, features: features)
    }
}
