"""The Ray engine writes exactly what the local engine writes: same records, same order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.tiny import CORPUS

ray = pytest.importorskip("ray")  # the `ray` extra; CI installs it

TARGET = "Faut-il taxer le kérosène ?"


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Seven documents, one of them unreadable (no text): its error record must come through."""
    rows = [{"id": f"d{i}", "text": " ".join(CORPUS[i : i + 2 + i % 3])} for i in range(6)]
    rows.insert(3, {"id": "broken"})
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return path


def _label(engine: str, corpus: Path, out: Path, model: Path, **kw: Any) -> list[dict]:
    from stance.batch.engines import open_engine
    from stance.batch.label import label_corpus

    with open_engine(engine, model, batch_size=2, **kw) as (nlp, chunk):
        summary = label_corpus(
            [str(corpus)], nlp=nlp, out=str(out), target=TARGET, batch_size=chunk
        )
    assert summary.done == 7 and summary.errors == 1
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_ray_records_equal_local_in_input_order(
    local_ray: None, tiny_pipeline: Path, corpus: Path, tmp_path: Path
) -> None:
    local = _label("local", corpus, tmp_path / "local.jsonl", tiny_pipeline)
    # window 3 < 7 documents: several Ray jobs; 2 actors: batches finish out of order
    remote = _label("ray", corpus, tmp_path / "ray.jsonl", tiny_pipeline, window=3, actors=2)
    assert [r["id"] for r in remote] == ["d0", "d1", "d2", "broken", "d3", "d4", "d5"]
    assert remote == local
    assert remote[3]["error"] and remote[0]["sentences"] and remote[0]["stance"]


def test_cli_engine_ray_and_bad_engine(
    local_ray: None, tiny_pipeline: Path, corpus: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from stance.cli import app

    out = tmp_path / "cli.jsonl"
    args = ["label", str(corpus), "--model", str(tiny_pipeline), "-t", TARGET, "-o", str(out)]
    result = CliRunner().invoke(app, [*args, "--engine", "ray"])
    assert result.exit_code == 1, result.output  # 1: the broken row carries an error record
    assert len(out.read_text().splitlines()) == 7
    bad = CliRunner().invoke(app, [*args, "--engine", "spark", "--overwrite"])
    assert bad.exit_code == 2 and "unknown engine" in bad.output
