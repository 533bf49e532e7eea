#!/usr/bin/env bash
# The engine as first committed (caafa37) against the engine now: alternating timings in one run,
# then a perf profile of each, with the samples grouped by what the time is spent on.
#
#   Benchmarks/profile_before_after.sh [ROUNDS]      (default 3; perf from Debian's linux-perf)
#
# The first engine had no `bench` command, so Benchmarks/first-engine/main.swift (the same
# measurement as `trilobite bench`) is built in place of that commit's main.swift, in a worktree
# under .build-first-engine/ that this script makes and leaves for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
first_commit=caafa37
before_tree=.build-first-engine/tree
if [ ! -d "$before_tree" ]; then
    git worktree add --detach "$before_tree" "$first_commit" >/dev/null
fi
cp Benchmarks/first-engine/main.swift "$before_tree/Sources/trilobite/main.swift"
(cd "$before_tree" && swift build -c release --product trilobite >/dev/null)
swift build -c release --product trilobite >/dev/null
before="$before_tree/.build/release/trilobite"
after=.build/release/trilobite

field() { python3 -c "import json,sys; print(round(json.load(sys.stdin)['$1'], 2))"; }
before_forward=(); before_step=(); after_forward=(); after_step=()
for round in $(seq "$rounds"); do
    b=$("$before" 30 Weights)
    a=$("$after" bench --json)
    before_forward+=("$(field forwardMedianMilliseconds <<<"$b")"); before_step+=("$(field stepMedianMilliseconds <<<"$b")")
    after_forward+=("$(field forwardMedianMilliseconds <<<"$a")"); after_step+=("$(field stepMedianMilliseconds <<<"$a")")
    echo "round $round: first engine forward ${before_forward[-1]} ms, step ${before_step[-1]} ms | now forward ${after_forward[-1]} ms, step ${after_step[-1]} ms" >&2
done
python3 - "${before_forward[*]}" "${before_step[*]}" "${after_forward[*]}" "${after_step[*]}" <<'PY'
import statistics, sys
bf, bs, af, as_ = ([float(v) for v in a.split()] for a in sys.argv[1:5])
m = statistics.median
print(f"Lite0, batch 1, medians over {len(bf)} alternating rounds")
print(f"{'':22s}{'first engine':>13s}{'now':>8s}")
print(f"{'forward (ms)':22s}{m(bf):13.2f}{m(af):8.2f}")
print(f"{'forward+gradient (ms)':22s}{m(bs):13.2f}{m(as_):8.2f}")
PY

if ! perf stat -e task-clock true >/dev/null 2>&1; then
    echo "perf is not available: install linux-perf for the profiles" >&2
    exit 0
fi
profile() { # name, command…
    local name=$1; shift
    perf record -q -F 2000 -o ".build-first-engine/$name.perf" "$@" >/dev/null 2>&1
    perf report -q -i ".build-first-engine/$name.perf" --no-children --sort symbol --stdio 2>/dev/null \
        | python3 -c '
import re, sys
groups = [
    ("matrix products (OpenBLAS sgemm kernels)", r"sgemm_kernel"),
    ("matrix packing (OpenBLAS copy routines)", r"sgemm_.*copy|sgemm_beta"),
    ("depthwise convolution, forward", r"DepthwiseConvolution.*forward"),
    ("depthwise convolution, backward", r"DepthwiseConvolution.*backward"),
    ("generic SIMD min/max (unspecialised)", r"pointwiseM(ax|in)"),
    ("pointwise bias, ReLU6, residual, masks", r"PointwiseConvolution"),
    ("stem convolution", r"StemConvolution"),
    ("memset / memcpy", r"mem(set|cpy|move)"),
    ("kernel and scheduling", r"\[k\]|sched_yield|futex|sem_"),
]
totals = {name: 0.0 for name, _ in groups}; other = 0.0
for line in sys.stdin:
    match = re.match(r"\s*([0-9.]+)%\s+(.*)", line)
    if not match: continue
    share, symbol = float(match.group(1)), match.group(2)
    for name, pattern in groups:
        if re.search(pattern, symbol):
            totals[name] += share; break
    else:
        other += share
for name, _ in groups: print(f"  {totals[name]:5.1f}%  {name}")
print(f"  {other:5.1f}%  everything else")
'
}
echo "Profile of the first engine (perf, share of samples):"
profile first-engine "$before" 60 Weights
echo "Profile now (perf, share of samples):"
profile now "$after" bench --iterations 60
