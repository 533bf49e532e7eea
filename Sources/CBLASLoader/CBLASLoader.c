#define _GNU_SOURCE
#include "CBLASLoader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

void trilobite_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t registers[4]) {
    unsigned int a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid_max(leaf & 0x80000000u, NULL) >= leaf) {
        __cpuid_count(leaf, subleaf, a, b, c, d);
    }
    registers[0] = a; registers[1] = b; registers[2] = c; registers[3] = d;
}

uint64_t trilobite_xgetbv0(void) {
    uint32_t registers[4];
    trilobite_cpuid(1, 0, registers);
    if (!(registers[2] & (1u << 27))) return 0; /* OSXSAVE: XGETBV is allowed */
    uint32_t low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return ((uint64_t)high << 32) | low;
}
#else
void trilobite_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t registers[4]) {
    (void)leaf; (void)subleaf;
    registers[0] = registers[1] = registers[2] = registers[3] = 0;
}

uint64_t trilobite_xgetbv0(void) { return 0; }
#endif

/* cblas_sgemm's enumerations (cblas.h); the values are fixed by the CBLAS standard. */
enum { CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112 };

typedef void (*sgemm_function)(int, int, int, int, int, int, float, const float *, int,
                               const float *, int, float, float *, int);
typedef void (*set_threads_function)(int);
typedef char *(*string_function)(void);

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const char *requested_library;
static const char *requested_coretype;
static int load_result = -1;
static char load_message[512];
static sgemm_function sgemm;
static string_function corename;
static string_function config;

static void *symbol(void *handle, const char *name) {
    void *address = dlsym(handle, name);
    if (!address && load_message[0] == 0) {
        snprintf(load_message, sizeof load_message, "%s has no function %s; is it OpenBLAS?",
                 requested_library, name);
    }
    return address;
}

static void load(void) {
    /* setenv and unsetenv are not safe against a concurrent getenv; this runs once, before the
       engine's first pass, and touches the variable only when the user has not set it. */
    int set_here = requested_coretype != NULL && getenv("OPENBLAS_CORETYPE") == NULL;
    if (set_here) setenv("OPENBLAS_CORETYPE", requested_coretype, 1);
    void *handle = dlopen(requested_library, RTLD_NOW | RTLD_LOCAL);
    if (set_here) unsetenv("OPENBLAS_CORETYPE");
    if (!handle) {
        const char *reason = dlerror();
        snprintf(load_message, sizeof load_message, "%s", reason ? reason : requested_library);
        return;
    }
    sgemm = (sgemm_function)symbol(handle, "cblas_sgemm");
    set_threads_function set_threads = (set_threads_function)symbol(handle, "openblas_set_num_threads");
    corename = (string_function)symbol(handle, "openblas_get_corename");
    config = (string_function)symbol(handle, "openblas_get_config");
    if (!sgemm || !set_threads || !corename || !config) {
        sgemm = NULL; corename = NULL; config = NULL;
        return;
    }
    /* The engine splits every product over its own workers; OpenBLAS's threads would only
       compete with them. */
    set_threads(1);
    load_result = 0;
}

int trilobite_blas_load(const char *library, const char *coretype, char *message, size_t message_length) {
    requested_library = library;
    requested_coretype = coretype;
    pthread_once(&load_once, load);
    if (load_result != 0 && message && message_length > 0) {
        snprintf(message, message_length, "%s", load_message);
    }
    return load_result;
}

void trilobite_sgemm(int transpose_b, int m, int n, int k, float alpha,
                     const float *a, int lda, const float *b, int ldb,
                     float beta, float *c, int ldc) {
    sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, transpose_b ? CBLAS_TRANS : CBLAS_NO_TRANS,
          m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

const char *trilobite_blas_corename(void) { return corename ? corename() : NULL; }
const char *trilobite_blas_config(void) { return config ? config() : NULL; }
