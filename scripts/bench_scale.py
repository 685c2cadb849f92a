"""`stance label` at scale: N documents in one run of the real CLI, wall time, speed, peak RSS.

    python scripts/bench_scale.py                          # N = 2,000 and 20,000, no target
    python scripts/bench_scale.py --quantize int8 --ray    # + the Ray engine, 2 local actors
    python scripts/bench_scale.py --ray --docs             # rewrites docs/benchmarks.md's
                                                           # "## Scale" section
    python scripts/bench_scale.py --ray --ray-sizes 2000 --docs  # Ray checked on 2,000 only
    python scripts/bench_scale.py --sizes 20 40 --threads 1 --ray   # smoke test

The corpus is French: PE-FR paragraphs (train, dev) interleaved with X-Stance French comments
from ``../shared/data``, cycled to N documents (ids made unique), written as JSONL without
targets; ``--target`` labels them all toward one. Each size is one ``python -m stance.cli
label CORPUS -o OUT.jsonl --overwrite`` process (``--backend``, ``--quantize``,
``--batch-size``, ``--threads``, ``--model`` passed through), timed from start to exit: start-up
included, and measured apart on a one-document corpus, so that *net docs/s* and the linearity
net of start-up can be given too. Peak RSS: the ``stance label`` process's own (``wait4``) and
the sum over its process tree (polled; with Ray, its workers too).

``--ray`` runs the same corpora with ``--engine ray --actors 2`` (threads split between the
actors) and checks that its records are the local engine's: same ids in the same order, the
same labels and other fields, scores within 1e-4.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bench_common import DOC, ROOT, SCALE_HEADING, french_docs, machine, write_jsonl, write_section

sys.path.insert(0, str(ROOT))
TOLERANCE = 1e-4  # scores: Ray actors run other thread counts, so float sums may differ a little


# ---------------------------------------------------------------------------- corpus


def scale_corpus(n: int, path: Path) -> Path:
    """``n`` documents, the French pool cycled; ids stay unique (``~k`` on the k-th repeat)."""
    pool = [{"id": str(r["id"]), "text": r["text"]} for r in french_docs()]
    rows = []
    for i in range(n):
        row, lap = pool[i % len(pool)], i // len(pool)
        rows.append({"id": row["id"] + (f"~{lap}" if lap else ""), "text": row["text"]})
    return write_jsonl(rows, path)


def pool_size() -> int:
    return sum(1 for _ in french_docs())


# ---------------------------------------------------------------------------- one CLI run


class TreeRss:
    """Polls the summed RSS of a process and its descendants; keeps the peak (bytes)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                procs = []
            total = 0
            for proc in procs:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)


def label_command(args: argparse.Namespace, corpus: Path, out: Path, engine: str) -> list[str]:
    """The ``stance label`` command line of one run."""
    cmd = [sys.executable, "-m", "stance.cli", "label", str(corpus), "-o", str(out)]
    cmd += ["--overwrite", "--batch-size", str(args.batch_size), "--backend", args.backend]
    threads = args.threads
    if engine == "ray":
        cmd += ["--engine", "ray", "--actors", str(args.actors)]
        threads = max(1, threads // args.actors)
    cmd += ["--threads", str(threads)]
    for flag, value in (("--quantize", args.quantize), ("--target", args.target)):
        if value:
            cmd += [flag, value]
    if args.model:
        cmd += ["--model", args.model]
    return cmd


def run_label(args: argparse.Namespace, corpus: Path, out: Path, engine: str) -> dict[str, Any]:
    """One ``stance label`` process: wall seconds, exit status, peak RSS (own and tree)."""
    cmd = label_command(args, corpus, out, engine)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    log = out.with_suffix(".log")
    with log.open("w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=ROOT)
        with TreeRss(proc.pid) as tree:
            _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{tail}")
    docs = sentences = 0
    for record in read_records(out):
        docs += 1
        sentences += len(record.get("sentences") or [])
    return {
        "engine": engine,
        "docs": docs,
        "sentences": sentences,
        "wall_s": wall,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kB on Linux: the process's own high-water mark
        "tree_rss_mb": tree.peak / 2**20,
        "load_avg": os.getloadavg()[0],
        "command": " ".join(cmd[1:]),
    }


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSONL output, one at a time (20,000 of them are a few hundred MB)."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


# ---------------------------------------------------------------------------- Ray = local?


def compare_records(a: Iterable[dict[str, Any]], b: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Same ids in the same order; every non-float field equal; floats within ``TOLERANCE``."""
    diff: dict[str, Any] = {"fields": 0, "scores": 0, "max_abs": 0.0, "examples": []}

    def walk(x: Any, y: Any, where: str) -> None:
        numbers = (int, float)
        if isinstance(x, float) or isinstance(y, float):
            if not (isinstance(x, numbers) and isinstance(y, numbers)) or isinstance(x, bool):
                note(where, x, y, "fields")
                return
            gap = abs(float(x) - float(y))
            diff["max_abs"] = max(diff["max_abs"], gap)
            if gap > TOLERANCE:
                note(where, x, y, "scores")
        elif isinstance(x, dict) and isinstance(y, dict):
            for key in sorted(set(x) | set(y)):
                walk(x.get(key), y.get(key), f"{where}.{key}")
        elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            for i, (u, v) in enumerate(zip(x, y, strict=True)):
                walk(u, v, f"{where}[{i}]")
        elif x != y:
            note(where, x, y, "fields")

    def note(where: str, x: Any, y: Any, kind: str) -> None:
        diff[kind] += 1
        if len(diff["examples"]) < 5:
            diff["examples"].append(f"{where}: {str(x)[:60]!r} vs {str(y)[:60]!r}")

    diff["same_ids"] = True
    for ra, rb in itertools.zip_longest(a, b):
        if ra is None or rb is None or ra.get("id") != rb.get("id"):
            diff["same_ids"] = False
        if ra is not None and rb is not None:
            walk(ra, rb, str(ra.get("id")))
    diff["same"] = diff["same_ids"] and not diff["fields"] and not diff["scores"]
    return diff


# ---------------------------------------------------------------------------- the report


def measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    sizes = sorted(set(args.sizes))
    ray_sizes = sorted(set(args.ray_sizes or sizes)) if args.ray else []
    plan = {"local": sizes, **({"ray": ray_sizes} if ray_sizes else {})}
    corpora = {n: scale_corpus(n, work / f"corpus_{n}.jsonl") for n in {1, *sizes, *ray_sizes}}
    rows, checks = [], {}
    for engine, engine_sizes in plan.items():
        for n in [1, *engine_sizes]:  # 1: the start-up cost of this engine
            res = run_label(args, corpora[n], work / f"{engine}_{n}.jsonl", engine)
            res["size"] = n
            rows.append(res)
            print(f"{engine} N={n}: {res['wall_s']:.1f} s", file=sys.stderr)
    if ray_sizes:
        for n in ray_sizes:
            local, ray = (read_records(work / f"{e}_{n}.jsonl") for e in ("local", "ray"))
            checks[n] = compare_records(local, ray)
    return {"rows": rows, "checks": checks, "pool": pool_size(), "sizes": sizes}


def _find(rows: list[dict[str, Any]], engine: str, size: int) -> dict[str, Any]:
    return next(r for r in rows if r["engine"] == engine and r["size"] == size)


def table(res: dict[str, Any]) -> str:
    lines = [
        "| engine | docs | sentences | wall s | docs/s | sent/s | net docs/s "
        "| peak RSS MB (process) | peak RSS MB (tree) |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in res["rows"]:
        start = _find(res["rows"], r["engine"], 1)["wall_s"]
        rates = ["—"] * 3
        if r["size"] > 1:
            rates = [f"{r['docs'] / r['wall_s']:.1f}", f"{r['sentences'] / r['wall_s']:.1f}"]
            net = (r["docs"] - 1) / (r["wall_s"] - start) if r["wall_s"] > start else 0.0
            rates.append(f"{net:.1f}" if net > 0 else "—")
        docs = f"{r['docs']:,}" if r["size"] > 1 else "1 (start-up)"
        lines.append(
            f"| {r['engine']} | {docs} | {r['sentences']:,} | {r['wall_s']:.1f} "
            f"| {' | '.join(rates)} | {r['peak_rss_mb']:.0f} | {r['tree_rss_mb']:.0f} |"
        )
    return "\n".join(lines)


def linearity(res: dict[str, Any]) -> str:
    """time(big) / time(small) ÷ (big / small), raw and net of start-up (1.00 = linear)."""
    small, big = res["sizes"][0], res["sizes"][-1]
    if small == big:
        return ""
    out, ratio = [], big / small
    for engine in dict.fromkeys(r["engine"] for r in res["rows"]):
        if not any(r["engine"] == engine and r["size"] == big for r in res["rows"]):
            continue
        t0 = _find(res["rows"], engine, 1)["wall_s"]
        ts, tb = (_find(res["rows"], engine, n)["wall_s"] for n in (small, big))
        net = f"{(tb - t0) / (ts - t0) / ratio:.2f}" if ts > t0 else "—"
        out.append(f"{engine} {tb / ts / ratio:.2f} (net of start-up {net})")
    return (
        f"Linearity, time({big:,}) / time({small:,}) ÷ {ratio:g} (1.00 = linear): "
        + "; ".join(out)
        + "."
    )


def ray_lines(res: dict[str, Any], actors: int, threads: int) -> str:
    if not res["checks"]:
        return ""
    lines = []
    for n, c in res["checks"].items():
        local, ray = _find(res["rows"], "local", n), _find(res["rows"], "ray", n)
        verdict = "the same records" if c["same"] else "**different records**"
        lines.append(
            f"- N = {n:,}: {verdict} (ids in the same order: {'yes' if c['same_ids'] else 'no'}; "
            f"fields differing: {c['fields']}; scores differing by more than {TOLERANCE:g}: "
            f"{c['scores']}; largest score gap {c['max_abs']:.1e}); Ray takes "
            f"{ray['wall_s'] / local['wall_s']:.2f}× the local wall time."
            + ("" if c["same"] else " First differences: " + "; ".join(c["examples"]))
        )
    from stance.batch.engines import DEFAULT_WINDOW

    each = max(1, threads // actors)
    head = (
        f"Ray engine (`--engine ray --actors {actors} --threads {each}`: {actors} local actors "
        f"of {each} thread(s) each, a fresh actor pool per window of {DEFAULT_WINDOW:,} "
        "documents) against the local engine on the same corpus:"
    )
    return _wrap(head) + "\n\n" + "\n".join(_wrap(line, "  ") for line in lines)


def _wrap(text: str, indent: str = "") -> str:
    """Prose at the page's width (tables and code are left alone)."""
    return textwrap.fill(text, 96, subsequent_indent=indent, break_on_hyphens=False)


def render(res: dict[str, Any], args: argparse.Namespace) -> str:
    """The "## Scale" section: command, machine, what a row is, table, linearity, Ray check."""
    runs = [f"--backend {args.backend}"] + (
        [f"--quantize {args.quantize}"] if args.quantize else []
    )
    if args.target:
        runs.append(f"--target {json.dumps(args.target, ensure_ascii=False)}")
    options = [f"--sizes {' '.join(map(str, res['sizes']))}", f"--threads {args.threads}"]
    options += [r for r in runs if r != "--backend torch"]
    options += [f"--actors {args.actors} --ray"] if args.ray else []
    options += [f"--ray-sizes {' '.join(map(str, args.ray_sizes))}"] if args.ray_sizes else []
    work = "roles, spans and stance" if args.target else "no target: roles and spans"
    machine_line = (
        f"Machine: {machine()}. Highest 1-minute load average at the end of a run: "
        f"{max(r['load_avg'] for r in res['rows']):.1f}."
    )
    what = (
        f"Each row is one `stance label CORPUS -o OUT.jsonl` process (`{' '.join(runs)} "
        f"--threads {args.threads} --batch-size {args.batch_size}`; {work}), timed from start "
        f"to exit. The corpus: PE-FR paragraphs and X-Stance French comments ({res['pool']:,} "
        "distinct texts), cycled to N documents. *start-up* is the same command on one "
        "document; *net docs/s* = (N − 1) / (wall − start-up). Peak RSS: the `stance label` "
        "process's own (`wait4`), and the sum over its process tree polled every 0.2 s (Ray's "
        "workers included; pages shared between processes are counted in each)."
    )
    parts = [
        SCALE_HEADING,
        "Generated by `scripts/bench_scale.py` (do not edit by hand; rerun it on a quiet "
        "machine). Rerun with:",
        f"    python scripts/bench_scale.py {' '.join(options)} --docs",
        _wrap(machine_line),
        _wrap(what),
        table(res),
        _wrap(linearity(res)),
        ray_lines(res, args.actors, args.threads),
    ]
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def main() -> None:
    from stance.model.backends import physical_cores
    from stance.pipeline.config import DOC_BATCH

    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000], help="documents")
    ap.add_argument("--target", default=None, help="stance label --target (default: none)")
    ap.add_argument("--backend", default="torch", help="stance label --backend: torch | onnx")
    ap.add_argument("--quantize", default=None, help="stance label --quantize: int8")
    ap.add_argument("--model", default=None, help="stance label --model (default: shipped)")
    ap.add_argument("--threads", type=int, default=None, help="default: physical cores")
    ap.add_argument("--batch-size", type=int, default=DOC_BATCH, help="stance label --batch-size")
    ap.add_argument("--ray", action="store_true", help="also run --engine ray and compare")
    ap.add_argument("--ray-sizes", type=int, nargs="+", default=None, help="Ray: these sizes")
    ap.add_argument("--actors", type=int, default=2, help="Ray actors (default 2)")
    ap.add_argument("--docs", action="store_true", help=f"write the section in {DOC}")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    ap.add_argument("--keep", type=Path, default=None, help="keep corpora and outputs here")
    args = ap.parse_args()
    args.threads = args.threads or physical_cores()
    if args.ray_sizes and not set(args.ray_sizes) <= set(args.sizes):
        ap.error(f"--ray-sizes {args.ray_sizes}: each must be one of --sizes {args.sizes}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        res = measure(args, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            res = measure(args, Path(tmp))
    section = render(res, args)
    print(section)
    if args.docs:
        write_section(SCALE_HEADING, section)
        print(f"wrote {DOC}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=2, default=str))


if __name__ == "__main__":
    main()
