"""Throughput, memory and accuracy of the ways to run the shipped model on CPU.

    python scripts/bench.py                      # N = 600 sentences (and 2N), writes the doc
    python scripts/bench.py --n 200 --no-docs    # quick look, table on stdout only
    python scripts/bench.py --n 20 --repeat 1 --threads 1 --backends fp32 int8 \
        --no-accuracy --no-docs                  # smoke test

Every variant runs in a fresh subprocess (``--worker``), so its peak RSS is its own. Timings
exclude model loading (reported apart) and one warm-up batch. Variants:

* ``naive``: what a user does with ``stance export hf``: ``transformers.pipeline(
  "text-classification")`` called once per sentence, on the same (sentence, context) pairs,
  capped at the same length as ours, so both do the same encoder work.
* ``stance label`` (``label_corpus``) on the component part only (segmentation included), in
  fp32, int8 (torch dynamic quantisation), ONNX Runtime, ONNX Runtime int8; then the whole
  pipeline without a target (roles + spans: ``stance label`` with no ``--target``, on the same
  documents stripped of their targets) and with one (roles + spans + stance), all at N and 2N.
* achieved GFLOP/s from the encoder FLOPs actually executed (padding included) against
  measured fp32 and int8 matmul peaks (2048 × 2048, same threads: ``bench_common.py``);
  accuracy on PE-FR sentences dev.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench_common import (
    BACKENDS,
    DOC,
    ROOT,
    french_docs,
    machine,
    matmul_peaks,
    peak_rss_mb,
    timed,
    write_jsonl,
    write_page_head,
)

sys.path.insert(0, str(ROOT))
TARGET = "La technologie rend-elle notre vie meilleure ?"  # for documents that carry none
# component: roles only; roles+spans: `stance label` without a target; full: with one
SCOPES = ("component", "roles+spans", "full")


# ---------------------------------------------------------------- corpus and FLOP accounting


def build_corpus(n_sentences: int, out: Path) -> dict[str, Any]:
    """PE-FR paragraphs interleaved with X-Stance French comments, up to ``n_sentences``; and
    the same documents without their targets (``path_no_target``: the roles+spans rows)."""
    from stance.segment import split_sentences

    rows, count = [], 0
    for row in french_docs():
        if count >= n_sentences:
            break
        rows.append(row)
        count += len(split_sentences(row["text"]))
    bare = [{"id": r["id"], "text": r["text"]} for r in rows]
    plain = write_jsonl(bare, out.with_name(out.stem + "_no_target.jsonl"))
    write_jsonl(rows, out)
    return {"path": str(out), "path_no_target": str(plain), "docs": len(rows), "sentences": count}


Batch = tuple[int, int, int, int, bool]  # rows, padded length, real tokens, Σ length², packed


def batch_entry(mask: Any, packed: bool) -> Batch:
    """One encoder call's shape and work, from its attention mask."""
    lengths = mask.sum(dim=1)
    rows, length = mask.shape
    return int(rows), int(length), int(lengths.sum()), int((lengths**2).sum()), packed


class Counter:
    """Wraps an encoder call to record every batch's shape and real (unpadded) tokens."""

    def __init__(self, model: Any, log: list[Batch]) -> None:
        from stance.model.attention import is_packed

        self.model, self.log, self.packed = model, log, is_packed(model)

    def __call__(self, **enc: Any) -> Any:
        self.log.append(batch_entry(enc["attention_mask"], self.packed))
        return self.model(**enc)


def encoder_flops(log: list[Batch], dims: dict[str, int]) -> dict[str, float]:
    """2 × linear params per token + 4·S·H per token and layer for QKᵀ and AV, over the tokens
    the encoder executes: padding included, or real tokens only and each sequence's own S for
    an encoder that packs them (``stance.model.attention.packed_encoder``)."""
    per_layer = 4 * dims["H"] ** 2 + 2 * dims["H"] * dims["I"]
    linear = 2 * per_layer * dims["L"]
    attention = 4 * dims["L"] * dims["H"]
    executed = sum(
        t * linear + attention * sq if packed else b * s * linear + attention * b * s * s
        for b, s, t, sq, packed in log
    )
    return {
        "flops": float(executed),
        "tokens": float(sum(e[2] for e in log)),
        "padded_tokens": float(sum(e[2] if e[4] else e[0] * e[1] for e in log)),
    }


def model_dims(model_dir: Path) -> dict[str, int]:
    from stance.model.e5 import resolve_base
    from stance.model.part import PartInfo

    part = next(
        model_dir / t for t in ("component", "tagger", "span", "stance") if (model_dir / t).is_dir()
    )
    info = PartInfo.load(part)
    cfg = json.loads((Path(resolve_base(info.base)) / "config.json").read_text())
    return {
        "L": cfg["num_hidden_layers"],
        "H": cfg["hidden_size"],
        "I": cfg["intermediate_size"],
    }


# ---------------------------------------------------------------------------- worker side


def run_naive(args: argparse.Namespace) -> dict[str, Any]:
    """One ``transformers.pipeline`` call per sentence, on ``stance``'s own inputs."""
    from transformers import pipeline

    from stance.io.readers import read_inputs
    from stance.model.classifier import cap_tokens, short_side_budget
    from stance.model.part import PartInfo
    from stance.model.tasks import component_inputs
    from stance.segment import split_sentences

    t0 = time.perf_counter()
    clf = pipeline("text-classification", model=args.hf, device="cpu")
    load_s = time.perf_counter() - t0
    info = PartInfo.load(Path(args.hf))
    pairs: list[str | dict[str, str]] = []
    for doc in read_inputs([args.docs]):
        sents = split_sentences(doc.text)
        firsts, seconds = component_inputs(
            replace(doc, sentences=tuple(sents)), info.context, info.context_chars
        )
        if seconds is None:  # no context: single sentences, as ours
            pairs += firsts
            continue
        seconds = cap_tokens(clf.tokenizer, seconds, short_side_budget(info.max_length))
        pairs += [{"text": a, "text_pair": b} for a, b in zip(firsts, seconds, strict=True)]
    log: list[Batch] = []
    clf.model.register_forward_pre_hook(
        lambda _m, _a, kw: log.append(batch_entry(kw["attention_mask"], False)), with_kwargs=True
    )
    kw = {"truncation": "only_first", "max_length": info.max_length}

    def call(x: str | dict[str, str], **kw: Any) -> dict[str, Any]:
        out: Any = clf(x, **kw)  # a str gives [dict], a {text, text_pair} dict gives dict
        return out[0] if isinstance(out, list) else out

    call(pairs[0], **kw)  # warm-up
    labels: list[str] = []

    def one_pass() -> None:
        log.clear()
        labels[:] = [call(p, **kw)["label"] for p in pairs]

    times = timed(one_pass, args.repeat)
    return {"sentences": len(pairs), "times": times, "load_s": load_s, "log": log, "labels": labels}


def _restricted(args: argparse.Namespace) -> Any:
    """``stance.load`` with the backend, keeping only the roles part for that scope (a tagger
    pipeline: the tagger).

    The other scopes keep the whole pipeline as ``stance label`` loads it: without a target
    the stance part is loaded (``Pipeline.process`` asks for it first) but never run.
    """
    from stance.pipeline.config import PipelineConfig
    from stance.pipeline.pipeline import Pipeline, load

    backend, quantize = BACKENDS[args.backend]
    nlp = load(args.model, backend=backend, quantize=quantize)
    if args.scope != "component":
        return nlp
    # a tagger gives roles and spans in one pass: its roles cost the whole pass
    key = "component" if "component" in nlp.part_paths else "tagger"
    comp = {key: nlp.part_paths[key]}
    return Pipeline(nlp.directory, PipelineConfig(parts={}), overrides=comp, loader=nlp.loader)


def run_ours(args: argparse.Namespace) -> dict[str, Any]:
    """``stance label`` (``label_corpus``) into a JSONL file, as the CLI runs it."""
    from stance.batch.label import label_corpus
    from stance.doc import Document

    nlp = _restricted(args)
    target = None if args.scope == "roles+spans" else TARGET
    t0 = time.perf_counter()
    nlp.process([Document("warm", "Il faut agir. Les avions polluent.", target=target)])
    load_s = time.perf_counter() - t0
    log: list[Batch] = []
    for part in (nlp.component, nlp.span, nlp.tagger, nlp.stance_model):
        if part is not None:
            part.model = Counter(part.model, log)
    out = Path(tempfile.mkdtemp()) / "out.jsonl"

    def one_pass() -> None:
        log.clear()
        label_corpus(
            [args.docs],
            nlp=nlp,
            out=str(out),
            target=target,
            progress=False,
            overwrite=True,
            batch_size=args.batch_size,
        )

    times = timed(one_pass, args.repeat)
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    labels = [s["role"] for r in recs for s in r["sentences"]]
    return {
        "sentences": len(labels),
        "times": times,
        "load_s": load_s,
        "log": log,
        "labels": labels,
    }


def run_accuracy(args: argparse.Namespace) -> dict[str, Any]:
    """Component predictions on PE-FR sentences dev (the ``stance evaluate`` inputs)."""
    from stance.evaluate.metrics import macro_f1
    from stance.evaluate.run import component_predictions
    from stance.pipeline.pipeline import load
    from stance.training.data.registry import data_dir, load_dataset

    backend, quantize = BACKENDS[args.backend]
    nlp = load(args.model, backend=backend, quantize=quantize)
    docs = load_dataset("pe-fr-sentences", data_dir() / "pe_fr" / "sentences.tsv", split="dev")
    gold, logits, labels, _, _ = component_predictions(nlp, docs)
    pred = [labels[int(i)] for i in logits.argmax(axis=1)]
    return {
        "n": len(gold),
        "macro_f1": macro_f1(gold, pred, ("claim", "premise", "none")),
        "labels": pred,
    }


def run_peak(args: argparse.Namespace) -> dict[str, Any]:
    """fp32 and int8 2048 × 2048 matmul rates in torch and ONNX Runtime (``bench_common``)."""
    return dict(matmul_peaks(2048))


def worker(args: argparse.Namespace) -> None:
    from stance.model.backends import set_threads

    set_threads(args.threads)
    fn = {"naive": run_naive, "ours": run_ours, "accuracy": run_accuracy, "peak": run_peak}
    result = fn[args.worker](args)
    result["peak_rss_mb"] = peak_rss_mb()
    result["load_avg"] = os.getloadavg()[0]
    if "times" in result:
        result["seconds"] = min(result["times"])
    print("RESULT " + json.dumps(result))


# ---------------------------------------------------------------------------- driver side


def spawn(worker_args: list[str], common: list[str]) -> dict[str, Any]:
    cmd = [sys.executable, __file__, *common, *worker_args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ})
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode or not lines:
        raise RuntimeError(f"{' '.join(worker_args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT ") :])


def agreement(a: list[str], b: list[str]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=True)) / max(1, len(a))


def prepare(args: argparse.Namespace, work: Path, onnx: bool = True) -> dict[str, Any]:
    """Corpora of N and 2N sentences, the HF export (naive path), the ONNX export (timed)."""
    from stance.pipeline.export import export_hf, export_onnx

    corpora = {k: build_corpus(k, work / f"docs_{k}.jsonl") for k in (args.n, 2 * args.n)}
    export_hf(args.model, "component", work / "hf")
    t0 = time.perf_counter()
    if onnx:
        export_onnx(args.model, work / "onnx", quantize="int8")  # = `stance export onnx`
    return {"corpora": corpora, "onnx_export_s": time.perf_counter() - t0 if onnx else None}


def measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Run every variant in turn, each in a fresh process."""
    backends = args.backends
    prep = prepare(args, work, onnx=any("onnx" in b for b in backends))
    corpora = prep["corpora"]
    common = ["--threads", str(args.threads), "--repeat", str(args.repeat)]
    common += ["--batch-size", str(args.batch_size), "--hf", str(work / "hf")]

    def model(backend: str) -> list[str]:  # ONNX rows run the export, as `--model DIR` would
        return ["--model", str(work / "onnx" if "onnx" in backend else args.model)]

    peaks = spawn(["--worker", "peak"], common)
    dims = {name: model_dims(Path(name)) for name in (args.model, *args.also)}
    rows = []
    plan = [("naive", "fp32", "component", k, args.model) for k in corpora]
    plan += [
        ("ours", b, scope, k, args.model) for scope in SCOPES for b in backends for k in corpora
    ]
    plan += [  # another model side by side (e.g. an argument tagger pipeline): torch rows
        ("ours", b, scope, k, also)
        for also in args.also
        for scope in SCOPES[1:]
        for b in backends
        if "onnx" not in b
        for k in corpora
    ]
    for kind, backend, scope, k, name in plan:
        docs = corpora[k]["path_no_target" if scope == "roles+spans" else "path"]
        extra = ["--worker", kind, "--docs", docs, "--scope", scope]
        where = model(backend) if name == args.model else ["--model", name]
        res = spawn([*extra, "--backend", backend, *where], common)
        res.update(encoder_flops(res.pop("log"), dims[name]))
        res.update(kind=kind, backend=backend, scope=scope, size=k, docs=corpora[k]["docs"])
        res.update(model="" if name == args.model else Path(name).name)
        rows.append(res)
        print(f"{kind} {backend} {scope} {k} {name}: {_rate(res):.1f} sent/s", file=sys.stderr)
    acc = {}
    if args.accuracy:
        acc = {
            b: spawn(["--worker", "accuracy", "--backend", b, *model(b)], common) for b in backends
        }
    return {"peaks": peaks, "rows": rows, "accuracy": acc, "onnx_export_s": prep["onnx_export_s"]}


def _rate(r: dict[str, Any]) -> float:
    return r["sentences"] / r["seconds"]


def _find(rows: list[dict[str, Any]], **want: Any) -> list[dict[str, Any]]:
    return [r for r in rows if all(r[k] == v for k, v in want.items())]


def _speedup(r: dict[str, Any], naive: float) -> str:
    """Only where the work is the naive path's: the component rows."""
    return f"{_rate(r) / naive:.1f}" if r["scope"] == "component" else "—"


def _int8_share(r: dict[str, Any], gf: float, peaks: dict[str, float]) -> str:
    """An int8 row against the int8 matmul peak of its own runtime (torch or ONNX Runtime)."""
    if not r["backend"].endswith("int8"):
        return "—"
    peak = peaks["ort_int8_gops" if r["backend"].startswith("onnx") else "torch_int8_gops"]
    return f"{100 * gf / peak:.0f} %"


def throughput_table(rows: list[dict[str, Any]], peaks: dict[str, float], n: int) -> str:
    naive = _rate(_find(rows, kind="naive", size=n)[0])
    lines = [
        "| variant | work | docs | sentences | s | sent/s | × naive | GFLOP/s "
        "| % torch mm | % ORT mm | % int8 mm | padding | peak RSS MB | load s |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        gf = r["flops"] / r["seconds"] / 1e9
        name = "naive `transformers.pipeline`" if r["kind"] == "naive" else "`stance label`"
        name += "" if r["kind"] == "naive" else f" {r['backend']}"
        name += f" ({r['model']})" if r.get("model") else ""
        lines.append(
            f"| {name} | {r['scope']} | {r['docs']} | {r['sentences']} | {r['seconds']:.1f} "
            f"| {_rate(r):.1f} | {_speedup(r, naive)} | {gf:.0f} "
            f"| {100 * gf / peaks['torch_gflops']:.0f} % | {100 * gf / peaks['ort_gflops']:.0f} % "
            f"| {_int8_share(r, gf, peaks)} "
            f"| {1 - r['tokens'] / max(r['padded_tokens'], 1):.0%} | {r['peak_rss_mb']:.0f} "
            f"| {r['load_s']:.1f} |"
        )
    return "\n".join(lines)


def linearity(rows: list[dict[str, Any]], n: int) -> str:
    """time(2N) / time(N) per scope, then per variant."""
    out = []
    for scope in SCOPES:
        cells = []
        for r in _find(rows, scope=scope, size=n):
            same = {k: r[k] for k in ("kind", "backend", "model")}
            big = _find(rows, **same, scope=scope, size=2 * n)
            name = (
                "naive"
                if r["kind"] == "naive"
                else "ours" + (f" ({r['model']})" * bool(r["model"]))
            )
            cells.append(f"{name} {r['backend']} {big[0]['seconds'] / r['seconds']:.2f}")
        if cells:
            out.append(f"*{scope}*: " + ", ".join(cells))
    return "; ".join(out)


def peaks_line(peaks: dict[str, Any]) -> str:
    """The int8 peaks in words (``torch._int_mm`` only where this torch has it on CPU)."""
    int_mm = peaks.get("int_mm_gops")
    bare = f", bare `torch._int_mm` **{int_mm:.0f} GOP/s**" if int_mm else ""
    return (
        f"the int8 `nn.Linear` that `--quantize int8` runs (`stance.model.int8`: each row "
        f"quantised, scaled back to fp32 after the product) "
        f"**{peaks['torch_int8_gops']:.0f} GOP/s**{bare}, ONNX Runtime "
        f"`MatMulInteger` with int8 weights (`quantize_dynamic`, as `stance export onnx "
        f"--quantize int8`) **{peaks['ort_int8_gops']:.0f} GOP/s**"
    )


def accuracy_table(acc: dict[str, dict[str, Any]]) -> str:
    if not acc:
        return "(not measured: `--no-accuracy`)"
    ref = acc.get("fp32") or next(iter(acc.values()))
    lines = ["| backend | macro-F1 | Δ vs fp32 | agreement with fp32 |", "|---|--:|--:|--:|"]
    for b, a in acc.items():
        lines.append(
            f"| {b} | {a['macro_f1']:.4f} | {a['macro_f1'] - ref['macro_f1']:+.4f} "
            f"| {agreement(a['labels'], ref['labels']):.2%} |"
        )
    return "\n".join(lines)


def side_by_side(rows: list[dict[str, Any]], n: int) -> str:
    """Each ``--also`` model's speed against ``--model`` on the same work and backend."""
    cells = []
    for r in _find(rows, kind="ours", size=n):
        if r["model"] and r["scope"] in SCOPES[1:]:
            ref = _find(rows, kind="ours", model="", backend=r["backend"], scope=r["scope"], size=n)
            if ref:
                ratio = _rate(r) / _rate(ref[0])
                cells.append(f"{r['model']} {r['backend']} {r['scope']} {ratio:.2f}×")
    return (
        ("Sentences/s against `--model`, same work and backend: " + ", ".join(cells) + ".")
        if cells
        else ""
    )


def render(res: dict[str, Any], args: argparse.Namespace) -> str:
    """The Markdown page: machine, command, throughput table, linearity, accuracy."""
    rows = res["rows"]
    naive = _find(rows, kind="naive", size=args.n)[0]
    ours = _find(rows, kind="ours", backend="fp32", scope="component", size=args.n)
    agree = (
        f"Naive and `stance label` fp32 give the same role for "
        f"{agreement(naive['labels'], ours[0]['labels']):.1%} of sentences."
        if ours
        else ""
    )
    onnx_s = res["onnx_export_s"]
    onnx = (
        f"`stance export onnx` of the three parts (fp32 + int8 files): {onnx_s:.0f} s, once."
        if onnx_s is not None
        else ""
    )
    command = (
        f"python scripts/bench.py --n {args.n} --threads {args.threads} "
        f"--repeat {args.repeat} --batch-size {args.batch_size}"
    )
    if args.backends != list(BACKENDS):
        command += " --backends " + " ".join(args.backends)
    if args.also:
        command += " --also " + " ".join(args.also)
    return TEMPLATE.format(
        machine=machine(),
        threads=args.threads,
        n=args.n,
        torch_peak=res["peaks"]["torch_gflops"],
        ort_peak=res["peaks"]["ort_gflops"],
        int8_peaks=peaks_line(res["peaks"]),
        table=throughput_table(rows, res["peaks"], args.n),
        repeat=args.repeat,
        batch=args.batch_size,
        load=max(r["load_avg"] for r in rows),
        linear=linearity(rows, args.n),
        accuracy=accuracy_table(res["accuracy"]),
        notes="\n".join(line for line in (agree, side_by_side(rows, args.n), onnx) if line),
        command=command + ("" if args.accuracy else " --no-accuracy"),
    )


TEMPLATE = """# CPU throughput

Generated by `scripts/bench.py` (do not edit by hand; rerun it on a quiet machine). Rerun with:

    {command}

Machine: {machine}. Threads: {threads} (physical cores). Each variant runs in its own process
(peak RSS is its own), {repeat} timed passes, the fastest kept; the highest 1-minute load
average seen by a variant was {load:.1f} (other jobs share this machine: above ~{threads} the
numbers are pessimistic, torch fp32 most of all).

fp32 matmul peak (2048 × 2048, same threads): `torch.matmul` (MKL) **{torch_peak:.0f} GFLOP/s**,
ONNX Runtime `MatMul` (MLAS) **{ort_peak:.0f} GFLOP/s**: on this AMD CPU MKL reaches about half of
what the cores can do, so efficiency is given against both. int8 matmul peak (same shapes,
2·M·N·K operations): {int8_peaks}; `% int8 mm` gives an int8 row against the int8 peak of its
own runtime.

Corpus: PE-FR paragraphs interleaved with X-Stance French comments (`../shared/data`), N = {n}
and 2N sentences. *component* = sentence roles only; the naive row does the same work: one
`transformers.pipeline("text-classification")` call per sentence (with its context when the
model uses one, capped like ours) on the model written by `stance export hf`. *roles+spans* =
the whole pipeline without a target (what `stance label` runs with no `--target`, on the same
documents stripped of their targets). *full* = roles + spans + stance toward a target (the
X-Stance question, or a fixed one for PE-FR; the roll-up included). `stance label` rows run
`label_corpus` (what the CLI runs, `--batch-size {batch}` documents per batch) and include
segmentation and writing; times exclude model loading (`load s`, with a warm-up call). GFLOP/s
counts the encoder FLOPs executed: 2 × linear parameters per token + 4·S·H per token and layer
for attention (checked against `torch.utils.flop_counter` on the real encoder). The naive and
ONNX rows execute padding; the torch rows' encoders run real tokens only, each sequence's
attention at its own S (`stance.model.attention.packed_encoder`). `padding` is the share of
executed tokens that are padding. int8 rows count the same FLOPs (fp32-equivalent), so they can
pass the fp32 peak: int8 dot-product instructions (AVX-512 VNNI) do 4× the multiply-adds of fp32
FMA per cycle. `stance label` runs the *int8* rows by default (the shipped `pipeline.json` says
`"quantize": "int8"`; `--backend fp32` gives the fp32 rows).
Rows named in brackets are `--also` pipelines, run on the same corpora (`parts-default`: the
default shipped before the argument tagger, with a roles part and a span part, as
`git archive 0dd62b2 models/default` gives it). The default's roles and spans come from one
argument tagger (docs/research-log.md, "The argument tagger ships").

{table}

Cost against corpus size, time(2N) / time(N) (2.00 = linear): {linear}.
{notes}

## Accuracy of the fast paths (component, PE-FR sentences dev, 3 classes)

{accuracy}
"""


def main() -> None:
    from stance.pipeline.config import DOC_BATCH

    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--model", default=str(ROOT / "models" / "default"))
    ap.add_argument(
        "--also", nargs="*", default=[], help="other pipeline dirs run beside --model (torch rows)"
    )
    ap.add_argument("--n", type=int, default=600, help="sentences in the small corpus")
    ap.add_argument("--threads", type=int, default=None, help="default: physical cores")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes per variant (best kept)")
    ap.add_argument("--batch-size", type=int, default=DOC_BATCH, help="stance label --batch-size")
    ap.add_argument("--no-docs", action="store_true", help="print, do not write docs/")
    ap.add_argument(
        "--backends", nargs="+", default=list(BACKENDS), choices=list(BACKENDS), metavar="B"
    )
    ap.add_argument(
        "--no-accuracy", dest="accuracy", action="store_false", help="skip PE-FR dev accuracy"
    )
    ap.add_argument("--worker", choices=["naive", "ours", "accuracy", "peak"])
    ap.add_argument("--docs", help="worker: corpus JSONL")
    ap.add_argument("--hf", help="worker: exported HF component dir")
    ap.add_argument("--scope", default="component", choices=list(SCOPES))
    ap.add_argument("--backend", default="fp32", choices=list(BACKENDS))
    args = ap.parse_args()
    if args.worker:
        return worker(args)
    from stance.model.backends import physical_cores

    args.threads = args.threads or physical_cores()
    with tempfile.TemporaryDirectory() as tmp:
        page = render(measure(args, Path(tmp)), args)
    print(page)
    if not args.no_docs:  # "## Scale" and "## Start-up" are other scripts': kept as they are
        write_page_head(page)
        print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
