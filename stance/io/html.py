"""HTML views of analysed documents: one fragment per document, or a self-contained report.

The same fragment is used by the web page (``POST /render``) and by ``stance label --format
html``, styled by the one stylesheet ``stance/io/style.css`` (inlined in the report, linked
from the page). The report needs no JavaScript: scores show on hover (``title`` attributes).

What a sentence shows is decided once, by :func:`sentence_view`, from its record alone (role,
stance, scores; never its text); the terminal table (``stance.io.table``) uses it too:

- **Highlights follow the role tag.** Only a ``claim`` or ``premise`` sentence is highlighted,
  always in the colour of its role. Spans only say *which part* of it to highlight (their own
  label is ignored, so they never contradict the tag); with no span in it, the whole sentence
  is. A sentence of role ``none`` shows no highlight, whatever spans cross it.
- **A stance pill only where there is a stance**: none for stance ``none`` (or no target); a
  sentence of role ``none`` keeps its pill only for a strong stance (score of its label
  ≥ :data:`STRONG_STANCE`, e.g. a thesis the role model missed). Titles, bylines and dates
  thus lose their « Pour »/« Contre ».
- **Greyed out** (boilerplate): a sentence with neither a role nor a pill.
- **Numbers start at 1** wherever a person reads them (list, links, anchors ``#d1-s3``);
  ``Sentence.index`` stays 0-based in the JSON record.

French typography: no-break space before « : », narrow one before « ; ! ? % » and inside « ».
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import IO, Any

from stance.doc import ROLES, STANCES, Document, Sentence, Span

STYLE_PATH = Path(__file__).parent / "style.css"

ROLE_FR: dict[str, str] = {"claim": "Thèse", "premise": "Prémisse", "none": "Hors argumentation"}
STANCE_FR: dict[str, str] = {"favor": "Pour", "against": "Contre", "none": "Neutre / sans position"}
ARGUMENT_ROLES: tuple[str, ...] = ("claim", "premise")
STRONG_STANCE = 0.75  # from this score, a sentence outside the argument keeps its stance pill
_NBSP = "\u00a0"  # before « : »
_NNBSP = "\u202f"  # narrow: before « ; ! ? % » and inside « »
_PARA_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class SentenceView:
    """What a person is shown of one sentence (see the module docstring for the rules)."""

    number: int  # 1-based
    role: str  # the record's role, "none" when absent
    highlighted: bool  # role is claim/premise: highlights, in the colour of ``role``
    pill: str | None  # stance label shown as a pill; None: no pill
    muted: bool  # greyed out: no role and no pill


def sentence_view(sent: Sentence) -> SentenceView:
    """The one display decision for a sentence, made from its record alone."""
    role = sent.role or "none"
    argumentative = role in ARGUMENT_ROLES
    score = (sent.stance_scores or {}).get(sent.stance or "", 0.0)
    has_stance = sent.stance is not None and sent.stance != "none"
    pill = sent.stance if has_stance and (argumentative or score >= STRONG_STANCE) else None
    return SentenceView(sent.index + 1, role, argumentative, pill, not argumentative and not pill)


def quoted(text: str) -> str:
    """French quotes, with narrow no-break spaces inside."""
    return f"«{_NNBSP}{text}{_NNBSP}»"


def stylesheet() -> str:
    """The shared stylesheet, read from the package so the page and report never drift."""
    return STYLE_PATH.read_text(encoding="utf-8")


def _css_token(label: str) -> str:
    """A label made safe for a class name (models may emit labels outside the contract)."""
    return re.sub(r"[^a-z0-9_-]", "-", label.lower()) or "unknown"


def _pct(value: float) -> str:
    return f"{round(100 * float(value))}{_NNBSP}%"


def _label_fr(label: str, names: Mapping[str, str]) -> str:
    return names.get(label, label)


def _ordered(scores: Mapping[str, float], order: tuple[str, ...]) -> list[tuple[str, float]]:
    """Scores in the contract's label order first, then any extra label alphabetically."""
    known = [(k, scores[k]) for k in order if k in scores]
    extra = sorted((k, v) for k, v in scores.items() if k not in order)
    return known + extra


def scores_title(
    scores: Mapping[str, float] | None, names: Mapping[str, str], order: tuple[str, ...]
) -> str:
    """Hover text such as ``Pour 80 % · Contre 15 % · Neutre 5 %``."""
    if not scores:
        return ""
    return " · ".join(f"{_label_fr(k, names)} {_pct(v)}" for k, v in _ordered(scores, order))


def _attr_title(text: str) -> str:
    return f' title="{escape(text)}"' if text else ""


def stance_badge(label: str, scores: Mapping[str, float] | None, large: bool = False) -> str:
    """A coloured pill: favor green, against red, none grey; scores on hover."""
    size = " badge-lg" if large else ""
    title = scores_title(scores, STANCE_FR, STANCES)
    return (
        f'<span class="badge stance-{_css_token(label)}{size}"{_attr_title(title)}>'
        f"{escape(_label_fr(label, STANCE_FR))}</span>"
    )


def _score_bars(scores: Mapping[str, float]) -> str:
    rows = []
    for label, value in _ordered(scores, STANCES):
        width = max(0.0, min(100.0, 100 * float(value)))
        rows.append(
            f"<span>{escape(_label_fr(label, STANCE_FR))}</span>"
            f'<span class="bar"><span class="fill stance-{_css_token(label)}" '
            f'style="width:{width:.1f}%"></span></span>'
            f'<span class="pct">{_pct(value)}</span>'
        )
    return f'<div class="scores">{"".join(rows)}</div>'


def _verdict(doc: Document, anchor: str) -> str:
    """The article-level stance toward the target, shown above the sentences."""
    if doc.stance is None:
        what = "Aucune cible" if not doc.target else "Position non calculée"
        return (
            f'<div class="verdict no-target"><div class="verdict-text">{what}{_NBSP}: '
            "seules les thèses et les prémisses sont détectées.</div></div>"
        )
    evidence = doc.stance.evidence  # the sentences that decided it, linked
    links = ", ".join(f'<a href="#{anchor}-s{i + 1}">{i + 1}</a>' for i in evidence)
    said = f"Phrases décisives{_NBSP}: {links}" if evidence else "Aucune phrase ne prend position"
    said += "" if evidence else " sur cette cible."
    return (
        f'<div class="verdict stance-{_css_token(doc.stance.label)}">'
        '<div class="verdict-text"><span class="verdict-title">Verdict de l’article</span> '
        f'sur <span class="target">{quoted(escape(doc.target or ""))}</span>{_NBSP}: '
        f"{stance_badge(doc.stance.label, doc.stance.scores, large=True)}</div>"
        f'{_score_bars(doc.stance.scores)}<div class="evidence">{said}</div></div>'
    )


def _clipped_spans(spans: Iterable[Span], start: int, end: int) -> list[Span]:
    """Spans cut to one sentence, sorted, overlaps dropped (the first one wins)."""
    out: list[Span] = []
    for sp in sorted(spans, key=lambda s: (s.start, -s.end)):
        lo, hi = max(sp.start, start), min(sp.end, end)
        if lo < hi and (not out or lo >= out[-1].end):
            out.append(Span(lo, hi, sp.label, sp.score))
    return out


def _sentence_text(doc: Document, sent: Sentence, view: SentenceView) -> str:
    """The sentence, its argument part highlighted in the colour of its role (module doc)."""
    if not view.highlighted:
        return escape(sent.text)
    score = (sent.role_scores or {}).get(view.role)
    title = _label_fr(view.role, ROLE_FR) + (f" {_pct(score)}" if score is not None else "")
    opening = f'<mark class="arg arg-{_css_token(view.role)}"{_attr_title(title)}>'
    spans = _clipped_spans(doc.spans, sent.start, sent.end)
    if not spans:
        return f"{opening}{escape(sent.text)}</mark>"
    parts: list[str] = []
    pos = sent.start
    for sp in spans:
        parts.append(escape(doc.text[pos : sp.start]))
        parts.append(f"{opening}{escape(doc.text[sp.start : sp.end])}</mark>")
        pos = sp.end
    parts.append(escape(doc.text[pos : sent.end]))
    return "".join(parts)


def _main_claim_indices(doc: Document) -> set[int]:
    return {int(m["sentence"]) for m in doc.meta.get("main_claims") or []}


def _sentence(doc: Document, sent: Sentence, anchor: str, main: set[int], prev_end: int) -> str:
    view = sentence_view(sent)
    is_main = sent.index in main and view.highlighted
    tag = "Thèse principale" if is_main else _label_fr(view.role, ROLE_FR)
    tag_cls = f"role-tag role-{_css_token(view.role)}" + (" main-claim" if is_main else "")
    tag_title = scores_title(sent.role_scores, ROLE_FR, ROLES)
    gap = doc.text[prev_end : sent.start]
    classes = f"sent role-{_css_token(view.role)}"
    classes += " new-para" if prev_end and _PARA_BREAK.search(gap) else ""
    classes += " sent-muted" if view.muted else ""
    badge = "" if view.pill is None else stance_badge(view.pill, sent.stance_scores)
    return (
        f'<li class="{classes}" id="{anchor}-s{view.number}">'
        f'<span class="sent-num">{view.number}</span>'
        f'<span class="{tag_cls}"{_attr_title(tag_title)}>{escape(tag)}</span>'
        f'<span class="sent-text">{_sentence_text(doc, sent, view)}</span>{badge}</li>'
    )


def _excerpt(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _structure(doc: Document, anchor: str) -> str:
    """Main claims with the premises that support them, as links to the sentences."""
    by_index = {s.index: s for s in doc.sentences}
    items = []
    for m in doc.meta.get("main_claims") or []:
        i = int(m["sentence"])
        claim = escape(_excerpt(by_index[i].text)) if i in by_index else ""
        prem = [int(j) + 1 for j in m.get("premises", [])]
        links = ", ".join(f'<a href="#{anchor}-s{j}">{j}</a>' for j in prem)
        word = "la phrase" if len(prem) == 1 else "les phrases"
        support = f"appuyée par {word} {links}" if prem else "sans prémisse rattachée"
        items.append(
            f'<li><a href="#{anchor}-s{i + 1}">Phrase {i + 1}</a>{_NBSP}: '
            f"{quoted(claim)} — {support}</li>"
        )
    if not items:
        return ""
    return f'<div class="structure"><h3>Thèses principales</h3><ul>{"".join(items)}</ul></div>'


def _count(doc: Document, role: str) -> int:
    return sum(1 for s in doc.sentences if s.role == role)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def _head(doc: Document, title: str, show_id: bool) -> str:
    counts = [(len(doc.sentences), "phrase"), (_count(doc, "claim"), "thèse")]
    counts.append((_count(doc, "premise"), "prémisse"))
    stats = " · ".join(_plural(n, word) for n, word in counts)
    stats_html = "" if doc.error else f'<p class="doc-stats">{stats}</p>'
    doc_id = f' <span class="doc-id">{escape(doc.id)}</span>' if show_id else ""
    return (
        f'<div class="doc-head"><div><h2 class="doc-title">{escape(title)}{doc_id}</h2>'
        f"{stats_html}</div></div>"
    )


_LEGEND = (
    '<div class="legend"><span><mark class="arg arg-claim">thèse</mark></span>'
    '<span><mark class="arg arg-premise">prémisse</mark></span>'
    '<span class="legend-muted">texte grisé : hors argumentation, sans position nette</span>'
    "<span>Survolez un élément pour voir les scores.</span></div>"
).replace(" : ", f"{_NBSP}: ")


def render_document(
    doc: Document, anchor: str = "d1", title: str = "Document", show_id: bool = True
) -> str:
    """One document as an ``<article>`` fragment (verdict, highlighted sentences, badges)."""
    head = _head(doc, title, show_id)
    if doc.error:
        kind = escape(str(doc.error.get("type", "error")))
        msg = escape(str(doc.error.get("message", "")))
        return (
            f'<article class="card doc doc-error" id="{anchor}">{head}<div class="error-box">'
            f"<strong>Erreur ({kind})</strong><p>{msg}</p></div></article>"
        )
    main = _main_claim_indices(doc)
    rows, prev_end = [], 0
    for sent in doc.sentences:
        rows.append(_sentence(doc, sent, anchor, main, prev_end))
        prev_end = sent.end
    return (
        f'<article class="card doc" id="{anchor}">{head}{_verdict(doc, anchor)}{_LEGEND}'
        f'<ol class="sentences">{"".join(rows)}</ol>{_structure(doc, anchor)}</article>'
    )


@dataclass(frozen=True)
class _Row:
    """What the report's summary table needs of a document, kept instead of the document."""

    anchor: str
    id: str
    target: str | None
    stance: str | None
    stance_scores: dict[str, float] | None
    claims: int
    premises: int
    error: str | None


def _summary_row(r: _Row) -> str:
    if r.error:
        verdict = f'<span class="status error">erreur{_NBSP}: {escape(r.error)}</span>'
    elif r.stance:
        verdict = stance_badge(r.stance, r.stance_scores)
    else:
        verdict = "—"
    return (
        f'<tr><td><a href="#{r.anchor}">{escape(r.id)}</a></td>'
        f"<td>{escape(r.target or '—')}</td><td>{verdict}</td>"
        f'<td class="num">{r.claims}</td><td class="num">{r.premises}</td></tr>'
    )


def _summary(rows: list[_Row]) -> str:
    head = (
        "<tr><th>Document</th><th>Cible</th><th>Verdict</th>"
        '<th class="num">Thèses</th><th class="num">Prémisses</th></tr>'
    )
    body = "".join(_summary_row(r) for r in rows)
    return (
        f'<section class="card summary-wrap"><table class="summary">{head}{body}</table></section>'
    )


def _page(title: str, rows: list[_Row], articles: list[str]) -> str:
    errors = sum(1 for r in rows if r.error)
    errs = _plural(errors, "erreur") if errors else "aucune erreur"
    sub = f"{_plural(len(rows), 'document')} · {errs}"
    summary = _summary(rows) if len(rows) > 1 else ""
    return (
        '<!doctype html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>\n{stylesheet()}</style></head>"
        f'<body><div class="page"><header class="page-head"><h1>{escape(title)}</h1>'
        f"<p>{sub} — analyse argumentative par <code>stance</code></p></header>"
        f"<main>{summary}{''.join(articles)}</main></div></body></html>\n"
    )


class HtmlWriter:
    """Collects documents and writes one self-contained HTML report on :meth:`close`.

    HTML cannot be appended to, so nothing is written before ``close``; only the rendered
    fragments are kept (not the documents), which bounds memory to the size of the report.
    """

    def __init__(self, out: str | Path | IO[str], title: str = "stance") -> None:
        self._out = out
        self._title = title
        self._rows: list[_Row] = []
        self._articles: list[str] = []
        self._closed = False

    def write(self, doc: Document) -> None:
        n = len(self._rows) + 1
        anchor = f"d{n}"
        self._articles.append(render_document(doc, anchor, title=f"Document {n}"))
        self._rows.append(_row(doc, anchor))

    def getvalue(self) -> str:
        """The report as it stands (what ``close`` writes)."""
        return _page(self._title, self._rows, self._articles)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        page = self.getvalue()
        if isinstance(self._out, str | Path):
            Path(self._out).write_text(page, encoding="utf-8")
        else:
            self._out.write(page)
            self._out.flush()

    def __enter__(self) -> HtmlWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _row(doc: Document, anchor: str) -> _Row:
    err = None if not doc.error else str(doc.error.get("type", "error"))
    st = doc.stance
    return _Row(
        anchor=anchor,
        id=doc.id,
        target=doc.target,
        stance=st.label if st else None,
        stance_scores=dict(st.scores) if st else None,
        claims=_count(doc, "claim"),
        premises=_count(doc, "premise"),
        error=err,
    )


def render_html(docs: Iterable[Document], title: str = "stance") -> str:
    """One self-contained HTML page (inline CSS, no JavaScript) showing every document."""
    writer = HtmlWriter(io.StringIO(), title=title)
    for doc in docs:
        writer.write(doc)
    return writer.getvalue()
