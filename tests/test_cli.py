"""The CLI contract on a tiny pipeline: segment, predict, evaluate, train overrides, errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from stance.cli import app
from tests.tiny import component_docs, stance_docs, write_jsonl

ARTICLE = (
    "Le client décide-t-il vraiment ?\n\n"
    "Il serait naïf de croire que le consommateur décide à la place de l'entreprise. "
    "L'entreprise n'est pas une organisation philanthrope : elle vend ses produits. "
    "M. Dupont, cité par « Le Monde », affirme pourtant le contraire ! "
    "Selon lui, 60 % des clients influencent les choix... Rien n'est moins sûr."
)
BLOG_HTML = f"""<html><head><title>Blog</title></head><body>
<nav>Accueil | Suivre ce blog</nav>
<article><h1>Le client décide-t-il vraiment ?</h1>
{"".join(f"<p>{p}</p>" for p in ARTICLE.split(chr(10) + chr(10))[1:])}
</article><footer>Commenter cet article</footer></body></html>"""

runner = CliRunner()


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_segment_txt_and_html(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text(BLOG_HTML, encoding="utf-8")
    out = tmp_path / "seg.jsonl"
    result = runner.invoke(app, ["segment", str(tmp_path / "a.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert len(rows) == 6
    assert all(ARTICLE[r["start"] : r["end"]] == r["text"] for r in rows)
    result = runner.invoke(app, ["segment", str(tmp_path / "b.html"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    texts = [r["text"] for r in _rows(out)]
    assert "Rien n'est moins sûr." in texts
    assert not any("Suivre ce blog" in t or "Commenter cet article" in t for t in texts)


def test_predict_json_and_table(tiny_pipeline: Path) -> None:
    args = ["predict", ARTICLE, "--target", "Le client décide", "--model", str(tiny_pipeline)]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout)
    assert rec["target"] == "Le client décide" and len(rec["sentences"]) == 6
    table = runner.invoke(app, args)
    assert table.exit_code == 0 and "stance toward" in table.stdout


def test_evaluate_writes_reports(tiny_pipeline: Path, tmp_path: Path) -> None:
    gold = write_jsonl(component_docs()[:4], tmp_path / "gold.jsonl").split(":", 1)[1]
    out = tmp_path / "rep"
    cmd = ["evaluate", "--task", "component", "--data", gold, "--data-format", "jsonl"]
    opts = ["--model", str(tiny_pipeline), "--no-baselines"]
    result = runner.invoke(app, [*cmd, "-o", str(out), *opts])
    assert result.exit_code == 0, result.output
    rep = json.loads((out / "report.json").read_text())
    assert rep["task"] == "component" and set(rep["per_class"]) == {"claim", "premise", "none"}
    assert Path(rep["extra"]["model"]).parent == tiny_pipeline  # the part scored, not its pipeline
    assert (out / "report.md").exists() and list(out.glob("*.png"))
    stance_gold = write_jsonl(stance_docs(), tmp_path / "st.jsonl").split(":", 1)[1]
    out2 = tmp_path / "rep2"
    cmd2 = ["evaluate", "--task", "stance", "--data", stance_gold, "--data-format", "jsonl"]
    result = runner.invoke(app, [*cmd2, "-o", str(out2), *opts])
    assert result.exit_code == 0, result.output
    assert json.loads((out2 / "report.json").read_text())["n"] == len(stance_docs())


def test_evaluate_backend_and_quantize(tiny_pipeline: Path, tmp_path: Path) -> None:
    """`stance evaluate --quantize int8` scores the int8 path, and the report says so."""
    gold = write_jsonl(component_docs()[:4], tmp_path / "gold.jsonl").split(":", 1)[1]
    cmd = ["evaluate", "--task", "component", "--data", gold, "--data-format", "jsonl"]
    opts = ["--model", str(tiny_pipeline), "--no-baselines"]
    out = tmp_path / "int8"
    result = runner.invoke(app, [*cmd, *opts, "-o", str(out), "--quantize", "int8"])
    assert result.exit_code == 0, result.output
    rep = json.loads((out / "report.json").read_text())
    assert (rep["extra"]["backend"], rep["extra"]["quantize"]) == ("torch", "int8")
    assert len(_rows(out / "predictions.jsonl")) == rep["n"]  # for a paired test against fp32
    bad = runner.invoke(app, [*cmd, *opts, "-o", str(tmp_path / "x"), "--backend", "tpu"])
    assert bad.exit_code == 2 and "unknown backend" in bad.output


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["predict", "x", "--model", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text("[train]\nnot_a_key = 1\n")
    cmd = ["train", "--task", "stance", "--config", str(bad), "-o", str(tmp_path / "o")]
    result = runner.invoke(app, cmd)
    assert result.exit_code == 2 and "not_a_key" in result.output


def test_config_show_lists_every_train_key(tmp_path: Path) -> None:
    from stance.training.config import TrainConfig

    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert list(rows) == list(TrainConfig().to_dict())
    assert rows["epochs"].split()[1:3] == ["float", "3.0"] and "# training epochs" in rows["epochs"]
    recipe = Path(__file__).resolve().parents[1] / "scripts/configs/stance.toml"
    shown = runner.invoke(app, ["config", "show", "--config", str(recipe)])
    assert shown.exit_code == 0, shown.output
    assert '"frozen-embeddings"' in next(
        r for r in shown.stdout.splitlines() if r.startswith("method")
    )
    span = runner.invoke(app, ["config", "show", "--task", "span"]).stdout
    assert '"span"' in span.splitlines()[0]
    bad = runner.invoke(app, ["config", "show", "--task", "claims"])
    assert bad.exit_code == 2 and "choose roles" in bad.output
    helptext = runner.invoke(app, ["train", "--help"], env={"COLUMNS": "200"}).stdout
    assert "stance config show" in " ".join(helptext.split()) and "window_stride" in helptext


def test_roles_is_the_task_name_users_type_and_component_still_works() -> None:
    shown = runner.invoke(app, ["config", "show", "--task", "roles"])
    assert shown.exit_code == 0, shown.output
    assert '"component"' in shown.output.splitlines()[0]  # the task line, first key
    assert runner.invoke(app, ["config", "show", "--task", "component"]).exit_code == 0
    bad = runner.invoke(app, ["config", "show", "--task", "claims"])
    assert bad.exit_code == 2 and "choose roles" in bad.output


def test_checks_come_before_any_model_loads(tmp_path: Path) -> None:
    """Missing inputs, an empty text or target and a missing model are usage errors (exit 2)
    named at once: the model path given here does not exist, so nothing could load."""
    gone = str(tmp_path / "gone.txt")
    result = runner.invoke(app, ["label", gone, "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 2 and f"{gone}: no such file or directory" in result.output
    assert not (tmp_path / "out.jsonl").exists()
    for args in (["predict", "  "], ["predict", "Bonjour.", "--target", " "]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "empty" in result.output, args
    result = runner.invoke(app, ["predict", "Bonjour.", "--model", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "no such directory" in result.output
