"""Few-shot samples of X-Stance FR train and E-FRA (``fewshot``): one document per row.

``{32,128,256}/<dataset>_train_<size>[_<seed>].json``: JSON lines ``uid, premise (= the
target), hypothesis (= the text), label``. Every row is ``train``; ``meta["dataset"]`` is
``xstance-fr`` or ``e-fra``. Id ``<file stem>:<row>``.
"""

from __future__ import annotations

from pathlib import Path

from stance.doc import Document
from stance.training.data.base import Adapter, gold_stance, json_lines, need


def read(path: Path, errors: str) -> list[Document]:
    dataset = path.stem.split("_train")[0]
    docs = []
    for row in json_lines(path, errors):
        text, target, label = need(row, path, "hypothesis", "premise", "label")
        meta = {"source_file": str(path), "uid": row.rec.get("uid"), "dataset": dataset,
                "split": "train"}  # fmt: skip
        docs.append(Document(f"{path.stem}:{row.n}", text, f"{path}#row{row.n}", target=target,
                             stance=gold_stance(label, path, row.line), meta=meta))  # fmt: skip
    return docs


ADAPTER = Adapter("fewshot", read, "fewshot", {None: ("*/*.json",)}, group_key="uid", language="fr")
ADAPTERS = (ADAPTER,)
