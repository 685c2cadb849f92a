"""The compact Unigram tokenizer against the standard one: same ids and offsets, memory, time.

Every text of the given files (JSONL: each string field of 4+ characters; other files: each
tab- or comma-free line) is tokenised by both; the report counts texts whose ids or offsets
differ and times each tokenizer over all texts. Memory is each tokenizer loaded alone in a
fresh process (RSS after loading minus RSS after ``import transformers``).

    python scripts/tokenizer_parity.py                  # the French dev and valid sets
    python scripts/tokenizer_parity.py FILE.jsonl ...   # your own texts
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_SETS = (
    "xstance/valid.fr.jsonl",
    "xstance/valid.de.jsonl",
    "pe_fr/sentences.tsv",
    "efra/macron_train.csv",
    "xling/xnli/dev.fr.jsonl",
)
LOAD = """
import sys
def rss():
    return int(next(x for x in open("/proc/self/status") if x.startswith("VmRSS")).split()[1])
import transformers
from stance.model.adapters import shared_tokenizer
before = rss()
shared_tokenizer(sys.argv[1], sys.argv[2] == "compact")
print((rss() - before) / 1024)
"""


def texts_of(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if path.suffix == ".jsonl":
            row = json.loads(line)
            out += [v for v in row.values() if isinstance(v, str) and len(v) > 3]
        else:
            out += [cell for cell in line.split("\t") if len(cell) > 3]
    return out


def main() -> None:
    from transformers import AutoTokenizer

    from stance.model.e5 import ensure_e5_offline
    from stance.model.unigram import compact_tokenizer
    from stance.training.data.registry import data_dir

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or [data_dir() / name for name in DEFAULT_SETS]
    texts = [t for f in files for t in texts_of(f)]
    base = str(ensure_e5_offline())
    results = {}
    for name, tokenizer in (
        ("standard", AutoTokenizer.from_pretrained(base)),
        ("compact", compact_tokenizer(base)),
    ):
        start = time.perf_counter()
        results[name] = tokenizer(texts, return_offsets_mapping=True)
        seconds = time.perf_counter() - start
        cmd = [sys.executable, "-c", LOAD, base, name]
        mb = float(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
        print(f"{name}: {seconds:.2f} s for {len(texts):,} texts; +{mb:.0f} MB loaded alone")
    want, got = results["standard"], results["compact"]
    pairs = zip(want["input_ids"], got["input_ids"], strict=True)
    offsets = zip(want["offset_mapping"], got["offset_mapping"], strict=True)
    differ = sum(a != b or oa != ob for (a, b), (oa, ob) in zip(pairs, offsets, strict=True))
    chars = sum(map(len, texts))
    print(f"texts whose ids or offsets differ: {differ} of {len(texts):,} ({chars:,} characters)")


if __name__ == "__main__":
    main()
