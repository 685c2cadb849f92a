"""Are the argument tagger's mixed roles calibrated, and would a temperature of their own help?

    python scripts/tagger_role_calibration.py runs/tagger

A sentence read in a window with others gets its role head mixed with the roles of its words'
BIO tags (``span_role_weight``); the role head's temperature is fitted on the head alone. For
the sentences whose roles are mixed, this script reports the role ECE (15 bins) on PE-FR dev
essays and on our article probe, as the run's manifest reads them (temperature 1 on the mix)
and with the mixed probabilities raised to 1 / T, T fitted on the PE-FR dev essays
(``decide.fit_temperature`` on their logs: no argmax changes). It also prints the T each set
would fit on its own, as a diagnostic (the probe is a check: nothing is chosen on it).
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np

from stance.doc import ROLES
from stance.model.classifier import ArgumentTagger, softmax
from stance.model.part import load_part
from stance.model.tasks import doc_words
from stance.pipeline.decide import expected_calibration_error, fit_temperature
from stance.training.data.registry import data_dir, load_dataset

ROOT = Path(__file__).resolve().parents[1]


def mixed_roles(tagger: ArgumentTagger, docs: list) -> tuple[np.ndarray, np.ndarray]:
    """Log role probabilities and gold indices of the sentences read beside others."""
    logs, gold = [], []
    for lo in range(0, len(docs), 32):
        chunk = docs[lo : lo + 32]
        words = [doc_words(d) for d in chunk]
        roles, tags, windows = tagger.logits(chunk, 16, words)
        scored = tagger.scores(chunk, words, roles, tags, windows)
        beside = {(w.doc, j) for w in windows if len(w.sentences) > 1 for j in w.sentences}
        for d, (doc, out) in enumerate(zip(chunk, scored, strict=True)):
            for j, sentence in enumerate(doc.sentences):
                if (d, j) in beside:
                    logs.append(np.log(np.maximum(out.role_probs[j], 1e-12)))
                    gold.append(tagger.role_labels.index(sentence.role or "none"))
    return np.array(logs), np.array(gold)


def ece(logs: np.ndarray, gold: np.ndarray, temperature: float) -> float:
    probs = softmax(logs, temperature)
    return expected_calibration_error(probs.max(1), probs.argmax(1) == gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", type=Path, help="an argument tagger run or part directory")
    run = parser.parse_args().run
    warnings.filterwarnings("ignore")
    tagger = ArgumentTagger(*load_part(run))
    assert set(tagger.role_labels) == set(ROLES)
    sets = {
        "PE-FR dev essays": load_dataset("pe-fr-bio", data_dir() / "pe_fr/dev_PE.fr"),
        "article probe": load_dataset("jsonl", ROOT / "data/probes/roles_articles.jsonl"),
    }
    read = {name: mixed_roles(tagger, docs) for name, docs in sets.items()}
    fitted = fit_temperature(*read["PE-FR dev essays"])
    print(f"T fitted on the PE-FR dev essays' mixed roles: {fitted:.3f}")
    print("| set | mixed sentences | ECE, T = 1 | ECE, T fitted on essays | its own T |")
    print("|---|--:|--:|--:|--:|")
    for name, (logs, gold) in read.items():
        print(
            f"| {name} | {len(gold)} | {ece(logs, gold, 1.0):.3f} | "
            f"{ece(logs, gold, fitted):.3f} | {fit_temperature(logs, gold):.2f} |"
        )


if __name__ == "__main__":
    main()
