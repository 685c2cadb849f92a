"""Roles beyond essays, read as binary questions on English dev sets of other genres.

    python scripts/roles_genres.py models/default runs/tagger-pipeline
    python scripts/roles_genres.py models/default --limit 500 --backend fp32

- **UKP Sentential val** (web, 2,042 sentences): argument (claim or premise) vs none.
- **IAM claims dev** (debate articles, 7,057 sentences): claim vs the rest.

Each dev row is one sentence, labelled as ``stance label`` labels a one-sentence document (the
roles part without context, or the argument tagger on a window of one), with the backend users
get unless ``--backend``/``--quantize`` say otherwise. Baselines (majority, TF-IDF + LR) train on
the argument tagger recipe's training sentences (``scripts/configs/tagger.toml``: PE-FR and the
genre mix) read the same binary way; a sentence whose gold allows both sides of a question (an
IBM non-evidence sentence is a claim or no argument) does not train that question. Score: F1 of
the positive class with a 95 % bootstrap interval over sentences.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RECIPE = ROOT / "scripts/configs/tagger.toml"
# name -> (data format, folder under the data dir, the roles that make the positive answer)
QUESTIONS: dict[str, tuple[str, str, frozenset[str]]] = {
    "ukp-argument": ("ukp-sentential", "xling/ukp_sentential", frozenset({"claim", "premise"})),
    "iam-claim": ("iam-claims", "xling/iam", frozenset({"claim"})),
}


def binary(allowed: set[str], positive: frozenset[str]) -> str | None:
    """``"yes"`` / ``"no"`` when the gold's allowed roles fall on one side, else None."""
    if allowed and allowed <= positive:
        return "yes"
    if allowed and not allowed & positive:
        return "no"
    return None


def dev_rows(question: str, limit: int | None) -> tuple[list[str], list[str]]:
    """(sentences, gold yes/no) of the question's dev split."""
    from stance.training.data.registry import data_dir, load_dataset

    fmt, folder, positive = QUESTIONS[question]
    docs = load_dataset(fmt, data_dir() / folder, split="dev")[:limit]
    texts, gold = [], []
    for doc in docs:
        answer = binary(set(doc.meta.get("role_labels") or ()), positive)
        if answer is not None:
            texts.append(doc.text)
            gold.append(answer)
    return texts, gold


def train_sentences() -> list[tuple[str, set[str]]]:
    """The tagger recipe's training sentences, each with the roles its gold allows (read once:
    every question answers from them)."""
    from stance.doc import ROLES
    from stance.model.tasks import doc_words
    from stance.training.config import load_config
    from stance.training.data.mix import task_documents
    from stance.training.tagging import allowed_roles, one_sentence

    out = []
    for doc in map(one_sentence, task_documents(load_config(RECIPE))[0]):
        for sentence, row in zip(doc.sentences, allowed_roles(doc, doc_words(doc)), strict=True):
            allowed = {r for r, on in zip(ROLES, row, strict=True) if on}
            out.append((doc.text[sentence.start : sentence.end], allowed))
    return out


def train_rows(
    sentences: list[tuple[str, set[str]]], positive: frozenset[str]
) -> tuple[list[str], list[str]]:
    """The training sentences with a yes/no answer to the question."""
    texts, labels = [], []
    for text, allowed in sentences:
        answer = binary(allowed, positive)
        if answer is not None:
            texts.append(text)
            labels.append(answer)
    return texts, labels


def f1_interval(gold: list[str], pred: list[str], n_boot: int = 1000) -> dict[str, float]:
    """F1 of "yes" and its percentile bootstrap interval (sentences resampled)."""
    from stance.evaluate.metrics import bootstrap_stat, percentile_interval

    g, p = np.array(gold) == "yes", np.array(pred) == "yes"
    counts = np.stack([g & p, ~g & p, g & ~p], axis=1).astype(float)  # tp, fp, fn per sentence

    def f1(c: np.ndarray) -> np.ndarray:
        c = np.atleast_2d(c)
        return 2 * c[:, 0] / np.maximum(2 * c[:, 0] + c[:, 1] + c[:, 2], 1e-9)

    low, high = percentile_interval(bootstrap_stat(counts, f1, n_boot, seed=0), 0.05)
    return {"f1": float(f1(counts.sum(0))[0]), "low": low, "high": high, "n": len(gold)}


def model_answers(nlp: Any, name: str, texts: list[str], positive: frozenset[str]) -> list[str]:
    """Each sentence as a one-sentence document through the pipeline: yes if its role is one
    of ``positive``."""
    from tqdm import tqdm

    out = []
    for doc in tqdm(nlp.pipe(texts), total=len(texts), desc=Path(name).name, leave=False):
        roles = {s.role for s in doc.sentences}
        out.append("yes" if roles & positive else "no")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("models", nargs="+", help="pipeline directories or task checkpoints")
    ap.add_argument("--limit", type=int, default=None, help="first N dev rows per set")
    ap.add_argument("--backend", default="torch")
    ap.add_argument("--quantize", default="auto")
    ap.add_argument("--json", type=Path, default=None, help="also write the scores here")
    args = ap.parse_args()
    import stance
    from stance.training.baselines import majority_label, tfidf_lr_predict

    nlps = {m: stance.load(m, backend=args.backend, quantize=args.quantize) for m in args.models}
    sentences = train_sentences()
    scores: dict[str, dict[str, Any]] = {}
    for question, (_, _, positive) in QUESTIONS.items():
        texts, gold = dev_rows(question, args.limit)
        train_texts, train_labels = train_rows(sentences, positive)
        row = {
            "majority": f1_interval(gold, [majority_label(train_labels)] * len(gold)),
            "tfidf-lr": f1_interval(gold, tfidf_lr_predict(train_texts, train_labels, texts)),
        }
        for model, nlp in nlps.items():
            row[model] = f1_interval(gold, model_answers(nlp, model, texts, positive))
        scores[question] = row
        print(f"{question} (n={len(gold)}, positive share {gold.count('yes') / len(gold):.2f})")
        for name, s in row.items():
            print(f"  {name:40s} F1 {s['f1']:.3f} [{s['low']:.3f}, {s['high']:.3f}]")
        sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps(scores, indent=2))


if __name__ == "__main__":
    main()
