#!/usr/bin/env bash
# Our adversarial images, judged by the PyTorch reference model (../shared/reference/classify.py,
# lite_ref with TF padding): does it see what our report claims?
#
#   Benchmarks/reference_check.sh PHOTO...
#
# Each photo is attacked with PGD ε = 2/255 towards trilobite (α = 0.5/255, 20 steps, no random
# start; then in grid mode with the goal 0.95 checked on the saved image), saving the 224×224
# PNG (`--out`) and the photo at the evaluation scale with that crop in its centre (`--out-photo`).
# classify.py resizes every file (shorter side to 256) before its centre crop, also a 224×224
# one, which blurs the perturbation; of the photo it gives back exactly our crop (checked here
# pixel for pixel), so the photo is the file to judge. The 224 PNG is classified as well, to
# show what the extra resize does.
#
# Environment: PY, REF, TRILOBITE, WEIGHTS, OUT as in compare_attacks.sh.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-/tmp/trilobite-refenv/bin/python}
ref=${REF:-$root/../shared/reference}
bin=${TRILOBITE:-$root/.build-measure/release/trilobite}
weights=${WEIGHTS:-$root/Weights}
out=${OUT:-$(mktemp -d /tmp/reference-check.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 PHOTO..." >&2; exit 1; }
[ -x "$PY" ] || { echo "reference_check: no PyTorch reference at $PY; run: bash $ref/setup.sh /tmp/trilobite-refenv" >&2; exit 1; }
if [ ! -x "$bin" ]; then
    (cd "$root" && swift build -c release --scratch-path .build-measure --product trilobite)
fi

settings=(
    "pgd|--method pgd --target trilobite --epsilon 2/255 --step-size 0.5/255 --steps 20 --no-random-start"
    "pgd-grid|--method pgd --target trilobite --epsilon 2/255 --steps 100 --no-random-start --goal 0.95 --grid"
)
: > "$out/cases.txt"
for photo in "$@"; do
    name=$(basename "${photo%.*}")
    for setting in "${settings[@]}"; do
        label=${setting%%|*}
        arguments=${setting#*|}
        # shellcheck disable=SC2086
        "$bin" attack "$photo" $arguments --weights "$weights" --out "$out/$name-$label.png" \
            --out-photo "$out/$name-$label-photo.png" --json > "$out/$name-$label.json"
        echo "$photo|$name-$label|$label|$arguments" >> "$out/cases.txt"
    done
done

"$PY" - "$out" "$ref" <<'PY'
import json, sys
import numpy as np
from PIL import Image
out, ref = sys.argv[1], sys.argv[2]
sys.path.insert(0, ref)
import torch
from lite_ref import load, preprocess, SIZES
torch.set_num_threads(2)
labels = [l.rstrip('\n').split('\t')[2] for l in open(f'{ref}/imagenet_labels.tsv')]
model = load(0, True)

def scores(path):
    x, crop = preprocess(path, SIZES[0])
    with torch.no_grad():
        p = torch.softmax(model(x), 1)[0]
    return p, np.asarray(crop)

print('| photo | attack | ours: saved PNG top-1, p_trilobite | reference on the photo file: top-1, p_trilobite | photo crop = our PNG | reference on the 224 PNG (resized again) | reference on the clean photo |')
print('|---|---|---|---|---|---|---|')
for line in open(f'{out}/cases.txt'):
    photo, case, label, arguments = line.rstrip('\n').split('|', 3)
    result = json.load(open(f'{out}/{case}.json'))['result']
    top = result['top5After'][0]
    ours = f"{top['label']} ({top['index']}) {top['probability']:.3f}, p_t {result['targetProbabilityAfter']:.3f}"
    p_photo, crop = scores(f'{out}/{case}-photo.png')
    same = np.array_equal(crop, np.asarray(Image.open(f'{out}/{case}.png').convert('RGB')))
    p_png, _ = scores(f'{out}/{case}.png')
    p_clean, _ = scores(photo)
    def describe(p):
        t = int(p.argmax())
        return f"{labels[t][:24]} ({t}) {p[t]:.3f}, p_t {p[69]:.3f}"
    print(f"| {photo.split('/')[-1]} | {label}: `{arguments}` | {ours} | {describe(p_photo)} | "
          f"{'yes' if same else 'NO'} | {describe(p_png)} | {describe(p_clean)} |")
PY
echo
echo "files: $out"
