"""Which layers cost the span part its accuracy under dynamic int8 (docs/research-log.md, "int8").

    python scripts/int8_layers.py                 # every variant, span dev (PE-FR BIO), 1 thread
    python scripts/int8_layers.py --variants all ffn-out-fp32

Each variant quantises a different set of the part's ``nn.Linear`` modules with torch dynamic
int8 (``quantize_dynamic`` with a per-module spec: one activation scale per batch) or, for
``rows`` (FFN output projections fp32) and ``rows-all`` (what ``--quantize int8`` does), with
per-token int8 (``stance.model.int8``), in place of ``stance.model.backends.quantize_int8``,
then scores the shipped default's span part with the evaluation harness.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VARIANTS = ("all", "no-head", "no-last-layers", "per-channel", "ffn-out-fp32", "rows", "rows-all")


def is_ffn_out(name: str) -> bool:
    """A BERT layer's feed-forward output projection (``layer.N.output.dense``)."""
    return name.endswith("output.dense") and "attention" not in name


def quantizer(variant: str) -> Any:
    import torch
    from torch.ao.quantization import (
        default_dynamic_qconfig,
        per_channel_dynamic_qconfig,
        quantize_dynamic,
    )

    def skip(name: str) -> bool:
        if variant == "no-head":
            return "classifier" in name
        if variant == "no-last-layers":
            return "classifier" in name or any(f"layer.{i}." in name for i in (10, 11))
        return variant == "ffn-out-fp32" and is_ffn_out(name)

    qconfig = per_channel_dynamic_qconfig if variant == "per-channel" else default_dynamic_qconfig

    def quantize(model: torch.nn.Module, **_: Any) -> torch.nn.Module:
        if variant.startswith("rows"):
            from stance.model.int8 import quantize_rows

            linears = [n for n, m in model.named_modules() if type(m) is torch.nn.Linear]
            keep = () if variant == "rows-all" else tuple(filter(is_ffn_out, linears))
            return quantize_rows(model, keep)
        spec = {
            name: qconfig
            for name, module in model.named_modules()
            if isinstance(module, torch.nn.Linear) and not skip(name)
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return quantize_dynamic(model, spec, dtype=torch.qint8, inplace=True)

    return quantize


def main() -> None:
    import torch

    import stance.model.backends as backends
    from stance.evaluate.run import evaluate_model
    from stance.training.data.registry import data_dir

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", nargs="*", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--model", default=str(ROOT / "models/default"))
    parser.add_argument("--out", type=Path, default=ROOT / "runs/int8-layers")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print("| int8 variant | BIO macro-F1 | exact span F1 |\n|---|---|---|")
    for variant in args.variants:
        backends.quantize_int8 = quantizer(variant)  # what part_loader(quantize="int8") calls
        rep = evaluate_model(
            args.model, "span", data_dir() / "pe_fr/dev_PE.fr", "pe-fr-bio",
            args.out / variant, split=None, baselines=False, quantize="int8",
        )  # fmt: skip
        print(f"| {variant} | {rep['macro_f1']:.3f} | {rep['span_f1_exact']:.3f} |")


if __name__ == "__main__":
    main()
