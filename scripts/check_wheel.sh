#!/usr/bin/env bash
# Build the wheel, install it in a fresh venv outside the checkout (with the venv's own pip,
# as a user would), and run `stance predict` and an HTML `stance label` offline with the model
# the wheel carries. Usage: bash scripts/check_wheel.sh [python3]  (after the README's set-up)
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.venv/bin/pip wheel --quiet --no-deps --no-build-isolation . -w "$work/dist"
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$work"/dist/stance-*.whl
cp data/examples/blog-contre.txt "$work/article.txt"
cat > "$work/page.html" <<'HTML'
<html><head><title>Vols courts : le débat</title></head><body>
<nav>Accueil | Partager</nav><article><h1>Vols courts : le débat</h1>
<p>Il faut interdire les vols intérieurs courts. Le train émet bien moins de CO2 que l'avion
sur ces trajets, et les lignes existent déjà.</p></article><footer>Mentions légales</footer>
</body></html>
HTML
cd "$work"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
unset STANCE_MODEL  # the model must come from the wheel
venv/bin/stance predict "Il faut interdire les vols courts. Le train pollue moins." \
  --target "Il faut interdire les vols intérieurs courts" --json > predict.json
venv/bin/python - <<'PY'
import json
rec = json.load(open("predict.json"))
assert rec["stance"]["label"] in {"favor", "against", "none"}, rec
assert len(rec["sentences"]) == 2 and rec["error"] is None, rec
print("wheel: predict ok:", rec["stance"]["label"])
PY
venv/bin/stance label page.html article.txt -o out.jsonl
venv/bin/python - <<'PY'
import json
recs = [json.loads(line) for line in open("out.jsonl")]
assert len(recs) == 2 and all(r["error"] is None and r["sentences"] for r in recs), recs
print("wheel: label ok:", [len(r["sentences"]) for r in recs], "sentences")
PY
