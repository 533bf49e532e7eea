#!/usr/bin/env bash
# Runs the golden tests (Tests/EngineTests/GoldenTests.swift) once per OpenBLAS kernel this CPU
# can run. OpenBLAS picks its kernels when it is loaded, and an explicit OPENBLAS_CORETYPE
# overrides its choice; each kernel sums in its own order, so each one rounds differently and can
# flip a different ReLU6 mask. Prints, per kernel, the kernel OpenBLAS reports, the time, and per
# golden case the errors against the float64 reference and the flip count. Exits non-zero if any
# run fails or OpenBLAS reports another kernel than the one asked for.
#
# Usage: scripts/golden-every-kernel.sh [KERNEL...]   (default: every kernel the CPU can run)
set -euo pipefail
cd "$(dirname "$0")/.."

flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has() {
    local flag
    for flag in "$@"; do [[ "$flags" == *" $flag "* ]] || return 1; done
}

# What each kernel's code needs (OpenBLAS's dynamic-arch choices for x86-64).
kernels=("$@")
if [ ${#kernels[@]} -eq 0 ]; then
    has pni && kernels+=(Prescott)
    has ssse3 sse4_1 sse4_2 popcnt && kernels+=(Nehalem)
    has avx && kernels+=(Sandybridge)
    has avx2 fma && kernels+=(Haswell Zen)
    has avx512f avx512dq avx512bw avx512vl avx512cd && kernels+=(SkylakeX)
    has avx512f avx512dq avx512bw avx512vl avx512cd avx512_bf16 && kernels+=(Cooperlake)
fi
if [ ${#kernels[@]} -eq 0 ]; then
    echo "golden-every-kernel: no OpenBLAS kernel matches this CPU's flags" >&2
    exit 1
fi
echo "CPU: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "Kernels to run: ${kernels[*]}"

# Built once; every run below only loads the test binary with another OPENBLAS_CORETYPE.
swift build --build-tests >/dev/null

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failures=()
printf '\n%-12s %-14s %-8s %-11s %-13s %-13s %-6s %-7s %-12s %-12s %s\n' kernel case seconds logit_error \
    grad_ref_masks grad_computed flips listed worst_stray golden_logit golden_grad
for kernel in "${kernels[@]}"; do
    log="$logs/$kernel.log"
    started=$(date +%s%N)
    status=0
    OPENBLAS_CORETYPE=$kernel swift test --skip-build --filter GoldenTests >"$log" 2>&1 || status=$?
    milliseconds=$(( ($(date +%s%N) - started) / 1000000 ))
    seconds=$(printf '%d.%d' $((milliseconds / 1000)) $((milliseconds % 1000 / 100)))
    reported=$(grep -m1 -o 'kernel=[^ ]*' "$log" | sed 's/^kernel=//' || true)
    echo "$kernel: OpenBLAS reports: ${reported:-nothing (no result line)} kernels; swift test took $seconds s"
    if [ "${reported,,}" != "${kernel,,}" ]; then
        failures+=("$kernel: OpenBLAS ran '${reported:-?}' instead")
    fi
    awk -v kernel="$kernel" -v seconds="$seconds" '
        /^golden-result / {
            for (i = 2; i <= NF; i++) { split($i, pair, "="); value[pair[1]] = pair[2] }
            printf "%-12s %-14s %-8s %-11s %-13s %-13s %-6s %-7s %-12s %-12s %s\n", kernel, value["case"], seconds,
                value["logit_error"], value["gradient_error_reference_masks"], value["gradient_error_as_computed"],
                value["flips"], value["listed"], value["worst_listed_stray"], value["golden_logit_error"],
                value["golden_gradient_error"]
        }
        /^golden-flip / { print "             flip: " substr($0, 13) }' "$log"
    if [ "$status" -ne 0 ]; then
        failures+=("$kernel: swift test exited $status")
        grep -E '✘|error|failed' "$log" | head -20 || true
    fi
done

if [ ${#failures[@]} -ne 0 ]; then
    printf '\nFAILED:\n'
    printf '  %s\n' "${failures[@]}"
    exit 1
fi
echo
echo "Golden tests passed under ${#kernels[@]} OpenBLAS kernels: ${kernels[*]}"
