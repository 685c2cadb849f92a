"""First `stance predict` with a target, against `python -c "import torch, transformers"`.

Both run as fresh processes, alternated, several times; the report gives medians, their
ratio, the predict process's peak RSS, and a profile of where a first prediction's time goes
(imports, tokenizer, weights, first batch), measured in one more process.

    python scripts/bench_startup.py --repeat 5            # prints a Markdown table
    python scripts/bench_startup.py --repeat 5 --json runs/startup.json

Run on a quiet machine: the ratio is what docs/benchmarks.md reports.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TEXT = "Il faut interdire les vols intérieurs courts. Le train pollue bien moins que l'avion."
TARGET = "Il faut interdire les vols intérieurs courts"
BASELINE = [sys.executable, "-c", "import torch, transformers"]
PREDICT = [sys.executable, "-m", "stance.cli", "predict", TEXT, "--target", TARGET, "--json"]

PROFILE = f"""
import json, time
t = [time.perf_counter()]
import torch, transformers
t.append(time.perf_counter())
import stance
nlp = stance.load()
from stance.model.adapters import shared_base, shared_tokenizer
from stance.model.e5 import resolve_base
base = resolve_base(nlp.config.base)
shared_tokenizer(base)
t.append(time.perf_counter())
shared_base(base)
nlp.component, nlp.span, nlp.stance_model
t.append(time.perf_counter())
nlp({TEXT!r}, target={TARGET!r})
t.append(time.perf_counter())
names = ["imports (torch, transformers)", "tokenizer", "weights (base + 3 adapters)", "first batch"]
print(json.dumps({{n: b - a for n, a, b in zip(names, t, t[1:])}}))
"""


def timed(cmd: list[str]) -> float:
    """Wall seconds of one fresh process."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    return time.perf_counter() - start


def peak_rss(cmd: list[str]) -> float:
    """Peak RSS (MiB) of one process, read by GNU time so earlier children do not mask it."""
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, check=True
    )
    return int(out.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    timed(PREDICT)  # warm the page cache and the one-time e5 build
    base, pred = [], []
    for _ in range(args.repeat):
        base.append(timed(BASELINE))
        pred.append(timed(PREDICT))
    profile = json.loads(
        subprocess.run(
            [sys.executable, "-c", PROFILE], capture_output=True, text=True, check=True
        ).stdout.splitlines()[-1]
    )
    report = {
        "baseline_s": statistics.median(base),
        "predict_s": statistics.median(pred),
        "ratio": statistics.median(pred) / statistics.median(base),
        "predict_peak_rss_mib": peak_rss(PREDICT),
        "baseline_peak_rss_mib": peak_rss(BASELINE),
        "repeat": args.repeat,
        "profile_s": profile,
    }
    print("| measure | value |\n|---|---|")
    print(
        f"| `import torch, transformers` (median of {args.repeat}) | {report['baseline_s']:.2f} s |"
    )
    print(f"| first `stance predict --target` (median) | {report['predict_s']:.2f} s |")
    print(f"| ratio | **{report['ratio']:.2f}×** |")
    print(f"| peak RSS, predict | {report['predict_peak_rss_mib']:.0f} MiB |")
    print(f"| peak RSS, import only | {report['baseline_peak_rss_mib']:.0f} MiB |")
    for name, seconds in profile.items():
        print(f"| profile: {name} | {seconds:.2f} s |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
