"""Input readers: every file kind, broken input turned into error records, stdin, directories."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from stance.doc import Document
from stance.io.readers import content_hash, read_inputs

FRENCH = "L'été dernier, la forêt a brûlé. Ça suffit : agissons maintenant !\n"

BLOG_HTML = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Le blog de Claire – Pour une taxe sur le kérosène</title></head>
<body>
<header><nav><a href="/">Accueil</a> · <a href="/suivre">Suivre ce blog</a></nav></header>
<article>
<h1>Pour une taxe sur le kérosène</h1>
<p>Le transport aérien bénéficie d'un avantage fiscal injustifié. Il faut taxer le kérosène
comme n'importe quel autre carburant.</p>
<p>Les vols intérieurs émettent bien plus de CO2 par passager que le train, alors que le train
paie, lui, toutes ses taxes sur l'énergie.</p>
<p>Partager</p>
<p>Commenter cet article</p>
<p>S’abonner à la newsletter</p>
</article>
<section class="comments"><h3>Commentaires</h3><p>Bravo, très bon article !</p></section>
<footer>Tous droits réservés – Créer un blog gratuit</footer>
</body></html>
"""


def read(*inputs: str | Path, **kwargs: object) -> list[Document]:
    return list(read_inputs([str(i) for i in inputs], **kwargs))  # type: ignore[arg-type]


def one(path: Path, **kwargs: object) -> Document:
    docs = read(path, **kwargs)
    assert len(docs) == 1
    return docs[0]


# --- plain text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "encoding"),
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), "utf-8-sig"),
        (FRENCH.encode("cp1252"), "cp1252"),
        (FRENCH.encode("utf-16"), "utf-16"),
        (FRENCH.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_txt_encodings_decode_to_the_same_text(
    tmp_path: Path, payload: bytes, encoding: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(payload)
    doc = one(path, target="Climat")
    assert doc.error is None
    assert doc.text == FRENCH  # BOM stripped, accents intact
    assert doc.meta["encoding"] == encoding
    assert (doc.id, doc.source, doc.target) == (str(path), str(path), "Climat")


def test_markdown_is_read_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "note.MD"
    path.write_text("# Titre\n\n- point *un*\n", encoding="utf-8")
    assert one(path).text == "# Titre\n\n- point *un*\n"


def test_binary_empty_missing_and_undecodable_files_give_error_records(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_bytes(b" \n\t\n")
    (tmp_path / "bad16.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8" + "a".encode("utf-16-le"))
    names = ["bin.txt", "empty.txt", "blank.md", "bad16.txt", "missing.txt"]
    docs = read(*(tmp_path / n for n in names))
    errors = [d.error["type"] if d.error else None for d in docs]
    assert errors == ["binary", "empty", "empty", "decode_error", "not_found"]
    assert all(d.sentences == () and d.error and d.error["message"] for d in docs)


def test_unreadable_file_and_directory_are_permission_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: the tests may run as root, who can read a chmod 000 file."""
    (tmp_path / "d").mkdir()
    path = tmp_path / "secret.txt"
    path.write_text("x")

    def deny(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    monkeypatch.setattr(os, "scandir", deny)
    file_doc, dir_doc = read(path, tmp_path / "d")
    assert file_doc.error == {"type": "permission", "message": "Permission denied"}
    assert dir_doc.error["type"] == "permission"  # type: ignore[index]


# --- HTML ------------------------------------------------------------------------------------


def test_html_main_text_without_blog_chrome(tmp_path: Path) -> None:
    path = tmp_path / "billet.html"
    path.write_text(BLOG_HTML, encoding="utf-8")
    doc = one(path)
    assert doc.error is None and doc.text_extracted
    assert doc.text.split("\n")[0] == "Pour une taxe sur le kérosène"
    assert "Il faut taxer le kérosène" in doc.text and "toutes ses taxes" in doc.text
    for chrome in ("Suivre ce blog", "Partager", "Commenter cet article", "abonner", "Bravo"):
        assert chrome not in doc.text
    assert doc.to_dict()["text"] == doc.text  # extracted text travels with the record


def test_html_without_main_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "vide.htm"
    path.write_text("<html><body><nav>Accueil</nav></body></html>", encoding="utf-8")
    assert one(path).error["type"] == "html_extraction"  # type: ignore[index]


# --- JSONL and CSV ---------------------------------------------------------------------------


def test_jsonl_rows_with_broken_lines_and_missing_fields(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    lines = [
        b'{"id": "a", "text": "Premier texte.", "target": "Cible A"}',
        b"",
        b'{"text": "Sans id."}',
        b'{"id": "c", "text": "tronqu',
        b'{"id": "d", "body": "pas de champ text"}',
        b'{"id": "e", "text": 42}',
        b"[1, 2]",
        b'{"id": "g", "text": "caf\xe9"}',
        b'{"id": 7, "text": "Id num\xc3\xa9rique."}',
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    docs = read(path, target="Défaut")
    got = [(d.id, d.error["type"] if d.error else None) for d in docs]
    row = f"{path}#row"
    assert got == [
        ("a", None),
        (f"{row}3", None),
        (f"{row}4", "json_error"),
        ("d", "missing_field"),
        ("e", "bad_field"),
        (f"{row}7", "json_error"),
        (f"{row}8", "decode_error"),
        ("7", None),
    ]
    assert [d.target for d in docs[:2]] == ["Cible A", "Défaut"]
    assert docs[1].source == f"{row}3" and docs[-1].text == "Id numérique."
    assert read(path, encoding_errors="replace")[6].text == "caf\ufffd"


def test_jsonl_custom_fields(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"uid": "x1", "body": "Du texte."}\n', encoding="utf-8")
    doc = one(path, text_field="body", id_field="uid")
    assert (doc.id, doc.text, doc.error) == ("x1", "Du texte.", None)


def test_csv_rows_semicolons_bom_and_multiline_fields(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    content = 'id;text;target\n1;"Une ligne\nsur deux";Cible\n2;;\n3;Simple.;\n'
    path.write_bytes(b"\xef\xbb\xbf" + content.encode("utf-8"))
    docs = read(path, target="Défaut")
    assert [d.id for d in docs] == ["1", "2", "3"]
    assert docs[0].text == "Une ligne\nsur deux" and docs[0].target == "Cible"
    assert docs[1].error["type"] == "empty"  # type: ignore[index]
    assert docs[2].target == "Défaut" and docs[2].source == f"{path}#row5"


def test_csv_without_the_text_column_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("id,contenu\n1,bonjour\n2,salut\n", encoding="utf-8")
    docs = read(path)
    assert len(docs) == 1 and docs[0].error["type"] == "missing_field"  # type: ignore[index]
    assert "contenu" in docs[0].error["message"]  # type: ignore[index]


def test_csv_in_cp1252_and_binary_csv(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes("text\nÉlection présidentielle\n".encode("cp1252"))
    (tmp_path / "b.csv").write_bytes(b"text\n\x00\x01\x02\x00\xff\x00")
    a, b = read(tmp_path / "a.csv", tmp_path / "b.csv")
    assert a.text == "Élection présidentielle"
    assert b.error["type"] == "binary"  # type: ignore[index]


# --- directories and stdin -------------------------------------------------------------------


def test_directory_recursive_sorted_hidden_skipped_symlink_loop(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text("A.")
    (root / "b" / "deep" / "c.md").write_text("C.")
    (root / "b" / "z.html").write_text(BLOG_HTML)
    (root / ".cache.txt").write_text("caché")
    (root / ".git" / "x.txt").write_text("caché")
    (root / "image.png").write_bytes(b"\x89PNG\x00")
    (root / "b" / "deep" / "loop").symlink_to(root, target_is_directory=True)
    docs = read(root)
    expected = [root / "a.txt", root / "b" / "deep" / "c.md", root / "b" / "z.html"]
    assert [d.id for d in docs] == [str(p) for p in expected]
    assert all(d.error is None for d in docs)


def test_inputs_keep_their_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_text(name)
    assert [d.text for d in read(tmp_path / "b.txt", tmp_path / "a.txt")] == ["b.txt", "a.txt"]


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, FRENCH.encode("utf-8"))
    [doc] = read("-")
    assert (doc.id, doc.text, doc.error) == ("-", FRENCH, None)


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b'\n{"id": "x", "text": "Un."}\n{"text": "Deux."}\nnot json\n')
    docs = read("-")
    assert [(d.id, d.text) for d in docs[:2]] == [("x", "Un."), ("-#row3", "Deux.")]
    assert docs[2].error["type"] == "json_error"  # type: ignore[index]


def test_stdin_text_stream_without_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Texte collé."))
    assert read("-")[0].text == "Texte collé."


def test_empty_stdin_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"")
    assert read("-")[0].error["type"] == "empty"  # type: ignore[index]


def test_content_hash_changes_with_text_and_target() -> None:
    doc = Document(id="a", text="t", target=None)
    same = Document(id="a", text="t", target=None, source="elsewhere")
    assert content_hash(doc) == content_hash(same)
    variants = [doc, Document("a", "t2"), Document("a", "t", target="x"), Document("b", "t")]
    assert len({content_hash(d) for d in variants}) == 4


def test_stdin_jsonl_is_streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first document comes out before the rest of the stream is read."""

    def lines() -> Iterator[bytes]:
        yield b'{"text": "Un."}\n'
        raise AssertionError("read past the first record")

    class Stdin:
        buffer = lines()

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert next(read_inputs(["-"])).text == "Un."
