"""The REST API (stance.serve) against a small deterministic fake pipeline."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from html import unescape

import pytest
from fastapi.testclient import TestClient

from stance.doc import DocStance, Document, Sentence, Span
from stance.io.html import STRONG_STANCE
from stance.segment import split_sentences
from stance.serve.app import create_app
from tests.io.test_html import _rows

EXAMPLE = (
    "La gratuité des transports devrait être généralisée. En effet, elle réduit la pollution. "
    "À Dunkerque, la fréquentation a bondi de 60 %. Certes, elle a un coût. "
    "Il est donc temps d'agir."
)
TARGET = "la gratuité des transports"
BYLINE = "Transports gratuits\n\nPar Léa Martin, le 3 mars 2026\n\n"  # boilerplate lines
# the page's demo (stance/serve/static/index.html); its stances are checked with the shipped
# model in tests/serve/test_browser.py
DEMO_TARGET = "Il faut interdire les vols intérieurs courts"
DEMO_TEXT = (
    "Il faut interdire les vols intérieurs courts quand le train offre une alternative. "
    "En effet, un trajet en avion émet bien plus de CO2 que le même trajet en TGV. "
    "De plus, les gares sont en centre-ville, alors que les aéroports sont loin. "
    "Cette interdiction réduira nettement les émissions du transport. "
    "L'État doit donc agir sans attendre."
)
CLAIM_CUES = ("devrait", "il faut", "donc temps")
PREMISE_CUES = ("en effet", "%", "parce que")
AGAINST_CUES = ("certes", " ne ", "n'")


def _scores(label: str, labels: tuple[str, ...], top: float = 0.8) -> dict[str, float]:
    return {k: (top if k == label else (1 - top) / (len(labels) - 1)) for k in labels}


def _role(text: str) -> str:
    low = text.lower()
    if any(c in low for c in CLAIM_CUES):
        return "claim"
    return "premise" if any(c in low for c in PREMISE_CUES) else "none"


def _stance(text: str, role: str) -> tuple[str, float]:
    """Cue words give a confident stance; other sentences outside the argument (titles,
    bylines) lean weakly ``favor``, as the real model's often do."""
    if any(c in text.lower() for c in AGAINST_CUES):
        return "against", 0.8
    return ("favor", 0.8) if role != "none" else ("favor", 0.55)


class FakePipeline:
    """Stands in for ``stance.load()``: cue-word roles/stances, spans without final punctuation.

    ``gate`` (an Event) makes every call wait, to test queueing; a text containing ``BOOM``
    raises, to test error records.
    """

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.gate = gate
        self.entered = threading.Event()
        self.calls = 0

    def __call__(self, text: str, target: str | None = None, id: str | None = None) -> Document:
        return self._label(Document(id=id or "doc", text=text, target=target))

    def pipe(
        self, texts: Iterable[str], target: str | None = None, batch_size: int = 32
    ) -> Iterator[Document]:
        for i, text in enumerate(texts):
            yield self._label(Document(id=str(i), text=text, target=target))

    def _label(self, doc: Document) -> Document:
        self.calls += 1
        self.entered.set()
        if self.gate is not None:
            self.gate.wait(10)
        if "BOOM" in doc.text:
            raise RuntimeError("fake model failure")
        sents = tuple(self._sentence(s, doc.target) for s in split_sentences(doc.text))
        spans = tuple(
            Span(s.start, s.end - (s.text[-1] in ".!?"), s.role or "none", 0.9)
            for s in sents
            if s.role != "none"
        )
        claims = [s.index for s in sents if s.role == "claim"]
        premises = [s.index for s in sents if s.role == "premise"]
        meta = {"main_claims": [{"sentence": claims[0], "premises": premises}]} if claims else {}
        return replace(doc, sentences=sents, spans=spans, stance=_doc_stance(sents), meta=meta)

    @staticmethod
    def _sentence(s: Sentence, target: str | None) -> Sentence:
        role = _role(s.text)
        st, top = _stance(s.text, role) if target else (None, 0.0)
        return replace(
            s,
            role=role,
            role_scores=_scores(role, ("claim", "premise", "none")),
            stance=st,
            stance_scores=_scores(st, ("favor", "against", "none"), top) if st else None,
        )


def _doc_stance(sents: tuple[Sentence, ...]) -> DocStance | None:
    if not sents or sents[0].stance is None:
        return None
    votes = {k: sum(s.stance == k for s in sents) for k in ("favor", "against", "none")}
    total = sum(votes.values())
    return DocStance(max(votes, key=votes.__getitem__), {k: v / total for k, v in votes.items()})


@pytest.fixture()
def client() -> TestClient:
    return TestClient(create_app(FakePipeline, max_chars=400, max_batch=3))


def test_predict_returns_the_document_record(client: TestClient) -> None:
    r = client.post("/predict", json={"text": EXAMPLE, "target": TARGET, "id": "a1"})
    assert r.status_code == 200
    rec = r.json()
    assert rec == FakePipeline()(EXAMPLE, target=TARGET, id="a1").to_dict()
    assert rec["id"] == "a1" and rec["error"] is None
    assert rec["stance"]["label"] in ("favor", "against", "none")
    for s in rec["sentences"]:
        assert EXAMPLE[s["start"] : s["end"]] == s["text"]
    assert {s["role"] for s in rec["sentences"]} == {"claim", "premise", "none"}


def test_predict_without_target_has_no_stance(client: TestClient) -> None:
    rec = client.post("/predict", json={"text": EXAMPLE}).json()
    assert rec["stance"] is None and rec["target"] is None
    assert all(s["stance"] is None for s in rec["sentences"])
    assert any(s["role"] == "claim" for s in rec["sentences"])


def test_oversized_text_is_413_with_a_clear_message(client: TestClient) -> None:
    r = client.post("/predict", json={"text": "a" * 401})
    assert r.status_code == 413
    assert "401 characters" in r.json()["detail"] and "400" in r.json()["detail"]
    assert client.post("/predict", json={"text": "a" * 400}).status_code == 200


def test_oversized_body_is_refused_before_parsing() -> None:
    client = TestClient(create_app(FakePipeline, max_chars=10, max_batch=1))
    r = client.post("/predict", json={"text": "x" * (2**20 + 100)})
    assert r.status_code == 413 and "body" in r.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"target": "x"}', b'{"text": 5}', b'{"text": null}', b"[]"],
    ids=["malformed", "missing-text", "text-not-string", "text-null", "not-object"],
)
def test_malformed_requests_are_422(client: TestClient, body: bytes) -> None:
    r = client.post("/predict", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert "detail" in r.json()


def test_label_keeps_order_ids_and_targets(client: TestClient) -> None:
    docs = [
        {"text": "Il faut agir. En effet, 60 % le veulent.", "target": "agir", "id": "x"},
        {"text": "On ne sait pas.", "target": None},
        {"text": "Il faut agir vite.", "target": "agir"},
    ]
    r = client.post("/label", json={"documents": docs})
    assert r.status_code == 200
    recs = r.json()["records"]
    assert [rec["id"] for rec in recs] == ["x", "1", "2"]
    assert [rec["target"] for rec in recs] == ["agir", None, "agir"]
    assert [len(rec["sentences"]) for rec in recs] == [2, 1, 1]
    assert recs[1]["stance"] is None and recs[2]["stance"]["label"] == "favor"


def test_label_batch_too_large_is_413(client: TestClient) -> None:
    r = client.post("/label", json={"documents": [{"text": "Un."}] * 4})
    assert r.status_code == 413 and "4 documents" in r.json()["detail"]


def test_label_text_too_long_names_the_document(client: TestClient) -> None:
    r = client.post("/label", json={"documents": [{"text": "ok"}, {"text": "b" * 500}]})
    assert r.status_code == 413 and "documents[1]" in r.json()["detail"]


def test_label_turns_failures_into_error_records(client: TestClient) -> None:
    docs = [{"text": "Il faut agir."}, {"text": "BOOM."}, {"text": "En effet, 3 %."}]
    recs = client.post("/label", json={"documents": docs}).json()["records"]
    assert [r["error"] is None for r in recs] == [True, False, True]
    assert recs[1]["error"]["type"] == "RuntimeError" and recs[1]["sentences"] == []
    assert recs[2]["sentences"][0]["role"] == "premise"


def test_predict_failure_is_500_json(client: TestClient) -> None:
    r = client.post("/predict", json={"text": "BOOM"})
    assert r.status_code == 500 and "fake model failure" in r.json()["detail"]


def test_render_returns_record_and_fragment(client: TestClient) -> None:
    data = client.post("/render", json={"text": EXAMPLE, "target": TARGET}).json()
    assert data["record"]["id"] == "doc"
    assert data["html"].startswith("<article") and 'class="arg arg-claim"' in data["html"]
    assert "Résultat de l’analyse</h2>" in data["html"]  # not « Résultat doc »
    assert "doc-id" not in data["html"] and "Verdict de l’article" in data["html"]
    with_id = client.post("/render", json={"text": EXAMPLE, "id": "a<1>"}).json()["html"]
    assert 'class="doc-id">a&lt;1&gt;</span>' in with_id


def test_render_numbers_from_one_and_keeps_badges_and_highlights_consistent(
    client: TestClient,
) -> None:
    text = BYLINE + EXAMPLE
    data = client.post("/render", json={"text": text, "target": TARGET}).json()
    records = data["record"]["sentences"]
    assert [s["index"] for s in records] == list(range(len(records)))  # JSON: 0-based
    rows = _rows(data["html"])
    assert [r["num"] for r in rows] == [int(r["shown_num"]) for r in rows]
    assert [r["num"] for r in rows] == list(range(1, len(records) + 1))
    for rec, row in zip(records, rows, strict=True):
        assert row["role"] == rec["role"]
        assert row["marks"] == ({rec["role"]} if rec["role"] != "none" else set()), row
        weak = rec["stance_scores"][rec["stance"]] < STRONG_STANCE
        boilerplate = rec["stance"] == "none" or (rec["role"] == "none" and weak)
        assert (row["pill"] == []) == boilerplate and row["muted"] == boilerplate, rec
    assert [r["muted"] for r in rows[:2]] == [True, True]  # the title and the byline
    assert any(r["role"] == "none" and r["pill"] == ["Contre"] for r in rows)  # strong stance


def test_page_wording_and_demo(client: TestClient) -> None:
    page = client.get("/").text
    visible = unescape(re.sub(r"<[^>]+>", " ", page.split("<body>")[1]))
    assert not re.search(r" [:;!?]", visible), "French typography: no-break space before :;!?"
    assert "affirmations" not in visible and "thèses et les prémisses" in visible
    assert DEMO_TEXT in page and f'value="{DEMO_TARGET}"' in page
    docs = client.get("/docs").text
    assert "complète\u00a0:" in docs and "Réponses\u00a0:" in docs


def test_health_reports_model_and_limits(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["model"] == "default" and body["loaded"] is False
    assert body["limits"]["max_chars"] == 400
    client.post("/predict", json={"text": "Un."})
    assert client.get("/health").json()["loaded"] is True


def test_page_docs_and_spec_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<textarea" in page.text
    assert "/static/app.js" in page.text and "cdn" not in page.text.lower()
    for asset in ("app.js", "style.css"):
        assert client.get(f"/static/{asset}").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/predict", "/label", "/render", "/health"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/predict" in docs.text and "DocumentIn" in docs.text
    assert 'src="http' not in docs.text and 'href="http' not in docs.text  # all local


def test_model_is_built_once_under_concurrent_first_use() -> None:
    built: list[int] = []

    def factory() -> FakePipeline:
        time.sleep(0.2)  # widen the race window
        built.append(1)
        return FakePipeline()

    client = TestClient(create_app(factory, workers=4))
    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda _: client.post("/predict", json={"text": "Un."}), range(6)))
    assert [c.status_code for c in codes] == [200] * 6
    assert len(built) == 1


def test_burst_beyond_the_queue_is_503() -> None:
    gate = threading.Event()
    fake = FakePipeline(gate)
    client = TestClient(create_app(lambda: fake, workers=1, max_queue=0))
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(client.post, "/predict", json={"text": "Un."})
        assert fake.entered.wait(5)
        busy = client.post("/predict", json={"text": "Deux."})
        gate.set()
        assert first.result(10).status_code == 200
    assert busy.status_code == 503 and busy.headers["Retry-After"]
    assert client.post("/predict", json={"text": "Trois."}).status_code == 200
