"""A readable terminal table of labelled documents (what `stance predict` prints).

Rows follow the same display decision as the HTML views (``stance.io.html.sentence_view``):
sentences are numbered from 1 (the JSON record keeps its 0-based ``index``), a stance is
printed only where the page shows a pill, and boilerplate rows (no role, no stance) are dimmed.
"""

from __future__ import annotations

from collections.abc import Iterable

from stance.doc import Document, Sentence
from stance.io.html import sentence_view

ROLE_STYLE = {"claim": "bold magenta", "premise": "cyan", "none": "dim"}
STANCE_STYLE = {"favor": "green", "against": "red", "none": "dim"}


def _scored(label: str, scores: dict[str, float] | None, styles: dict[str, str]) -> str:
    score = f" {scores[label]:.2f}" if scores and label in scores else ""
    style = styles.get(label)
    return f"[{style}]{label}{score}[/]" if style else f"{label}{score}"


def sentence_row(s: Sentence) -> tuple[tuple[str, str, str, str], str | None]:
    """The cells of one sentence (number, text, role, stance) and the row's style."""
    view = sentence_view(s)
    role = _scored(s.role, s.role_scores, ROLE_STYLE) if s.role else "-"
    stance = _scored(view.pill, s.stance_scores, STANCE_STYLE) if view.pill else "-"
    return (str(view.number), s.text, role, stance), "dim" if view.muted else None


def _evidence(evidence: tuple[int, ...]) -> str:
    """The sentences (numbered from 1) that decided the verdict, or that none takes a side."""
    if not evidence:
        return ": no sentence takes a side"
    return ", decided by " + ", ".join(f"#{i + 1}" for i in evidence)


def print_table(docs: Iterable[Document], width: int = 90) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(width=max(width, 60))
    for doc in docs:
        if doc.error:
            err = f"{doc.source or doc.id}: {doc.error['type']}: {doc.error['message']}"
            console.print(f"[red]{escape(err)}")
            continue
        title = escape(doc.source or doc.id)
        if doc.stance and doc.target:
            verdict = doc.stance.label
            title += f" — stance toward « {escape(doc.target)} »: "
            style = STANCE_STYLE.get(verdict, "default")
            title += f"[{style}]{verdict}[/] ({doc.stance.scores.get(verdict, 0.0):.2f})"
            title += _evidence(doc.stance.evidence)
        table = Table(title=title, show_lines=False, expand=True)
        table.add_column("#", justify="right", width=3)
        table.add_column("sentence", ratio=1)
        table.add_column("role", width=12)
        table.add_column("stance", width=12)
        for s in doc.sentences:
            cells, row_style = sentence_row(s)
            table.add_row(cells[0], escape(cells[1]), *cells[2:], style=row_style)
        console.print(table)
