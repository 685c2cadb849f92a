"""HTML rendering (stance.render): highlighting, badges, verdict, errors, the report file."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from html import unescape
from pathlib import Path

from stance.doc import DocStance, Document, Sentence, Span
from stance.io.html import HtmlWriter, render_document, render_html, stylesheet

TEXT = "Il faut taxer le kérosène. Les avions <polluent> beaucoup.\n\nVoilà."


def _doc(**changes: object) -> Document:
    cuts = [(0, 26), (27, 58), (60, 66)]
    roles = ["claim", "premise", "none"]
    stances = ["favor", "against", "none"]
    sents = tuple(
        Sentence(
            index=i,
            start=s,
            end=e,
            text=TEXT[s:e],
            role=roles[i],
            role_scores={"claim": 0.1, "premise": 0.2, "none": 0.7} | {roles[i]: 0.9},
            stance=stances[i],
            stance_scores={"favor": 0.25, "against": 0.7, "none": 0.05},
        )
        for i, (s, e) in enumerate(cuts)
    )
    base = Document(
        id="d<1>",
        text=TEXT,
        target="la taxe",
        sentences=sents,
        spans=(Span(8, 25, "claim", 0.8), Span(27, 48, "premise", 0.6)),
        stance=DocStance("against", {"favor": 0.2, "against": 0.7, "none": 0.1}),
        meta={"main_claims": [{"sentence": 0, "premises": [1]}]},
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _marks(html: str, label: str) -> list[str]:
    """Highlighted texts in the sentence list (the legend above it has sample marks)."""
    html = html.split('<ol class="sentences">', 1)[1]
    found = re.findall(rf'<mark class="arg arg-{label}"[^>]*>(.*?)</mark>', html)
    return [unescape(m) for m in found]


def test_spans_are_highlighted_with_their_exact_text() -> None:
    doc = _doc()
    html = render_document(doc)
    for label in ("claim", "premise"):
        assert _marks(html, label) == [TEXT[s.start : s.end] for s in doc.spans if s.label == label]


def test_sentence_roles_are_highlighted_when_there_are_no_spans() -> None:
    html = render_document(_doc(spans=()))
    assert _marks(html, "claim") == [TEXT[0:26]]
    assert _marks(html, "premise") == [TEXT[27:58]]


def test_a_span_across_sentences_is_cut_at_the_boundary() -> None:
    html = render_document(_doc(spans=(Span(20, 40, "claim"),)))
    assert _marks(html, "claim") == [TEXT[20:26], TEXT[27:40]]


def test_text_is_escaped_and_unknown_labels_are_safe() -> None:
    html = render_document(_doc(spans=(Span(27, 48, 'x" onmouseover="1'),)))
    assert "<polluent>" not in html and "&lt;polluent&gt;" in html
    assert 'onmouseover="1' not in html and "d&lt;1&gt;" in html


def test_badges_verdict_and_hover_scores() -> None:
    html = render_document(_doc())
    badges = re.findall(r'<span class="badge stance-(\w+)"[^>]*title="([^"]+)">(\w+)</span>', html)
    assert [(b[0], b[2]) for b in badges] == [
        ("favor", "Pour"),
        ("against", "Contre"),
        ("none", "Neutre"),
    ]
    assert all("Contre 70" in b[1] for b in badges)
    assert 'class="verdict stance-against"' in html and "badge-lg" in html
    assert 'title="Affirmation 90' in html  # role scores on hover, in the contract's order


def test_no_target_means_no_badges_and_no_verdict() -> None:
    sents = tuple(replace(s, stance=None, stance_scores=None) for s in _doc().sentences)
    html = render_document(_doc(target=None, stance=None, sentences=sents))
    assert "badge" not in html and "Aucune cible" in html


def test_paragraphs_and_main_claims_are_marked() -> None:
    html = render_document(_doc(), anchor="d7")
    assert html.count("new-para") == 1 and 'id="d7-s2"' in html
    assert "Thèse principale" in html and 'href="#d7-s1"' in html


def test_error_documents_are_shown_as_errors() -> None:
    doc = Document(id="bad.txt", text="").with_error("decode_error", "byte 0xff <here>")
    html = render_document(doc)
    assert "doc-error" in html and "decode_error" in html and "byte 0xff &lt;here&gt;" in html


def test_report_is_self_contained_and_shows_every_document() -> None:
    bad = Document(id="bad", text="").with_error("read_error", "gone")
    page = render_html([_doc(), bad, _doc(id="third")], title="Mon <rapport>")
    assert page.startswith("<!doctype html>") and "<title>Mon &lt;rapport&gt;</title>" in page
    assert stylesheet().strip() in page  # the one stylesheet, inlined
    assert "<script" not in page and "<link" not in page and 'src="' not in page
    assert (
        page.count('<article class="card doc') == 3
        and page.count('class="card doc doc-error"') == 1
    )
    assert "3 documents · 1 erreur" in page and 'href="#d2"' in page


def test_html_writer_writes_on_close_only(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    with HtmlWriter(out, title="t") as writer:
        writer.write(_doc())
        assert not out.exists()
    assert out.read_text(encoding="utf-8") == render_html([_doc()], title="t")
    stream = io.StringIO()
    writer = HtmlWriter(stream)
    writer.close()
    writer.close()  # idempotent
    assert stream.getvalue().count("<html") == 1 and "0 document" in stream.getvalue()
