"""Compare French sentence segmenters on ``tests/segment_cases.py``: accuracy and speed.

Run ``python scripts/bench_segment.py`` (add ``--update-docs`` to rewrite the table in
``docs/segmentation.md``, ``--verbose`` to see every wrong case). Alternatives that return
strings are mapped back onto the text by a running search, so every system is scored on the
same boundary offsets: the start offset of every sentence but the first.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from segment_cases import CASES  # noqa: E402

from stance.segment import segment  # noqa: E402

Segmenter = Callable[[str], list[tuple[int, int]]]
DOCS = ROOT / "docs" / "segmentation.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass
class Score:
    """Accuracy and speed of one segmenter over the whole case set."""

    name: str
    correct: int = 0
    false_splits: int = 0
    missed_splits: int = 0
    chars_per_s: float = 0.0
    doc_chars_per_s: float = 0.0
    wrong: tuple[int, ...] = ()

    @property
    def errors(self) -> int:
        return self.false_splits + self.missed_splits


def map_back(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Offsets of sentence strings in ``text``, found left to right (flair's approach)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in pieces:
        needle = piece.strip()
        if not needle:
            continue
        found = text.find(needle, pos)
        if found < 0:  # the tool rewrote the text: anchor on its first characters
            found = text.find(needle[:20], pos)
            if found < 0:
                continue
        spans.append((found, found + len(needle)))
        pos = found + len(needle)
    return spans


def _naive(text: str) -> list[str]:
    return re.split(r"(?<=[.!?…])\s+", text)


def systems() -> dict[str, Segmenter]:
    """Our segmenter plus every alternative that is installed."""
    out: dict[str, Segmenter] = {"stance (ours)": segment}
    try:
        import pysbd

        sbd = pysbd.Segmenter(language="fr", clean=False)
        out["pysbd 'fr'"] = lambda t: map_back(t, sbd.segment(t))
    except ImportError:
        print("pysbd not installed: skipped", file=sys.stderr)
    try:
        import sentencex

        out["sentencex 'fr'"] = lambda t: map_back(t, list(sentencex.segment("fr", t)))
    except ImportError:
        print("sentencex not installed: skipped", file=sys.stderr)
    out["naive regex"] = lambda t: map_back(t, _naive(t))
    return out


def boundaries(spans: list[tuple[int, int]]) -> set[int]:
    return {start for start, _ in spans[1:]}


def evaluate(name: str, seg: Segmenter, repeat: int, doc_chars: int) -> Score:
    """Score one segmenter: cases fully right, false/missed boundaries, throughput."""
    score = Score(name)
    wrong: list[int] = []
    for i, (text, expected) in enumerate(CASES):
        pred = seg(text)
        gold = map_back(text, expected)
        if [text[s:e] for s, e in pred] == expected:
            score.correct += 1
        else:
            wrong.append(i)
        score.false_splits += len(boundaries(pred) - boundaries(gold))
        score.missed_splits += len(boundaries(gold) - boundaries(pred))
    score.wrong = tuple(wrong)
    score.chars_per_s = _throughput(seg, repeat)
    score.doc_chars_per_s = _doc_throughput(seg, doc_chars)
    return score


def _throughput(seg: Segmenter, repeat: int) -> float:
    """Characters per second over all cases, best of ``repeat`` passes."""
    chars = sum(len(text) for text, _ in CASES)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text, _ in CASES:
            seg(text)
        best = min(best, time.perf_counter() - t0)
    return chars / best


def _doc_throughput(seg: Segmenter, doc_chars: int) -> float:
    """Characters per second on one long document (all cases joined, repeated)."""
    doc = "\n\n".join(text for text, _ in CASES)
    doc = (doc + "\n\n") * max(1, doc_chars // len(doc))
    t0 = time.perf_counter()
    seg(doc)
    return len(doc) / (time.perf_counter() - t0)


def table(scores: list[Score], doc_chars: int) -> str:
    n = len(CASES)
    n_bounds = sum(len(expected) - 1 for _, expected in CASES)
    lines = [
        f"Cases: {n}, gold boundaries: {n_bounds}.",
        "",
        "| segmenter | cases correct | boundary errors | false splits | missed splits "
        f"| chars/s (per case) | chars/s (one {doc_chars // 1000} kB doc) |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        lines.append(
            f"| {s.name} | {s.correct}/{n} | {s.errors} | {s.false_splits} | "
            f"{s.missed_splits} | {s.chars_per_s:,.0f} | {s.doc_chars_per_s:,.0f} |"
        )
    return "\n".join(lines)


def update_docs(markdown: str) -> None:
    """Replace the block between the bench markers of ``docs/segmentation.md``."""
    doc = DOCS.read_text(encoding="utf-8")
    head, _, rest = doc.partition(START)
    _, _, tail = rest.partition(END)
    DOCS.write_text(f"{head}{START}\n{markdown}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="speed passes (best is kept)")
    parser.add_argument("--doc-chars", type=int, default=200_000, help="long-document size")
    parser.add_argument("--verbose", action="store_true", help="print every wrong case")
    parser.add_argument("--update-docs", action="store_true", help="rewrite the docs table")
    args = parser.parse_args()
    scores = [evaluate(n, seg, args.repeat, args.doc_chars) for n, seg in systems().items()]
    markdown = table(scores, args.doc_chars)
    print(markdown)
    if args.verbose:
        for s in scores:
            print(f"\n{s.name}: wrong cases {list(s.wrong)}")
    if args.update_docs:
        update_docs(markdown)


if __name__ == "__main__":
    main()
