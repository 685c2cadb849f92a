"""HTML rendering (stance.io.html): highlighting, badges, verdict, errors, the report file."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from html import unescape
from pathlib import Path

from stance.doc import DocStance, Document, Sentence, Span
from stance.io.html import (
    STRONG_STANCE,
    HtmlWriter,
    render_document,
    render_html,
    sentence_view,
    stylesheet,
)

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
        stance=DocStance("against", {"favor": 0.2, "against": 0.7, "none": 0.1}, (1,)),
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
    assert _marks(html, "claim") == [TEXT[20:26]]
    assert _marks(html, "premise") == [TEXT[27:40]]  # the colour of the sentence's role


def test_text_is_escaped_and_unknown_labels_are_safe() -> None:
    html = render_document(_doc(spans=(Span(27, 48, 'x" onmouseover="1'),)))
    assert "<polluent>" not in html and "&lt;polluent&gt;" in html
    assert 'onmouseover="1' not in html and "d&lt;1&gt;" in html


def test_badges_verdict_and_hover_scores() -> None:
    html = render_document(_doc())
    badges = re.findall(r'<span class="badge stance-(\w+)"[^>]*title="([^"]+)">(\w+)</span>', html)
    assert [(b[0], b[2]) for b in badges] == [("favor", "Pour"), ("against", "Contre")]
    assert all("Contre 70" in b[1] for b in badges)
    assert 'class="verdict stance-against"' in html and "badge-lg" in html
    assert 'title="Thèse 90' in html  # role scores on hover, in the contract's order
    assert re.search(r'Phrases décisives\u00a0: <a href="#[^"]+-s2">2</a>', html)


def test_a_none_verdict_says_no_sentence_takes_a_side() -> None:
    html = render_document(_doc(stance=DocStance("none", {"none": 0.9})))
    assert "Aucune phrase ne prend position sur cette cible." in html
    assert "Phrases décisives" not in html


def test_no_target_means_no_badges_and_no_verdict() -> None:
    sents = tuple(replace(s, stance=None, stance_scores=None) for s in _doc().sentences)
    html = render_document(_doc(target=None, stance=None, sentences=sents))
    assert "badge" not in html and "Aucune cible" in html


def test_paragraphs_and_main_claims_are_marked() -> None:
    html = render_document(_doc(), anchor="d7")
    assert html.count("new-para") == 1 and 'id="d7-s3"' in html  # numbered from 1
    assert "Thèse principale" in html and 'href="#d7-s2"' in html


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
    assert "3 documents · 1 erreur" in page
    assert re.findall(r'<article class="card doc[^"]*" id="(d\d+)"', page) == ["d1", "d2", "d3"]
    assert "Document 1" in page and "Document 0" not in page


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


def _rows(html: str) -> list[dict[str, object]]:
    """Per sentence: number, role tag class, highlight classes, pill label, greyed out."""
    found = re.findall(r'<li class="sent ([^"]*)" id="[^"]*-s(\d+)">(.*?)</li>', html)
    return [
        {
            "num": int(num),
            "role": re.search(r"role-(\w+)", classes).group(1),  # type: ignore[union-attr]
            "marks": set(re.findall(r'<mark class="arg arg-(\w+)"', body)),
            "pill": re.findall(r'<span class="badge stance-\w+"[^>]*>([^<]*)</span>', body),
            "muted": "sent-muted" in classes,
            "shown_num": re.search(r'class="sent-num">(\d+)<', body).group(1),  # type: ignore[union-attr]
        }
        for classes, num, body in found
    ]


def _sent(role: str | None, stance: str | None, score: float = 0.9) -> Sentence:
    other = (1 - score) / 2
    scores = {k: (score if k == stance else other) for k in ("favor", "against", "none")}
    return Sentence(0, 0, 3, "Un.", role=role, stance=stance, stance_scores=scores)


def test_sentence_view_rules() -> None:
    strong, weak = STRONG_STANCE + 0.05, STRONG_STANCE - 0.05
    cases = [  # role, stance, score -> highlighted, pill, muted
        (("claim", "favor", weak), (True, "favor", False)),
        (("premise", "against", weak), (True, "against", False)),
        (("claim", "none", strong), (True, None, False)),
        (("none", "favor", weak), (False, None, True)),  # a byline, a date: greyed, no pill
        (("none", "against", strong), (False, "against", False)),  # a missed thesis
        (("none", "none", strong), (False, None, True)),
        (("none", None, 0.0), (False, None, True)),  # no target
        ((None, None, 0.0), (False, None, True)),
        (("premise", None, 0.0), (True, None, False)),
    ]
    for (role, stance, score), want in cases:
        view = sentence_view(_sent(role, stance, score))
        assert (view.highlighted, view.pill, view.muted) == want, (role, stance, score)
        assert view.number == 1


def test_highlights_follow_the_sentence_role_never_the_span_label() -> None:
    spans = (Span(0, 10, "premise"), Span(30, 45, "claim"), Span(60, 65, "claim"))
    html = render_document(_doc(spans=spans))
    assert _marks(html, "claim") == [TEXT[0:10]]  # a claim sentence, whatever the span says
    assert _marks(html, "premise") == [TEXT[30:45]]
    assert "Voilà" not in "".join(_marks(html, "claim"))  # role none: no highlight at all


def test_an_argument_sentence_without_span_is_highlighted_whole() -> None:
    html = render_document(_doc(spans=(Span(8, 25, "claim"),)))
    assert _marks(html, "premise") == [TEXT[27:58]]


def test_no_highlight_contradicts_a_role_tag_and_boilerplate_has_no_pill() -> None:
    roles = ["claim", "premise", "none"]
    spans = (Span(0, 66, "claim"), Span(3, 5, "premise"))
    for first in roles:
        for third_stance in ("favor", "none"):
            sents = list(_doc().sentences)
            sents[0] = replace(sents[0], role=first)
            sents[2] = replace(sents[2], stance=third_stance)
            for row in _rows(render_document(_doc(sentences=tuple(sents), spans=spans))):
                assert row["marks"] <= {row["role"]}, row
                assert bool(row["marks"]) == (row["role"] != "none"), row
                if row["role"] == "none":  # stance scores 0.7 < STRONG_STANCE: boilerplate
                    assert row["pill"] == [] and row["muted"], row
                else:
                    assert not row["muted"], row


def test_sentences_are_numbered_from_one_where_people_read() -> None:
    html = render_document(_doc(), anchor="d1")
    assert [(r["num"], r["shown_num"]) for r in _rows(html)] == [(1, "1"), (2, "2"), (3, "3")]
    assert ">Phrase 1</a>" in html and 'href="#d1-s1"' in html and "-s0" not in html
    assert ">2</a>" in html  # the premise (index 1) is linked as sentence 2


def test_wording_is_french_with_french_typography() -> None:
    html = render_document(_doc())
    for words in ("Verdict de l’article", "Thèse principale", "Prémisse", "Pour", "Contre"):
        assert words in html, words
    assert "Hors argumentation" in html and "1 thèse · 1 prémisse" in html
    assert "2 documents · aucune erreur" in render_html([_doc(), _doc()])
    for wrong in ("Affirmation", "Résultat doc", "Aucun rôle", "Position du texte"):
        assert wrong not in html, wrong
    none_verdict = render_document(_doc(stance=DocStance("none", {"none": 0.9})))
    assert "Neutre / sans position" in none_verdict
    no_target = render_document(_doc(target=None, stance=None))
    for fragment in (html, no_target, render_html([_doc(), _doc()]).split("</style>")[1]):
        text = unescape(re.sub(r"<[^>]+>", "", fragment))
        assert not re.search(r"[^\u00a0\u202f][:;!?»%]|«[^\u202f]", text.replace(TEXT, "")), text


def test_the_page_title_can_hide_the_document_id() -> None:
    html = render_document(_doc(id="doc"), title="Résultat de l’analyse", show_id=False)
    assert "Résultat de l’analyse</h2>" in html and "doc-id" not in html
    assert 'class="doc-id">d&lt;1&gt;' in render_document(_doc())
