#!/usr/bin/env bash
# The issue's measured runs on one image, target trilobite (69), every number from
# `trilobite attack --json` (the saved 8-bit PNG, and the float image before rounding):
#
#   1. PGD ε = 2/255: torchattacks' settings (α = 0.5/255, 20 steps, no random start); the same
#      with the goal 0.95 checked on the float image; and in grid mode with the goal 0.95, so the
#      check sees the image that is saved.
#   2. The talk's idea with the working optimiser (talk-sign: sign steps of 0.5/255 up
#      log p_trilobite) unbounded and within the talk's ±0.01 model units, to p ≥ 0.95 on the
#      float image; then what is left after the PNG save.
#   3. The smallest 8-bit-true bound: grid mode, whole grey levels 1, 2, 3, ... (talk-sign, goal
#      0.95 on the saved image, 500 steps), stopping at the first that reaches it; at 1 level also
#      PGD from a random start, MI-FGSM, and float PGD with quarter-level steps rounded at the end.
#   4. The talk's update as written (x += ∂p/∂x in model units) at its 3000-step limit, unbounded
#      and ±0.01.
#
#   Benchmarks/talk_attacks.sh [IMAGE]        (default ../shared/golden/chelsea-lite0.png)
#
# Environment: ROUNDS (runs of each short attack, median time; 3), LONG_ROUNDS (of the 3000-step
# runs; 1), TRILOBITE, WEIGHTS, OUT as in compare_attacks.sh; PEER=1 also runs the reference's
# seed_attack.py (the talk's attack in PyTorch, about 6 minutes) on PEER_IMAGE (default
# lessons/images/chelsea.png: the reference resizes every file before its centre crop, and of this
# photo its crop is exactly the golden one; given the 224 crop itself it would resize that).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
image=${1:-$root/../shared/golden/chelsea-lite0.png}
rounds=${ROUNDS:-3}
long_rounds=${LONG_ROUNDS:-1}
bin=${TRILOBITE:-$root/.build-measure/release/trilobite}
weights=${WEIGHTS:-$root/Weights}
out=${OUT:-$(mktemp -d /tmp/talk-attacks.XXXXXX)}
PY=${PY:-/tmp/trilobite-refenv/bin/python}
ref=${REF:-$root/../shared/reference}
mkdir -p "$out"
out=$(cd "$out" && pwd)
[ -f "$image" ] || { echo "talk_attacks: no image at $image" >&2; exit 1; }
if [ ! -x "$bin" ]; then
    (cd "$root" && swift build -c release --scratch-path .build-measure --product trilobite)
fi

load() { cut -d' ' -f1 /proc/loadavg; }
: > "$out/runs.txt"
# run NAME ROUNDS ARGUMENTS...: the attack, ROUNDS times; JSON in $out/NAME-k.json.
run() {
    local name=$1 times=$2
    shift 2
    for k in $(seq 1 "$times"); do
        echo "$name ($k/$times)" >&2
        "$bin" attack "$image" "$@" --weights "$weights" --out "$out/$name.png" --out-photo "$out/$name-photo.png" \
            --json > "$out/$name-$k.json"
    done
    printf '%s|%s|%s|%s\n' "$name" "$times" "$(load)" "$*" >> "$out/runs.txt"
}

echo "image: $image"
echo "ours:  $bin attack $image --weights $weights --out OUT.png --json <arguments below>"
echo "logs:  $out; $(nproc) cores, load average at the start $(load)"
echo

T="--target trilobite"
run pgd-2-torchattacks "$rounds" --method pgd $T --epsilon 2/255 --step-size 0.5/255 --steps 20 --no-random-start
run pgd-2-goal-float "$rounds" --method pgd $T --epsilon 2/255 --step-size 0.5/255 --steps 100 --no-random-start --goal 0.95
run pgd-2-goal-grid "$rounds" --method pgd $T --epsilon 2/255 --steps 100 --no-random-start --goal 0.95 --grid
run talk-sign-unbounded "$rounds" --method talk-sign $T --goal 0.95 --steps 500
run talk-sign-0.01 "$rounds" --method talk-sign $T --bound-model-units 0.01 --goal 0.95 --steps 500
for levels in 1 2 3 4 5 6 7 8; do
    run "talk-sign-grid-$levels" "$rounds" --method talk-sign $T --epsilon "$levels/255" --grid --goal 0.95 --steps 500
    reached=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['result']; print(int(r['success']))" \
        "$out/talk-sign-grid-$levels-1.json")
    if [ "$levels" = 1 ]; then
        # (PGD in grid mode without a random start is talk-sign with steps of one level: the same run.)
        run pgd-grid-1-random-start 1 --method pgd $T --epsilon 1/255 --grid --goal 0.95 --steps 500 --seed 0
        run mifgsm-grid-1 1 --method mifgsm $T --epsilon 1/255 --grid --goal 0.95 --steps 500
        run pgd-float-1-rounded 1 --method pgd $T --epsilon 1/255 --step-size 0.25/255 --steps 200 --no-random-start
    fi
    [ "$reached" = 1 ] && break
done
run talk-unbounded "$long_rounds" --method talk $T --steps 3000
run talk-0.01 "$long_rounds" --method talk $T --bound-model-units 0.01 --steps 3000
echo "end $(load)" >> "$out/runs.txt"
# The reference model on each saved image, through the photo whose evaluation crop it is.
(cd "$ref" && "$PY" classify.py 0 tf "$out"/*-photo.png) > "$out/reference.txt" || true

python3 - "$out" <<'PY'
import json, statistics, sys
out = sys.argv[1]
reference = {}
for line in open(f'{out}/reference.txt'):
    name, rest = line.rstrip('\n').split(' ', 1)
    label, probability = rest.split(' | ')[0].rsplit(' ', 1)
    reference[name] = f'{label} {probability}'
print('| run | arguments | steps | stop | seconds: attack / with evaluation (median) | p_trilobite float | p_trilobite saved PNG | saved top-1 | reference model on the saved image | L∞ saved (levels) | L2 saved (levels) |')
print('|---|---|---:|---|---:|---:|---:|---|---|---:|---:|')
loads = []
for line in open(f'{out}/runs.txt'):
    if line.startswith('end '):
        loads.append(line.split()[1]); continue
    name, times, load, arguments = line.rstrip('\n').split('|', 3)
    loads.append(load)
    docs = [json.load(open(f'{out}/{name}-{k}.json')) for k in range(1, int(times) + 1)]
    r = docs[-1]['result']
    seconds = statistics.median(d['result']['wallTimeSeconds'] for d in docs)
    attack = statistics.median(d['result'].get('attackSeconds', d['result']['wallTimeSeconds']) for d in docs)
    top = r['top5After'][0]
    check = '' if docs[-1]['savedCheck']['matchesResult'] else ' READ-BACK DIFFERS'
    print(f"| {name} | `{arguments}` | {r['steps']} | {r['stopReason']} | {attack:.2f} / {seconds:.2f} | "
          f"{r['targetProbabilityAfterFloat']:.4f} | {r['targetProbabilityAfter']:.4f} | "
          f"{top['label']} ({top['index']}) {top['probability']:.3f}{check} | {reference.get(name + '-photo.png', '?')} | "
          f"{r['metrics']['linfGreyLevels']} | "
          f"{r['metrics']['l2GreyLevels']:.1f} |")
print()
print('load average (1 min) at the end of each run:', ' '.join(loads))
PY

if [ "${PEER:-0}" = 1 ]; then
    echo
    peer_image=${PEER_IMAGE:-$root/lessons/images/chelsea.png}
    echo "the reference's run of the talk's attack: $PY $ref/seed_attack.py $peer_image"
    "$PY" "$ref/seed_attack.py" "$peer_image"
fi
