"""The one data model: ``Document`` → ``Sentence`` → ``Span``.

Every reader, model, writer and report speaks in these objects. They are frozen and hold
no tensors; offsets are character offsets into ``Document.text`` so that
``doc.text[s.start:s.end] == s.text`` always holds. Models return *new* objects
(``dataclasses.replace``) rather than mutating, which keeps batch code free of aliasing bugs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

ROLES: tuple[str, ...] = ("claim", "premise", "none")
STANCES: tuple[str, ...] = ("favor", "against", "none")
SPAN_LABELS: tuple[str, ...] = ("claim", "premise")
NO_WORDS = "no_words"  # sentence flag: no word to read (stance.segment.has_words), no model work


@dataclass(frozen=True)
class Span:
    """A labelled character span (an argument component) inside a document's text."""

    start: int
    end: int
    label: str
    score: float | None = None

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label}
        if self.score is not None:
            out["score"] = round(self.score, 4)
        if text is not None:
            out["text"] = text[self.start : self.end]
        return out


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document, with its argumentative role and stance when predicted."""

    index: int
    start: int
    end: int
    text: str
    role: str | None = None
    role_scores: dict[str, float] | None = None
    stance: str | None = None
    stance_scores: dict[str, float] | None = None
    flags: tuple[str, ...] = ()  # "windowed" when longer than the model window; NO_WORDS

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "role": self.role,
            "role_scores": _rounded(self.role_scores),
            "stance": self.stance,
            "stance_scores": _rounded(self.stance_scores),
        }
        if self.flags:
            out["flags"] = list(self.flags)
        return out


@dataclass(frozen=True)
class DocStance:
    """Article-level stance toward the target, rolled up from the sentences."""

    label: str
    scores: dict[str, float]
    evidence: tuple[int, ...] = ()  # indices of the sentences that decided the label

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "scores": _rounded(self.scores),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Document:
    """A text to analyse, where it came from, and (after prediction) its annotations.

    ``error`` is set instead of sentences when the input could not be read or processed, so
    that batch jobs always produce one record per input.
    """

    id: str
    text: str
    source: str = ""
    target: str | None = None
    sentences: tuple[Sentence, ...] = ()
    spans: tuple[Span, ...] = ()  # argument components (claim/premise), document offsets
    stance: DocStance | None = None
    error: dict[str, str] | None = None
    text_extracted: bool = False  # True when ``text`` was extracted (HTML): records carry it
    meta: dict[str, Any] = field(default_factory=dict)

    def with_error(self, kind: str, message: str) -> Document:
        return replace(self, sentences=(), stance=None, error={"type": kind, "message": message})

    def to_dict(self) -> dict[str, Any]:
        """The JSON document record (docs/architecture.md, "The document record")."""
        out: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "stance": self.stance.to_dict() if self.stance else None,
            "sentences": [s.to_dict() for s in self.sentences],
            "error": self.error,
        }
        if self.spans:
            out["spans"] = [sp.to_dict(self.text) for sp in self.spans]
        if self.text_extracted:
            out["text"] = self.text
        if self.meta.get("main_claims"):
            out["main_claims"] = self.meta["main_claims"]
        if "hash" in self.meta:  # written by `stance label` so that re-runs can resume
            out["hash"] = self.meta["hash"]
        return out

    @classmethod
    def from_dict(cls, rec: dict[str, Any], text: str | None = None) -> Document:
        """Rebuild a document from its record (``text`` is needed when the record lacks it)."""
        body = rec.get("text", text) or ""
        sentences = tuple(
            Sentence(
                index=s["index"],
                start=s["start"],
                end=s["end"],
                text=s["text"],
                role=s.get("role"),
                role_scores=s.get("role_scores"),
                stance=s.get("stance"),
                stance_scores=s.get("stance_scores"),
                flags=tuple(s.get("flags", ())),
            )
            for s in rec.get("sentences", [])
        )
        st = rec.get("stance")
        return cls(
            id=str(rec["id"]),
            text=body,
            source=rec.get("source", ""),
            target=rec.get("target"),
            sentences=sentences,
            spans=tuple(
                Span(sp["start"], sp["end"], sp["label"], sp.get("score"))
                for sp in rec.get("spans", [])
            ),
            # hand-written gold often gives only the label
            stance=DocStance(
                st["label"],
                st.get("scores") or {st["label"]: 1.0},
                tuple(st.get("evidence", ())),
            )
            if st
            else None,
            error=rec.get("error"),
            text_extracted=bool(rec.get("text_extracted", False)),
            meta={
                **rec.get("meta", {}),
                **({"main_claims": rec["main_claims"]} if rec.get("main_claims") else {}),
            },
        )


def _rounded(scores: dict[str, float] | None) -> dict[str, float] | None:
    return None if scores is None else {k: round(float(v), 4) for k, v in scores.items()}
