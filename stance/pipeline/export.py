"""Export a task of a pipeline as a standalone, standard transformers directory.

The compact shipped form (LoRA adapter over the offline e5 base) is merged into full weights,
the calibration temperature is folded into the classifier (so ``transformers.pipeline`` softmax
scores equal ``stance`` scores), and labels are the contract's lowercase English labels.

A pipeline whose roles and spans come from an argument tagger (a ``tagger`` part) exports
``component`` as a ``BertForSequenceClassification`` (encoder, pooler and the roles head: on a
one-sentence text it predicts what the tagger reads for that sentence) and ``span`` as a
``BertForTokenClassification`` (encoder and the BIO head), each with its own temperature.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import torch

from stance.model.onnx import export_onnx_part
from stance.model.part import TAGGER, ModelError, PartInfo, load_part
from stance.pipeline.config import PIPELINE_FILE
from stance.pipeline.pipeline import load


def part_path(model: str | Path | None, task: str) -> Path:
    from stance.pipeline.pipeline import load

    nlp = load(model)
    if task in ("component", "span") and task not in nlp._paths and TAGGER in nlp._paths:
        return nlp._paths[TAGGER]  # roles and spans come from the tagger
    if task not in nlp._paths:
        raise ModelError(f"{nlp.directory}: the pipeline has no {task!r} part")
    return nlp._paths[task]


def export_hf(model: str | Path | None, task: str, out: Path) -> Path:
    """Write ``out`` with config (id2label), safetensors weights, tokenizer and model card."""
    from stance.model.card import write_model_card

    src = part_path(model, task)
    net, tokenizer, info = load_part(src)
    if info.task == TAGGER:
        net, info = tagger_head(net, info, task)
    _fold_temperature(net, info.temperature)
    net.config.id2label = dict(enumerate(info.labels))
    net.config.label2id = {label: i for i, label in enumerate(info.labels)}
    net.config.stance_task = task
    out.mkdir(parents=True, exist_ok=True)
    net.save_pretrained(str(out), safe_serialization=True)
    tokenizer.save_pretrained(str(out))
    exported = PartInfo(
        task=info.task,
        labels=info.labels,
        base=info.base,
        max_length=info.max_length,
        context=info.context,
        merge_majorclaim=info.merge_majorclaim,
        temperature=1.0,
        extra=info.extra,
    )
    exported.save(out)
    scores = dict(info.extra.get("dev_scores", {}))
    scores["temperature_folded"] = info.temperature
    settings = {  # the card tells users how to build the inputs
        "exported_from": str(src),
        "context": info.context,
        "context_chars": info.context_chars,
    }
    write_model_card(out, exported, settings, scores)
    return out


def tagger_head(net: Any, info: PartInfo, task: str) -> tuple[Any, PartInfo]:
    """One head of an argument tagger as a standard model, with the part info of that task."""
    from stance.model.tagger import sequence_classifier, token_classifier

    extra = {k: v for k, v in info.extra.items() if k not in ("role_labels", "span_temperature")}
    if task == "component":
        head = replace(info, task=task, labels=net.role_labels, context=0, extra=extra)
        return sequence_classifier(net), head
    if task == "span":
        temperature = float(info.extra.get("span_temperature", 1.0))
        return token_classifier(net), replace(info, task=task, temperature=temperature, extra=extra)
    raise ModelError(f"a tagger part exports as component or span, not {task!r}")


def _fold_temperature(net: torch.nn.Module, temperature: float) -> None:
    """Divide the last linear layer by T: logits/T without any custom code at load time."""
    if abs(temperature - 1.0) < 1e-6:
        return
    head = getattr(net, "classifier", None)
    last = getattr(head, "out_proj", head)  # RoBERTa/CamemBERT heads end with out_proj
    if not isinstance(last, torch.nn.Linear):
        raise ModelError(f"cannot fold temperature into a {type(last).__name__} head")
    with torch.no_grad():
        last.weight.div_(temperature)
        if last.bias is not None:
            last.bias.div_(temperature)


def export_onnx(
    model: str | Path | None, out: Path, task: str | None = None, quantize: str | None = None
) -> Path:
    """One task into ``out``; or, without ``task``, every part plus a ``pipeline.json`` so
    that ``stance.load(out, backend="onnx")`` runs the whole pipeline from the export."""
    nlp = load(model)
    paths = nlp.part_paths
    if task is not None:  # roles or spans of a tagger: the whole tagger (both heads)
        return export_onnx_part(part_path(model, task), out, quantize)
    for name, src in paths.items():
        export_onnx_part(src, out / name, quantize)
    config = asdict(nlp.config)
    manifest = {
        **config,
        "parts": {n: n for n in paths},
        "meta": {**config["meta"], "backend": "onnx"},
    }
    (out / PIPELINE_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return out
