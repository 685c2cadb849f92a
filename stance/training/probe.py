"""Linear probing before fine-tuning (LP-FT): start the classifier head from a fitted one.

A randomly initialised head sends random gradients into the encoder in the first steps, which
bends the pretrained features before the head has learnt anything; on inputs unlike the
training ones (X-Stance questions never seen) that costs accuracy (Kumar et al. 2022,
"Fine-Tuning can Distort Pretrained Features and Underperform Out-of-Distribution"). The fix
is cheap: one pass of the frozen model over the training rows, a logistic regression on the
features the head reads, and its weights as the head's starting point.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import torch

log = logging.getLogger(__name__)


def head_features(model: Any, dataset: Any, collator: Any, batch_size: int = 64) -> np.ndarray:
    """What the classifier reads (the pooler's output) for every row, with the encoder frozen."""
    from tqdm.auto import tqdm

    model.eval()
    rows = list(dataset.select_columns(["input_ids", "attention_mask"]))  # each row read once
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]["input_ids"]))  # little padding
    out = np.zeros((len(rows), int(model.config.hidden_size)), dtype=np.float32)
    for start in tqdm(range(0, len(order), batch_size), desc="linear probe", unit="batch"):
        idx = order[start : start + batch_size]
        batch = collator([rows[i] for i in idx])
        with torch.no_grad():
            out[idx] = model.base_model(**batch).pooler_output.float().numpy()
    model.train()
    return out


def fit_head(model: Any, features: np.ndarray, labels: np.ndarray, c: float = 1.0) -> float:
    """Set ``model.classifier`` to a balanced logistic regression; returns its train accuracy."""
    from sklearn.linear_model import LogisticRegression

    n_labels = int(model.config.num_labels)
    if set(labels.tolist()) != set(range(n_labels)):
        raise ValueError(f"probe_head needs training rows of all {n_labels} labels")
    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(features, labels)
    with torch.no_grad():
        model.classifier.weight.copy_(torch.as_tensor(lr.coef_, dtype=torch.float32))
        model.classifier.bias.copy_(torch.as_tensor(lr.intercept_, dtype=torch.float32))
    accuracy = float(lr.score(features, labels))
    log.warning("probe_head: logistic regression on frozen features, train accuracy %.3f", accuracy)
    return accuracy


def probe_head(model: Any, dataset: Any, collator: Any) -> float:
    """Fit the head of a sequence classifier on its frozen features (in place)."""
    if not hasattr(model, "classifier") or not isinstance(model.classifier, torch.nn.Linear):
        raise ValueError("probe_head is for sequence classifiers with a linear head")
    features = head_features(model, dataset, collator)
    return fit_head(model, features, np.asarray(list(dataset["labels"])))
