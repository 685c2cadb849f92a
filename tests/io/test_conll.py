"""CoNLL BIO files: token lines, blocks, BIO → spans, sentence roles, write → read."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from stance.doc import Document, Sentence, Span
from stance.io.conll import (
    bio_text,
    conll_block,
    iter_blocks,
    normalize_tag,
    parse_token_line,
    read_conll,
    role_sentences,
    sentence_role,
)


def span_texts(doc: Document) -> list[tuple[str, str]]:
    return [(s.label, " ".join(doc.text[s.start : s.end].split())) for s in doc.spans]


@pytest.mark.parametrize(
    ("line", "token"),
    [
        ("Paris\tB-Claim\n", ("Paris", "B-Claim")),
        ("New York\tI-claim\r\n", ("New York", "I-claim")),  # tab: the token may hold spaces
        ("  mot   O  ", ("mot", "O")),  # space separated: the label is the last field
        ("seul\n", ("seul", "O")),  # no label: outside
        ("I-premise\n", None),  # a label that lost its token (AbstRCT-FR dev)
        ("\tB-claim\n", None),
        ("mot\t\n", ("mot", "O")),
    ],
)
def test_parse_token_line(line: str, token: tuple[str, str] | None) -> None:
    assert parse_token_line(line) == token


def test_blocks_are_separated_by_runs_of_blank_lines() -> None:
    lines = ["\n", "a\tO\n", "b\tB-claim\n", "\n", "  \n", "\n", "c\tI-claim\n", "O\n"]
    assert list(iter_blocks(lines)) == [[("a", "O"), ("b", "B-claim")], [("c", "I-claim")]]
    assert list(iter_blocks([])) == []


@pytest.mark.parametrize(
    ("tag", "norm"),
    [
        ("B-MajorClaim", "B-majorclaim"),
        ("i-Premise", "I-premise"),
        ("O", "O"),
        ("B-", "O"),
        ("X-claim", "O"),
        ("claim", "O"),
    ],
)
def test_normalize_tag(tag: str, norm: str) -> None:
    assert normalize_tag(tag) == norm


def test_bio_text_lays_tokens_out_with_single_spaces() -> None:
    blocks = [
        [("Je", "O"), ("pense", "O"), ("qu'", "B-Claim"), ("il", "I-Claim"), ("pleut", "I-Claim")],
        [],
        [("Donc", "B-Premise"), (".", "O")],
    ]
    bt = bio_text(blocks)
    assert bt.text == "Je pense qu' il pleut Donc ."
    assert bt.words[2] == (9, 12) and bt.text[9:12] == "qu'"
    assert bt.spans == (Span(9, 21, "claim"), Span(22, 26, "premise"))
    assert bt.blocks == ((0, 21), (22, 28))  # the empty block has no range


def test_sentence_role_is_the_span_covering_most_of_its_tokens() -> None:
    tokens = ["Je", "pense", "que", "oui", "et", "non", "car"]
    tags = ["O", "O", "O", "B-MajorClaim", "I-MajorClaim", "I-MajorClaim", "B-premise"]
    bt = bio_text([list(zip(tokens, tags, strict=True))])
    # 3 claim tokens against 1 premise token and 3 outside: a claim, not `none`
    assert sentence_role(0, len(bt.text), bt.words, bt.spans) == "claim"
    assert sentence_role(0, 12, bt.words, bt.spans) == "none"  # "Je pense que"
    sents = role_sentences(bt.text, [(0, 12), (13, len(bt.text))], bt.words, bt.spans)
    assert sents == (
        Sentence(0, 0, 12, "Je pense que", role="none"),
        Sentence(1, 13, len(bt.text), "oui et non car", role="claim"),
    )


def test_file_without_doc_id_is_one_document(tmp_path: Path) -> None:
    path = tmp_path / "essai.conll"
    path.write_text("# target = Climat\nIl\tB-claim\nfaut\tI-claim\n\nOui\tO\n", "utf-8")
    (doc,) = read_conll(path)
    assert (doc.id, doc.text, doc.target, doc.source) == (
        "essai:0",
        "Il faut Oui",
        "Climat",
        str(path),
    )
    assert [(s.text, s.role) for s in doc.sentences] == [("Il faut", "claim"), ("Oui", "none")]


def test_empty_document_keeps_its_record(tmp_path: Path) -> None:
    block = conll_block(Document(id="vide\nici", text="   "))
    assert block == "# doc_id = vide ici\n\n"
    path = tmp_path / "x.conll"
    path.write_text(block + conll_block(Document(id="b", text="Un mot")), encoding="utf-8")
    empty, other = read_conll(path)
    assert (empty.id, empty.text, empty.sentences) == ("vide ici", "", ())
    assert (other.id, other.text) == ("b", "Un mot")


def test_words_before_the_first_sentence_join_it() -> None:
    text = "« Titre » Il faut agir ."
    sents = (Sentence(0, 10, len(text), text[10:], role="claim"),)
    block = conll_block(Document(id="d", text=text, sentences=sents))
    body = block.split("\n")[1:]
    assert body[:3] == ["«\tO", "Titre\tO", "»\tO"] and body[3] == "Il\tB-claim"
    assert block.count("\n\n") == 1  # one sentence group, one blank line


def test_conll_round_trip_keeps_span_words(tmp_path: Path, labelled_doc: Document) -> None:
    out = tmp_path / "out.conll"
    out.write_text(conll_block(labelled_doc), encoding="utf-8")
    [back] = read_conll(out)
    assert span_texts(back) == span_texts(labelled_doc)
    assert (
        back.text == "Il faut taxer le kérosène . Les avions polluent beaucoup trop aujourd'hui ."
    )


def test_conll_uses_sentence_roles_without_spans(tmp_path: Path, labelled_doc: Document) -> None:
    out = tmp_path / "out.conll"
    out.write_text(conll_block(replace(labelled_doc, spans=())), encoding="utf-8")
    [back] = read_conll(out)
    assert [s.role for s in back.sentences] == ["claim", "premise"]
    assert [s.label for s in back.spans] == ["claim", "premise"]
