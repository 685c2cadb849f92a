"""``scripts/stance_transfer.py seeds``: headline values of a run and the table over seeds."""

from __future__ import annotations

from tests.scripts.scripts_dir import import_script


def _probe(f1: float, target: float) -> dict[str, object]:
    share = {"value": target, "low": 0.0, "high": 1.0}
    return {
        "consistency": {
            "macro_f1_3views": {"value": f1, "low": 0.0, "high": 1.0},
            "target_accuracy": share,
            "both_right": {**share, "value": target / 2},
            "unrelated_none": {**share, "value": 0.9},
        }
    }


def test_values_read_each_set_and_the_probe_shares() -> None:
    st = import_script("stance_transfer")
    values = st._values({"UKP val": {"macro_f1": 0.5}, st.PROBE_NAME: _probe(0.48, 0.4)})
    assert values == {
        "UKP val": 0.5,
        st.PROBE_NAME: 0.48,
        "probe: target_accuracy": 0.4,
        "probe: both_right": 0.2,
        "probe: unrelated_none": 0.9,
    }


def test_seeds_table_gives_mean_sd_and_paired_differences() -> None:
    st = import_script("stance_transfer")
    a = [{"UKP val": v} for v in (0.50, 0.52, 0.54)]
    b = [{"UKP val": v} for v in (0.55, 0.51, 0.60)]
    text = st.seeds_table({"E": a, "E+c": b})
    assert "| UKP val | 0.520 ± 0.020 | 0.553 ± 0.045 |" in text
    assert "- UKP val: mean +0.033 (+0.050, -0.010, +0.060; 2/3)" in text
