"""Bad input, end to end: what ``read_inputs`` gives, and what ``stance label`` writes for it.

Every case is built here under ``tmp_path``; each states the record users should get (the text
decoded correctly, or an error of the right type), checked through the reader and through the
CLI on the tiny pipeline. docs/reliability.md is the same table in prose.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stance.doc import Document
from stance.io.readers import read_inputs
from stance.io.writers import JsonlWriter
from stance.model.part import ModelError, load_part
from tests.batch.test_label import FAST, cli_env, read_records, run_cli

FRENCH = "L'été dernier, la forêt a brûlé. Ça suffit : agissons maintenant ! Où va-t-on ?\n"
CP1252_ONLY = "« L’œuvre coûte 5 € » — c’est tout…\n"  # characters Latin-1 does not have
WORDS = ("le", "train", "pollue", "moins", "que", "l'avion", "et", "il", "faut", "agir", "pour")
ERROR_TYPES = {
    "not_found", "permission", "read_error", "empty", "binary", "decode_error", "json_error",
    "missing_field", "bad_field", "csv_error", "html_extraction",
}  # fmt: skip


def words(n: int, seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n))


LONG_NO_PUNCT = words(40_000, 1)[:200_000]
SENTENCE_5000 = words(5_000, 2) + ".\n"

HTML_SOUP = """<html><head><title>Pour une taxe</title>
<script>var pub = "SCRIPT-TEXT"; document.write('<p>SCRIPT-WRITE</p>');</script>
<style>p { color: red } /* STYLE-TEXT */</style></head>
<body><div class="menu"><a href="/">Accueil</a></div><div><p>Texte <b>mal <i>fermé</p>
<script type="text/javascript">alert("SCRIPT-ALERT")</script>
<p>Le gouvernement doit agir pour le climat. Les vols courts polluent beaucoup plus que le
train, c'est un fait établi depuis longtemps.
<p>Il faut taxer le kérosène des avions dès maintenant, comme tous les autres carburants.
</td></table><!-- COMMENT-TEXT --></div>
"""

JSONL_ROWS = [
    b'{"id": "ok", "text": "Il faut agir."}',
    b'{"id": "cut", "text": "tronqu',
    b"",
    b'{"id": "notext", "body": "ailleurs"}',
    b'{"id": "num", "text": 42}',
    b'["pas", "un objet"]',
    b'{"id": "lone", "text": "moiti\\ud800 de caract\\u00e8re"}',
    b"[" * 50_000 + b"]" * 50_000,
    b'{"text": "   "}',
    b'{"text": "Sans identifiant, mais du texte."}',
]


# --- the cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One input file and the records it must give: (id suffix, error type or None)."""

    name: str
    data: bytes
    records: tuple[tuple[str, str | None], ...]
    text: str | None = None  # the decoded text, for single-document text files


def text_case(name: str, data: bytes, text: str) -> Case:
    return Case(name, data, (("", None),), text)


def error_case(name: str, data: bytes, kind: str) -> Case:
    return Case(name, data, (("", kind),))


CASES = [
    error_case("empty.txt", b"", "empty"),
    error_case("blank.md", b" \n\t\r\n\xc2\xa0 \n", "empty"),
    error_case("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    error_case("controls.txt", bytes(range(1, 32)) * 8 + b"abc", "binary"),
    error_case("nul.txt", FRENCH.encode() + b"\x00" + FRENCH.encode(), "binary"),
    text_case("latin1.txt", FRENCH.encode("latin-1"), FRENCH),
    text_case("cp1252.txt", (CP1252_ONLY + FRENCH).encode("cp1252"), CP1252_ONLY + FRENCH),
    text_case("utf16le-bom.txt", FRENCH.encode("utf-16"), FRENCH),
    text_case("utf16be-bom.txt", b"\xfe\xff" + FRENCH.encode("utf-16-be"), FRENCH),
    text_case("utf8-bom.txt", b"\xef\xbb\xbf" + FRENCH.encode(), FRENCH),
    text_case("utf32-bom.txt", FRENCH.encode("utf-32"), FRENCH),
    # UTF-8 with one bad byte, or cut inside a character: an error, never silent mojibake
    error_case("bad-utf8.txt", FRENCH.encode().replace(b"for", b"f\xffor"), "decode_error"),
    error_case("cut-utf8.txt", FRENCH.encode()[:-2] + "é".encode()[:1], "decode_error"),
    text_case("long.txt", LONG_NO_PUNCT.encode(), LONG_NO_PUNCT),
    text_case("sentence5000.txt", SENTENCE_5000.encode(), SENTENCE_5000),
    Case("soup.html", HTML_SOUP.encode(), (("", None),)),
    error_case("nav-only.html", b"<html><body><nav>Accueil</nav></body></html>", "html_extraction"),
    Case(
        "rows.jsonl",
        b"\n".join(JSONL_ROWS) + b"\n",
        (
            ("ok", None),
            ("#row2", "json_error"),
            ("notext", "missing_field"),
            ("num", "bad_field"),
            ("#row6", "json_error"),
            ("lone", "decode_error"),
            ("#row8", "json_error"),
            ("#row9", "empty"),
            ("#row10", None),
        ),
    ),
    error_case("wrong-columns.csv", b"id,contenu\n1,bonjour\n2,salut\n", "missing_field"),
    Case(
        "ragged.csv",
        ("id;text\n1;Un texte.\n2\n3;" + "a" * 150_000 + "\n4;Après.\n").encode(),
        (("1", None), ("2", "missing_field"), ("3", None), ("4", None)),
    ),
]


def record_id(path: Path, suffix: str) -> str:
    """Rows without an id get PATH#rowN; rows with one keep it; files are their path."""
    return f"{path}{suffix}" if not suffix or suffix.startswith("#") else suffix


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad")
    for case in CASES:
        (root / case.name).write_bytes(case.data)
    return root


def kinds(docs: list[Document]) -> list[str | None]:
    return [d.error["type"] if d.error else None for d in docs]


def assert_writable(doc: Document, directory: Path) -> None:
    """The record goes out as UTF-8 JSON (a lone surrogate, say, would raise here)."""
    with JsonlWriter(str(directory / "record.jsonl")) as writer:
        writer.write(doc)


# --- through the reader ----------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_reader_gives_the_expected_records(bad_corpus: Path, case: Case) -> None:
    path = bad_corpus / case.name
    docs = list(read_inputs([str(path)]))
    assert [(d.id, kinds([d])[0]) for d in docs] == [
        (record_id(path, suffix), kind) for suffix, kind in case.records
    ]
    for doc in docs:
        if doc.error:
            assert doc.error["message"] and doc.text == "" and doc.sentences == ()
        else:
            assert doc.text.strip()
        assert_writable(doc, bad_corpus.parent)
    if case.text is not None:
        assert docs[0].text == case.text


def test_reader_html_soup_keeps_prose_drops_scripts(bad_corpus: Path) -> None:
    [doc] = read_inputs([str(bad_corpus / "soup.html")])
    assert "Le gouvernement doit agir pour le climat." in doc.text
    assert "Il faut taxer le kérosène" in doc.text and doc.text_extracted
    for junk in ("SCRIPT-", "STYLE-TEXT", "COMMENT-TEXT", "<p>", "color: red"):
        assert junk not in doc.text


def test_reader_lone_surrogate_can_be_replaced(bad_corpus: Path) -> None:
    docs = list(read_inputs([str(bad_corpus / "rows.jsonl")], encoding_errors="replace"))
    lone = next(d for d in docs if d.id == "lone")
    assert (lone.error, lone.text) == (None, "moiti\ufffd de caractère")


def test_reader_csv_row_rejected_by_csv_module_is_that_rows_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading goes on after a csv.Error (here: a field over a lowered size limit)."""
    import csv

    import stance.io.readers as readers

    path = tmp_path / "rows.csv"
    path.write_text("id,text\n1,court\n2," + "a" * 50 + "\n3,après\n", encoding="utf-8")
    limit = csv.field_size_limit()
    monkeypatch.setattr(readers, "CSV_FIELD_LIMIT", 20)
    csv.field_size_limit(20)
    try:
        docs = list(read_inputs([str(path)]))
    finally:
        csv.field_size_limit(limit)
    assert [(d.id, kinds([d])[0]) for d in docs] == [
        ("1", None),
        (f"{path}#row3", "csv_error"),
        ("3", None),
    ]
    assert docs[2].text == "après"


def make_tree(root: Path) -> list[tuple[str, str | None]]:
    """Nested, hidden, looping and dangling entries; the (relative id, error) expected."""
    (root / "a" / "b").mkdir(parents=True)
    (root / ".cache").mkdir()
    (root / "top.txt").write_text("Il faut agir.", encoding="utf-8")
    (root / "a" / "b" / "deep.md").write_text("Le climat change.", encoding="utf-8")
    (root / "a" / "notes.docx").write_bytes(b"PK\x03\x04")  # unsupported: not picked up
    (root / ".hidden.txt").write_text("caché", encoding="utf-8")
    (root / ".cache" / "x.txt").write_text("caché", encoding="utf-8")
    (root / "a" / "b" / "up").symlink_to(root, target_is_directory=True)  # directory loop
    (root / "a" / "self.txt").symlink_to(root / "a" / "self.txt")  # a link to itself
    (root / "a" / "dangling.txt").symlink_to(root / "nowhere.txt")
    return [
        ("a/b/deep.md", None),
        ("a/dangling.txt", "not_found"),
        ("a/self.txt", "read_error"),
        ("top.txt", None),
    ]


def test_reader_directory_nested_hidden_and_symlink_loops(tmp_path: Path) -> None:
    expected = make_tree(tmp_path / "tree")
    docs = list(read_inputs([str(tmp_path / "tree")]))
    assert [(d.id, kinds([d])[0]) for d in docs] == [
        (str(tmp_path / "tree" / rel), kind) for rel, kind in expected
    ]


# --- through `stance label` ------------------------------------------------------------------


def check_record(rec: dict[str, Any], text: str) -> None:
    """Sentences cut the expected text at their offsets, and every sentence is scored."""
    assert rec["sentences"]
    for s in rec["sentences"]:
        assert text[s["start"] : s["end"]] == s["text"]
        assert s["role"] in ("claim", "premise", "none") and s["stance"] is not None
    covered = "".join(s["text"] for s in rec["sentences"])
    assert "".join(covered.split()) == "".join(text.split())  # nothing dropped


def test_label_every_bad_input(tiny_pipeline: Path, bad_corpus: Path, tmp_path: Path) -> None:
    paths = [bad_corpus / c.name for c in CASES]
    run = run_cli("label", *paths, "-o", "out.jsonl", "--model", tiny_pipeline, *FAST,
                  "--target", "agir", cwd=tmp_path)  # fmt: skip
    run.assert_no_traceback()
    assert run.code == 1  # some inputs are errors; all the others were labelled
    records = read_records(tmp_path / "out.jsonl")
    expected = [
        (record_id(bad_corpus / c.name, suffix), kind) for c in CASES for suffix, kind in c.records
    ]
    assert [(r["id"], r["error"]["type"] if r["error"] else None) for r in records] == expected
    errors = sum(kind is not None for _, kind in expected)
    assert run.summary() == (len(expected), 0, errors)
    by_id = {r["id"]: r for r in records}
    for case in CASES:
        if case.text is not None:
            check_record(by_id[str(bad_corpus / case.name)], case.text)
    for rec in records:
        assert (rec["error"] is None) == bool(rec["sentences"])
        if rec["error"]:
            assert set(rec["error"]) == {"type", "message"} and rec["error"]["type"] in ERROR_TYPES
    # too long for the model's window: one sentence record, windowed, not truncated
    [sentence] = by_id[str(bad_corpus / "sentence5000.txt")]["sentences"]
    assert "windowed" in sentence["flags"] and sentence["end"] == len(SENTENCE_5000) - 1
    long = by_id[str(bad_corpus / "long.txt")]["sentences"]
    assert any("windowed" in s.get("flags", ()) for s in long) and long[-1]["end"] == 200_000
    assert "Il faut taxer" in by_id[str(bad_corpus / "soup.html")]["text"]


def test_label_a_directory_tree(tiny_pipeline: Path, tmp_path: Path) -> None:
    expected = make_tree(tmp_path / "tree")
    args = ["tree", "-o", "out.jsonl", "--model", tiny_pipeline, *FAST]
    run = run_cli("label", *args, cwd=tmp_path)
    run.assert_no_traceback()
    assert (run.code, run.summary()) == (1, (4, 0, 2))
    records = read_records(tmp_path / "out.jsonl")
    got = [(r["id"], r["error"]["type"] if r["error"] else None) for r in records]
    assert got == [(f"tree/{rel}", kind) for rel, kind in expected]


def test_label_only_good_inputs_exits_0(tiny_pipeline: Path, bad_corpus: Path) -> None:
    args = ["latin1.txt", "cp1252.txt", "--model", tiny_pipeline, "--target", "agir", *FAST]
    run = run_cli("label", *args, cwd=bad_corpus)
    run.assert_no_traceback()
    assert (run.code, run.summary()) == (0, (2, 0, 0))
    for line, name in zip(run.stdout.splitlines(), ("latin1.txt", "cp1252.txt"), strict=True):
        check_record(json.loads(line), (bad_corpus / name).read_bytes().decode("cp1252"))


# --- an unreadable file ----------------------------------------------------------------------


def without_root_bypass() -> list[str] | None:
    """A command prefix under which chmod 000 really blocks reading; None if there is none.

    Root ignores file modes through CAP_DAC_OVERRIDE: dropping it (and CAP_DAC_READ_SEARCH)
    from the bounding set makes root obey them, so nothing is simulated.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


@pytest.fixture
def unreadable(tmp_path: Path) -> tuple[Path, list[str]]:
    prefix = without_root_bypass()
    if prefix is None:  # root without setpriv: test_readers.py simulates this with a monkeypatch
        pytest.skip("running as root and cannot drop CAP_DAC_OVERRIDE: chmod 000 has no effect")
    path = tmp_path / "secret.txt"
    path.write_text("Il faut agir.", encoding="utf-8")
    path.chmod(0)
    return path, prefix


def test_unreadable_file_is_a_permission_record(
    unreadable: tuple[Path, list[str]], tiny_pipeline: Path, tmp_path: Path
) -> None:
    path, prefix = unreadable
    code = (
        "import json, sys; from stance.io.readers import read_inputs; "
        "print(json.dumps([d.error for d in read_inputs(sys.argv[1:])]))"
    )
    read = subprocess.run([*prefix, sys.executable, "-c", code, str(path)], env=cli_env(),
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert json.loads(read.stdout) == [{"type": "permission", "message": "Permission denied"}]

    args = [*prefix, sys.executable, "-c", "from stance.cli import main; main()"]
    label = subprocess.run([*args, "label", str(path), "--model", str(tiny_pipeline), *FAST],
                           env=cli_env(), capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
    assert "Traceback" not in label.stderr and label.returncode == 1, label.stderr[-3000:]
    [rec] = [json.loads(line) for line in label.stdout.splitlines()]
    assert rec["error"]["type"] == "permission"


# --- properties ------------------------------------------------------------------------------

CONTROL = {chr(c) for c in range(32)} - set("\t\n\v\f\r")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=3000))
def test_any_bytes_give_one_record_and_never_raise(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    docs = list(read_inputs([str(path)]))
    assert len(docs) == 1
    doc = docs[0]
    if doc.error:
        assert doc.error["type"] in ERROR_TYPES and doc.error["message"]
    else:
        assert doc.text.strip() and "\x00" not in doc.text
    assert_writable(doc, tmp_path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=2000))
def test_any_unicode_text_reads_back_equal(tmp_path: Path, text: str) -> None:
    """UTF-8 text comes back as written, unless the documented binary rule applies."""
    assume(not text.startswith("\ufeff"))  # a leading U+FEFF is a BOM, stripped by design
    path = tmp_path / "any.txt"
    path.write_bytes(text.encode("utf-8"))
    [doc] = read_inputs([str(path)])
    control = sum(text.encode("utf-8").count(c.encode()) for c in CONTROL)
    if "\x00" in text and doc.meta.get("encoding", "").startswith("utf-16"):
        return  # NUL in every other byte looks like UTF-16 without BOM, read as such
    if "\x00" in text or control > 0.05 * len(text.encode("utf-8")):
        assert doc.error is not None and doc.error["type"] == "binary"
    elif not text.strip():
        assert doc.error is not None and doc.error["type"] == "empty"
    else:
        assert (doc.error, doc.text) == (None, text)


# --- broken models ---------------------------------------------------------------------------


def damage(pipeline: Path, how: str) -> Path:
    """Break the component part of a copy of ``pipeline``; the file users should be told of."""
    part = pipeline / "component"
    weights = part / "adapter_model.safetensors"
    if how == "pickle-only":
        weights.rename(part / "adapter_model.bin")
        return part
    if how == "corrupt-safetensors":
        weights.write_bytes(weights.read_bytes()[:100])
        return weights
    (part / "stance_part.json").write_text("{not json" if how == "part-json" else "{}")
    return part / "stance_part.json"


@pytest.mark.parametrize(
    "how",
    [
        "pickle-only",
        "corrupt-safetensors",
        "part-json",
        "part-json-empty",
    ],
)
def test_broken_model_is_a_model_error_naming_the_file(
    tiny_pipeline: Path, tmp_path: Path, how: str
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny_pipeline, broken)
    culprit = damage(broken, how)
    with pytest.raises(ModelError) as err:
        load_part(broken / "component")
    assert str(culprit) in str(err.value)

    (tmp_path / "a.txt").write_text("Il faut agir.", encoding="utf-8")
    run = run_cli("label", "a.txt", "--model", broken, *FAST, cwd=tmp_path, timeout=120)
    run.assert_no_traceback()
    assert run.code == 2
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(culprit) in errors[0]
    assert run.stdout == ""
