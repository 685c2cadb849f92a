"""Evaluation harness: metrics over fixed label sets, CIs, baselines, reports.

Model-agnostic: ``evaluate_predictions`` / ``evaluate_spans`` take gold and predicted labels
and write ``report.json``, ``report.md`` and plots; ``stance.evaluate.run`` wires real models.
"""

from stance.evaluate.harness import (
    LABEL_SETS,
    evaluate_predictions,
    evaluate_spans,
    label_set,
)
from stance.evaluate.report import compare_reports

__all__ = [
    "LABEL_SETS",
    "compare_reports",
    "evaluate_predictions",
    "evaluate_spans",
    "label_set",
]
