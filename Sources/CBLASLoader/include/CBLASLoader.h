#ifndef TRILOBITE_CBLASLOADER_H
#define TRILOBITE_CBLASLOADER_H

#include <stddef.h>
#include <stdint.h>

/* CPU identification for choosing OpenBLAS kernels. On processors other than x86-64 both
   report zeros, so no x86 feature is ever detected there. */

/* Writes EAX, EBX, ECX, EDX of CPUID(leaf, subleaf) into registers[0...3]. */
void trilobite_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t registers[4]);

/* XCR0: which register states the operating system saves (bit 1 SSE, 2 AVX, 5–7 AVX-512).
   Zero when the OS has not enabled XSAVE, in which case no AVX instruction may run. */
uint64_t trilobite_xgetbv0(void);

/* OpenBLAS, loaded at run time rather than linked: OpenBLAS chooses its kernels once, in its
   initialiser, from the environment variable OPENBLAS_CORETYPE or its own table of CPUs. A
   linked library initialises before any of our code runs, so the engine loads it itself after
   choosing the kernels.

   Loads `library` (dlopen) with OPENBLAS_CORETYPE set to `coretype` while it initialises, unless
   `coretype` is NULL or the variable is already set (the user's choice wins). Returns 0, or -1
   with a message in `message`. Call once; later calls return at once with the first result. */
int trilobite_blas_load(const char *library, const char *coretype, char *message, size_t message_length);

/* Row-major single-precision GEMM, as cblas_sgemm with CblasRowMajor and CblasNoTrans for A:
   C[m×n] = alpha · A[m×k] · op(B) + beta · C, op(B) = B or Bᵀ. Only after a successful load. */
void trilobite_sgemm(int transpose_b, int m, int n, int k, float alpha,
                     const float *a, int lda, const float *b, int ldb,
                     float beta, float *c, int ldc);

/* The kernels OpenBLAS initialised with ("SkylakeX", "Haswell", ...) and its build
   configuration ("OpenBLAS 0.3.21 DYNAMIC_ARCH ..."); NULL before a successful load. */
const char *trilobite_blas_corename(void);
const char *trilobite_blas_config(void);

#endif
