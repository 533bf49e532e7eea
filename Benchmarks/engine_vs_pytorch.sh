#!/usr/bin/env bash
# Side-by-side timing of the Swift engine and the PyTorch peer (timm EfficientNet-Lite0, same
# weights, batch 1, 2 threads), alternating the two programs ROUNDS times in one run, since
# machines are noisy and only figures from the same run compare.
# Usage: Benchmarks/engine_vs_pytorch.sh [ROUNDS] [MODEL]   (needs ../shared/reference/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
model=${2:-lite0}
variant=${model#lite}
reference=${TRILOBITE_REFERENCE:-../shared/reference}
python=$("$reference/setup.sh" /tmp/trilobite-refenv)
swift build -c release --product trilobite >/dev/null
# Timings mean little without the machine: CPU, and the kernels the engine chose for it.
awk -F': ' '/^vendor_id|^cpu family|^model\t|^model name/ && !seen[$1]++ {printf "%s: %s\n", $1, $2}' /proc/cpuinfo | sed 's/\t//g'
echo "OPENBLAS_CORETYPE: ${OPENBLAS_CORETYPE:-(not set)}"
.build/release/trilobite bench --model "$model" --iterations 1 | head -1
ours_fwd=(); ours_step=(); peer_fwd=(); peer_step=(); ours_batch=()
for round in $(seq "$rounds"); do
    peer=$("$python" "$reference/peer_bench.py" "$variant" 2)
    peer_fwd+=("$(awk '/^fwd/ {print $3}' <<<"$peer")")
    peer_step+=("$(awk '/^step/ {print $3}' <<<"$peer")")
    ours=$(.build/release/trilobite bench --model "$model" --json)
    ours_fwd+=("$(python3 -c 'import json,sys; print(json.load(sys.stdin)["forwardMedianMilliseconds"])' <<<"$ours")")
    ours_step+=("$(python3 -c 'import json,sys; print(json.load(sys.stdin)["stepMedianMilliseconds"])' <<<"$ours")")
    # Black-box attacks query in batches of 16: the forward cost per image there.
    batch=$(.build/release/trilobite bench --model "$model" --batch 16 --iterations 10 --json)
    ours_batch+=("$(python3 -c 'import json,sys; print(json.load(sys.stdin)["forwardMillisecondsPerImage"])' <<<"$batch")")
    echo "round $round: PyTorch forward ${peer_fwd[-1]} ms, step ${peer_step[-1]} ms | Trilobite forward ${ours_fwd[-1]} ms, step ${ours_step[-1]} ms, batch-16 forward ${ours_batch[-1]} ms per image" >&2
done
python3 - "${peer_fwd[*]}" "${peer_step[*]}" "${ours_fwd[*]}" "${ours_step[*]}" "$model" "${ours_batch[*]}" <<'PY'
import statistics, sys
pf, ps, of, os_ = ([float(v) for v in a.split()] for a in sys.argv[1:5])
ob = [float(v) for v in sys.argv[6].split()]
m = statistics.median
print(f"EfficientNet-{sys.argv[5].capitalize()}, batch 1, medians over {len(pf)} alternating rounds (each round's figure is itself a median of 30 runs)")
print(f"{'':22s}{'PyTorch':>10s}{'Trilobite':>11s}{'ratio':>8s}")
print(f"{'forward (ms)':22s}{m(pf):10.2f}{m(of):11.2f}{m(of)/m(pf):8.2f}")
print(f"{'forward+gradient (ms)':22s}{m(ps):10.2f}{m(os_):11.2f}{m(os_)/m(ps):8.2f}")
print(f"{'Trilobite forward per image at batch 16 (ms)':46s}{m(ob):8.2f}  (batch 1: {m(of):.2f})")
PY
