import Testing
@testable import Engine

/// The kernels chosen from a CPU's identification, the CPUID decoding behind it, and the
/// self-check that refuses kernels computing wrong products.
struct KernelChoiceTests {
    // CPUID leaf 1 ECX bits: SSE3 0, SSSE3 9, FMA 12, SSE4.1 19, SSE4.2 20, OSXSAVE 27, AVX 28.
    static let sseThroughAVXAndFMA: UInt32 = 1 << 0 | 1 << 9 | 1 << 12 | 1 << 19 | 1 << 20 | 1 << 27 | 1 << 28
    // Leaf 7 EBX bits: AVX2 5, AVX-512 F 16, DQ 17, CD 28, BW 30, VL 31.
    static let avx2: UInt32 = 1 << 5
    static let avx512: UInt32 = 1 << 16 | 1 << 17 | 1 << 28 | 1 << 30 | 1 << 31
    /// XCR0 with SSE, AVX and all three AVX-512 states saved by the OS.
    static let allStatesSaved: UInt64 = 0xE7

    /// The Intel Xeon host of this machine kind where OpenBLAS 0.3.21 fell back to Prescott:
    /// family 6 model 207 (0xCF: extended model 0xC, model 0xF), stepping 2.
    static let intelHostEAX: UInt32 = 0xC << 16 | 0x6 << 8 | 0xF << 4 | 0x2

    @Test func decodesTheIntelHostThatOpenBLASDoesNotKnow() {
        let cpu = CPUIdentification.identify(vendor: "GenuineIntel", leaf1EAX: Self.intelHostEAX,
                                             leaf1ECX: Self.sseThroughAVXAndFMA, leaf7EBX: Self.avx2 | Self.avx512,
                                             leaf7Subleaf1EAX: 0, xcr0: Self.allStatesSaved)
        #expect(cpu.family == 6)
        #expect(cpu.model == 207)
        #expect(cpu.features == [.sse3, .ssse3, .sse41, .sse42, .avx, .fma, .avx2,
                                 .avx512f, .avx512dq, .avx512cd, .avx512bw, .avx512vl])
        let choice = KernelChoice.choose(for: cpu, userCoreType: nil)
        #expect(choice.coreType == "SkylakeX")
        #expect(choice.reason.contains("AVX-512"))
    }

    @Test func bfloat16SupportSelectsCooperlake() {
        // Leaf 7 subleaf 1 EAX bit 5: AVX-512 BF16, as on this project's AMD EPYC and newer Xeons.
        let cpu = CPUIdentification.identify(vendor: "AuthenticAMD", leaf1EAX: 0xA << 20 | 0xF << 8 | 0x1 << 16 | 0x1 << 4,
                                             leaf1ECX: Self.sseThroughAVXAndFMA, leaf7EBX: Self.avx2 | Self.avx512,
                                             leaf7Subleaf1EAX: 1 << 5, xcr0: Self.allStatesSaved)
        #expect(cpu.family == 25)  // 0xF + extended family 0xA: Zen 4
        #expect(cpu.model == 17)
        #expect(cpu.features.contains(.avx512bf16))
        #expect(KernelChoice.choose(for: cpu, userCoreType: nil).coreType == "Cooperlake")
    }

    @Test func anOperatingSystemThatDoesNotSaveAVX512StateGetsAVX2Kernels() {
        // XCR0 = 0x7: x87, SSE and AVX state only, so AVX-512 instructions would fault.
        let cpu = CPUIdentification.identify(vendor: "GenuineIntel", leaf1EAX: Self.intelHostEAX,
                                             leaf1ECX: Self.sseThroughAVXAndFMA, leaf7EBX: Self.avx2 | Self.avx512,
                                             leaf7Subleaf1EAX: 0, xcr0: 0x7)
        #expect(!cpu.features.contains(.avx512f))
        #expect(KernelChoice.choose(for: cpu, userCoreType: nil).coreType == "Haswell")
        // Without XSAVE enabled at all (XCR0 reads 0) not even AVX may run.
        let noXSAVE = CPUIdentification.identify(vendor: "GenuineIntel", leaf1EAX: Self.intelHostEAX,
                                                 leaf1ECX: Self.sseThroughAVXAndFMA, leaf7EBX: Self.avx2 | Self.avx512,
                                                 leaf7Subleaf1EAX: 0, xcr0: 0)
        #expect(noXSAVE.features == [.sse3, .ssse3, .sse41, .sse42])
        #expect(KernelChoice.choose(for: noXSAVE, userCoreType: nil).coreType == nil)
    }

    @Test(arguments: [
        (CPUIdentification(vendor: "GenuineIntel", family: 6, model: 63, features: [.sse42, .avx, .fma, .avx2]), "Haswell"),
        (CPUIdentification(vendor: "AuthenticAMD", family: 23, model: 49, features: [.sse42, .avx, .fma, .avx2]), "Zen"),
        (CPUIdentification(vendor: "HygonGenuine", family: 24, model: 1, features: [.sse42, .avx, .fma, .avx2]), "Zen"),
        (CPUIdentification(vendor: "GenuineIntel", family: 6, model: 45, features: [.sse42, .avx]), "Sandybridge"),
        (CPUIdentification(vendor: "GenuineIntel", family: 6, model: 26, features: [.sse3, .ssse3, .sse42]), nil),
    ] as [(CPUIdentification, String?)])
    func choosesTheWidestKernelsTheCPUCanRun(_ cpu: CPUIdentification, _ expected: String?) {
        #expect(KernelChoice.choose(for: cpu, userCoreType: nil).coreType == expected)
    }

    @Test func theUsersOwnCoreTypeIsRespected() {
        let cpu = CPUIdentification(vendor: "GenuineIntel", family: 6, model: 207,
                                    features: [.avx, .fma, .avx2, .avx512f, .avx512dq, .avx512bw, .avx512vl])
        let choice = KernelChoice.choose(for: cpu, userCoreType: "Prescott")
        #expect(choice.coreType == nil)
        #expect(choice.reason == "OPENBLAS_CORETYPE=Prescott is set")
        // An empty variable is no choice.
        #expect(KernelChoice.choose(for: cpu, userCoreType: "").coreType == "SkylakeX")
    }

    @Test func openBLASRunsTheChosenKernelsAndPassesItsSelfCheck() throws {
        let kernels = try MatrixKernels.ready()
        if let chosen = kernels.choice.coreType {
            // OpenBLAS names its kernels as we do (its corename table), up to case.
            #expect(kernels.coreName.lowercased() == chosen.lowercased())
        }
        #expect(kernels.description.contains(kernels.coreName))
        #expect(GEMMSelfCheck.run(using: GEMMSelfCheck.openBLAS) == nil)
        print("matrix kernels: \(kernels.description) on \(kernels.cpu)")
    }

    @Test func theSelfCheckRefusesProductsThatAreSlightlyWrong() throws {
        _ = try MatrixKernels.ready()
        // One element off by 0.001: far above float32 rounding of these sums (≈ 5e-5 at most),
        // far below what a test for NaN or garbage would notice.
        let oneElementOff: GEMMSelfCheck.Product = { transposeB, m, n, k, a, b, c in
            GEMMSelfCheck.openBLAS(transposeB, m, n, k, a, b, c)
            c[n + 2] += 0.001
        }
        let failure = try #require(GEMMSelfCheck.run(using: oneElementOff))
        #expect(failure.row == 1 && failure.column == 2)
        #expect(failure.error > failure.allowed)
        #expect(failure.description.contains("product is off by"))
    }

    @Test func theSelfCheckRefusesKernelsThatLeaveTheOutputUnwritten() throws {
        let writesNothing: GEMMSelfCheck.Product = { _, _, _, _, _, _, _ in }
        let failure = try #require(GEMMSelfCheck.run(using: writesNothing))
        #expect(failure.description.contains("not a number"))
        #expect(failure.row == 0 && failure.column == 0)
    }
}
