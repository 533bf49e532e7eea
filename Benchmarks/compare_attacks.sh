#!/usr/bin/env bash
# Side by side, on one image, in one run: the PyTorch peer (torchattacks on the same Lite0
# weights, ../shared/reference/peer_attacks.py, called as it is) and `trilobite attack`, with the
# same settings, the two programs alternating (peer, ours, peer, ours, ...).
#
#   Benchmarks/compare_attacks.sh [IMAGE]
#
# IMAGE defaults to lessons/images/chelsea.png: the peer resizes and centre-crops it exactly as
# `trilobite attack` does (the crop is ../shared/golden/chelsea-lite0.png). Give a full photo,
# not a 224-pixel crop: the peer resizes even an image that already has the network's size.
#
# Environment: ROUNDS (2), PY (the peer's python, /tmp/trilobite-refenv/bin/python; made by
# `bash ../shared/reference/setup.sh /tmp/trilobite-refenv`), TRILOBITE (the binary; built with
# `swift build -c release --scratch-path .build-measure --product trilobite` when missing),
# WEIGHTS (Weights/), OUT (a folder for the logs, JSON and adversarial PNGs; a new temporary one).
#
# Times: the peer's are its own: the torchattacks call `attack(images, labels)` with the model
# loaded and the clean label already computed; it returns the adversarial image unevaluated.
# Ours, in the same scope, are `attackSeconds`: runAttack until the method returns its image
# (validation, the original's evaluation, every step; weights and image already loaded). Beside
# them `wallTimeSeconds`: the whole runAttack, the evaluation of the float and the saved image and
# the metrics (PSNR, SSIM) included. Medians over the rounds.
# Outcomes: the peer's float result and its 8-bit round trip; ours measured on the saved 8-bit
# PNG (the float result beside it when rounding changed it). Success, for both, on the 8-bit
# image: top-1 = trilobite (targeted) or top-1 ≠ the original class (untargeted).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
image=${1:-$root/lessons/images/chelsea.png}
rounds=${ROUNDS:-2}
PY=${PY:-/tmp/trilobite-refenv/bin/python}
ref=${REF:-$root/../shared/reference}
bin=${TRILOBITE:-$root/.build-measure/release/trilobite}
weights=${WEIGHTS:-$root/Weights}
out=${OUT:-$(mktemp -d /tmp/compare-attacks.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

[ -f "$image" ] || { echo "compare_attacks: no image at $image" >&2; exit 1; }
[ -x "$PY" ] || { echo "compare_attacks: no PyTorch peer at $PY; run: bash $ref/setup.sh /tmp/trilobite-refenv" >&2; exit 1; }
[ -f "$ref/peer_attacks.py" ] || { echo "compare_attacks: no $ref/peer_attacks.py" >&2; exit 1; }
if [ ! -x "$bin" ]; then
    (cd "$root" && swift build -c release --scratch-path .build-measure --product trilobite)
fi

# key | our arguments. The key is the start of the peer's line for the same attack; the peer's
# settings are those of peer_attacks.py:
#   FGSM(eps=2/255) untargeted; PGD(eps=2/255, alpha=0.5/255, steps=20, random_start=False) and
#   PGD(eps=4/255, alpha=1/255, steps=10, random_start=False), MIFGSM(eps=4/255, alpha=1/255,
#   steps=10, decay=1.0), CW(c=1, kappa=0, steps=50, lr=0.01), Square(eps=4/255, n_queries=1000,
#   p_init=0.8, seed=0) targeted at trilobite (69); DeepFool(steps=50, overshoot=0.02) untargeted.
# C&W and DeepFool also run in grid mode (every iterate on the 8-bit grid), because rounding
# the float result to 8 bits can undo an attack that stops just past the decision boundary.
attacks=(
    "FGSM|--method fgsm --epsilon 2/255"
    "PGD eps=2/255|--method pgd --target trilobite --epsilon 2/255 --step-size 0.5/255 --steps 20 --no-random-start"
    "PGD eps=4/255|--method pgd --target trilobite --epsilon 4/255 --step-size 1/255 --steps 10 --no-random-start"
    "MIFGSM|--method mifgsm --target trilobite --epsilon 4/255 --step-size 1/255 --steps 10 --momentum 1"
    "CW|--method cw --target trilobite --steps 50 --cw-c 1 --cw-kappa 0 --cw-lr 0.01"
    "CW|--method cw --target trilobite --steps 50 --cw-c 1 --cw-kappa 0 --cw-lr 0.01 --grid"
    "DeepFool|--method deepfool --steps 50 --overshoot 0.02"
    "DeepFool|--method deepfool --steps 50 --overshoot 0.02 --grid"
    "Square|--method square --target trilobite --epsilon 4/255 --steps 1000 --seed 0"
)

load() { cut -d' ' -f1 /proc/loadavg; }

echo "image: $image"
echo "peer:  $PY $ref/peer_attacks.py $image"
echo "ours:  $bin attack $image --weights $weights --out OUT.png --json <arguments below>"
echo "logs:  $out"
echo "rounds: $rounds, $(nproc) cores; load average at the start $(load)"
echo

: > "$out/loads.txt"
for round in $(seq 1 "$rounds"); do
    echo "round $round/$rounds: peer" >&2
    echo "peer $round $(load)" >> "$out/loads.txt"
    "$PY" "$ref/peer_attacks.py" "$image" > "$out/peer-$round.txt" 2> "$out/peer-$round.err"
    echo "round $round/$rounds: ours" >&2
    echo "ours $round $(load)" >> "$out/loads.txt"
    for index in "${!attacks[@]}"; do
        arguments=${attacks[$index]#*|}
        # shellcheck disable=SC2086
        "$bin" attack "$image" $arguments --weights "$weights" --out "$out/ours-$round-$index.png" \
            --out-photo "$out/ours-$round-$index-photo.png" --json \
            > "$out/ours-$round-$index.json" 2> "$out/ours-$round-$index.err"
    done
done
echo "end $(load)" >> "$out/loads.txt"

# The reference model (classify.py: lite_ref, TF padding) on our last round's images. It resizes
# every file before its centre crop, so it is given the photo with our crop in its centre
# (`--out-photo`), whose evaluation crop is exactly our saved PNG.
(cd "$ref" && "$PY" classify.py 0 tf "$out"/ours-"$rounds"-*-photo.png) > "$out/reference.txt"

printf '%s\n' "${attacks[@]}" > "$out/attacks.txt"
python3 - "$out" "$rounds" <<'PY'
import json, re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
attacks = [line.rstrip('\n').split('|', 1) for line in open(f'{out}/attacks.txt')]
TARGET = 69

def peer_lines(round_):
    lines = {}
    for line in open(f'{out}/peer-{round_}.txt'):
        for key, _ in attacks:
            if line.startswith(key) and key not in lines:
                lines[key] = line
    return lines

def parse_peer(line):
    if line is None or 'ERROR' in line:
        return None
    fields = dict(re.findall(r'(\w+)=\s*([-\d.]+)', line))
    return {k: float(v) for k, v in fields.items()}

peer = [peer_lines(r) for r in range(1, rounds + 1)]
reference = {}
for line in open(f'{out}/reference.txt'):
    name, rest = line.rstrip('\n').split(' ', 1)
    label, probability = rest.split(' | ')[0].rsplit(' ', 1)
    reference[name] = f'{label} {probability}'

ours = [[json.load(open(f'{out}/ours-{r}-{i}.json')) for i in range(len(attacks))] for r in range(1, rounds + 1)]

def median(values):
    return statistics.median(values) if values else float('nan')

rows = []
for index, (key, arguments) in enumerate(attacks):
    targeted = '--target' in arguments
    results = [ours[r][index]['result'] for r in range(rounds)]
    last = results[-1]
    check = ours[-1][index]['savedCheck']
    original = last['originalClass']['index']
    our_times = [r['attackSeconds'] for r in results]
    our_totals = [r['wallTimeSeconds'] for r in results]
    peers = [parse_peer(peer[r].get(key)) for r in range(rounds)]
    peer_times = [p['secs'] for p in peers if p]
    p = peers[-1]

    def success_8bit(top1):
        return top1 == TARGET if targeted else top1 != original

    saved_top1 = last['top5After'][0]['index']
    float_top1 = last['top5AfterFloat'][0]['index']
    if targeted:
        ours_text = f"top1 {saved_top1}, p_t {last['targetProbabilityAfter']:.3f}"
        if last['savedImageDiffersFromFloat']:
            ours_text += f" (float {float_top1}, {last['targetProbabilityAfterFloat']:.3f})"
    else:
        ours_text = f"top1 {saved_top1}, p_orig {last['originalClassProbabilityAfter']:.3f}"
        if last['savedImageDiffersFromFloat'] and float_top1 != saved_top1:
            ours_text += f" (float {float_top1})"
    if not check['matchesResult']:
        ours_text += ' READ-BACK DIFFERS'
    ours_ok = success_8bit(saved_top1)
    same = len({json.dumps({k: v for k, v in r.items() if k not in ('wallTimeSeconds', 'attackSeconds', 'trace')}, sort_keys=True)
                for r in results}) == 1

    if p:
        peer_text = (f"top1 {int(p['top1'])}, p_t {p['p_trilobite']:.3f}; 8-bit top1 {int(p['8bit_top1'])}, "
                     f"p_t {p['8bit_p_trilobite']:.3f}")
        if not targeted:
            peer_text += f"; p_orig {p['p_true']:.3f}"
        peer_ok = success_8bit(int(p['8bit_top1']))
        peer_same = len({(q['top1'], q['8bit_top1'], q['p_trilobite']) for q in peers if q}) == 1
    else:
        peer_text, peer_ok, peer_same = 'ERROR', False, True

    mode = ' grid' if '--grid' in arguments else ''
    name = {'FGSM': 'FGSM 2/255 untargeted', 'PGD eps=2/255': 'PGD 2/255 α0.5 20 T',
            'PGD eps=4/255': 'PGD 4/255 α1 10 T', 'MIFGSM': 'MI-FGSM 4/255 10 T',
            'CW': 'C&W c1 κ0 50 lr.01 T', 'DeepFool': 'DeepFool 50 os.02',
            'Square': 'Square 4/255 1000q T'}[key] + mode
    speed = median(peer_times) / median(our_times) if peer_times else float('nan')
    verdict = ('faster ×%.1f' % speed) if speed >= 1 else ('SLOWER ×%.2f' % speed)
    if peer_times and median(our_totals) > median(peer_times):
        verdict += ' (not counting our evaluation of the result)'

    if ours_ok and not peer_ok: verdict += ', more successful'
    elif ours_ok == peer_ok: verdict += ', as successful' if ours_ok else ', both fail'
    else: verdict += ', LESS SUCCESSFUL'
    steps = f"{last['steps']} {last['stopReason']}"
    q = last['queries']
    calls = f"grad {q['gradientImages']}, fwd {q['forwardImages']}" + (f", rep {q['repeatedGradientCalls']}" if q.get('repeatedGradientCalls') else '')
    judged = reference.get(f'ours-{rounds}-{index}-photo.png', '?')
    rows.append((name, median(peer_times), median(our_times), peer_text + ('' if peer_same else ' (rounds differ)'),
                 'yes' if peer_ok else 'no', ours_text + ('' if same else ' (rounds differ)'), 'yes' if ours_ok else 'no',
                 steps, calls, verdict, [round(t, 2) for t in peer_times], [round(t, 3) for t in our_times], judged,
                 median(our_totals), [round(t, 3) for t in our_totals]))

print('| attack | peer s | ours s | ours s, with evaluation | peer outcome (float; 8-bit) | peer ok | ours, saved PNG (float) | ours ok | reference model on our image | our steps | our network images | verdict |')
print('|---|---:|---:|---:|---|---|---|---|---|---|---|---|')
for r in rows:
    print(f'| {r[0]} | {r[1]:.2f} | {r[2]:.3f} | {r[13]:.3f} | {r[3]} | {r[4]} | {r[5]} | {r[6]} | {r[12]} | {r[7]} | {r[8]} | {r[9]} |')
print()
print('times per round (peer; ours; ours with evaluation):')
for r in rows:
    print(f'  {r[0]:28s} {r[10]}  {r[11]}  {r[14]}')
print()
print('load average (1 min) when each program started:', ' '.join(l.strip() for l in open(f'{out}/loads.txt')))
PY
