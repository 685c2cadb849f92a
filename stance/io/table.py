"""A readable terminal table of labelled documents (what `stance predict` prints)."""

from __future__ import annotations

from collections.abc import Iterable

from stance.doc import Document

ROLE_STYLE = {"claim": "bold magenta", "premise": "cyan", "none": "dim"}
STANCE_STYLE = {"favor": "green", "against": "red", "none": "dim"}


def print_table(docs: Iterable[Document], width: int = 90) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(width, 60))
    for doc in docs:
        if doc.error:
            console.print(
                f"[red]{doc.source or doc.id}: {doc.error['type']}: {doc.error['message']}"
            )
            continue
        title = doc.source or doc.id
        if doc.stance and doc.target:
            verdict = doc.stance.label
            title += f" — stance toward « {doc.target} »: [{STANCE_STYLE[verdict]}]{verdict}[/] "
            title += f"({doc.stance.scores[verdict]:.2f})"
        table = Table(title=title, show_lines=False, expand=True)
        table.add_column("#", justify="right", width=3)
        table.add_column("sentence", ratio=1)
        table.add_column("role", width=12)
        table.add_column("stance", width=12)
        for s in doc.sentences:
            role = s.role or "-"
            rscore = (
                f" {s.role_scores[role]:.2f}" if s.role_scores and role in s.role_scores else ""
            )
            st = s.stance or "-"
            sscore = (
                f" {s.stance_scores[st]:.2f}" if s.stance_scores and st in s.stance_scores else ""
            )
            table.add_row(
                str(s.index),
                s.text,
                f"[{ROLE_STYLE.get(role, '')}]{role}{rscore}[/]" if role != "-" else "-",
                f"[{STANCE_STYLE.get(st, '')}]{st}{sscore}[/]" if st != "-" else "-",
            )
        console.print(table)
