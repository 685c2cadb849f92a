"""Configuration dataclasses built from mappings: unknown keys and wrong types are named."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from stance.typed_config import ConfigError, build, coerce_strings, field_comments


@dataclass(frozen=True)
class Sample:
    name: str  # required
    count: int = 1  # how many
    # a weight, on the line above
    weight: float = 0.5
    flag: bool = False
    items: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("count cannot be negative")


def test_valid_values_are_converted() -> None:
    got = build(Sample, {"name": "a", "weight": 2, "items": ["x", "y"], "scores": {"c": 1}})
    assert got == Sample(name="a", weight=2.0, items=("x", "y"), scores={"c": 1.0})
    assert isinstance(got.weight, float) and isinstance(got.scores["c"], float)


def test_unknown_key_is_named_with_the_closest_one() -> None:
    with pytest.raises(ConfigError, match=r"f\.toml: unknown key 'cuont' \(did you mean 'count'"):
        build(Sample, {"name": "a", "cuont": 2}, "f.toml")
    with pytest.raises(ConfigError, match=r"unknown key 'zzz' \(allowed: count, flag, items"):
        build(Sample, {"name": "a", "zzz": 2})


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("count", "3", "int"),
        ("count", True, "int"),  # a bool is no number here
        ("count", 2.5, "int"),
        ("weight", "high", "float"),
        ("flag", 1, "bool"),
        ("name", 3, "str"),
        ("items", "x", r"tuple\[str, \.\.\.\]"),
        ("limit", "9", r"int \| None"),
        ("meta", [1], r"dict\[str, Any\]"),
    ],
)
def test_mistyped_value_names_key_type_and_value(key: str, value: object, expected: str) -> None:
    values = {"name": "a", key: value}
    got = re.escape(repr(value))
    with pytest.raises(ConfigError, match=rf"^here: {key} must be {expected}, got {got} \("):
        build(Sample, values, "here")


def test_optional_accepts_none_and_the_type() -> None:
    assert build(Sample, {"name": "a", "limit": None}).limit is None
    assert build(Sample, {"name": "a", "limit": 4}).limit == 4


def test_tuple_items_are_checked_one_by_one() -> None:
    with pytest.raises(ConfigError, match=r"items\[1\] must be str, got 2"):
        build(Sample, {"name": "a", "items": ["x", 2]})


def test_nested_dict_values_and_keys_are_checked() -> None:
    assert build(Sample, {"name": "a", "labels": {"x": "y"}}).labels == {"x": "y"}
    assert build(Sample, {"name": "a", "meta": {"x": {"deep": [1, None]}}}).meta["x"]["deep"]
    with pytest.raises(ConfigError, match=r"scores\.claim must be float, got 'high'"):
        build(Sample, {"name": "a", "scores": {"claim": "high"}})
    with pytest.raises(ConfigError, match=r"labels\.x must be str, got 1"):
        build(Sample, {"name": "a", "labels": {"x": 1}})
    with pytest.raises(ConfigError, match=r"meta \(a key\) must be str, got 1"):
        build(Sample, {"name": "a", "meta": {1: "x"}})


def test_missing_required_key_and_own_checks_name_where() -> None:
    with pytest.raises(ConfigError, match=r"^p: missing key 'name'"):
        build(Sample, {}, "p")
    with pytest.raises(ConfigError, match=r"^p: count cannot be negative"):
        build(Sample, {"name": "a", "count": -1}, "p")


def test_command_line_strings_are_coerced_to_the_field_type() -> None:
    values = {"count": "3", "weight": "0.25", "flag": "yes", "items": "fmt:path", "limit": "2"}
    got = coerce_strings(Sample, {"name": "a", **values})
    assert got == {
        "name": "a",
        "count": 3,
        "weight": 0.25,
        "flag": True,
        "items": ("fmt:path",),
        "limit": 2,
    }
    assert build(Sample, got).flag is True
    assert coerce_strings(Sample, {"flag": "off", "count": 4}) == {"flag": False, "count": 4}
    with pytest.raises(ConfigError, match=r"--set: count must be int, got 'three'"):
        coerce_strings(Sample, {"count": "three"}, "--set")
    with pytest.raises(ConfigError, match="unknown key 'cont'"):
        coerce_strings(Sample, {"cont": "3"})


def test_field_comments_come_from_the_source() -> None:
    comments = field_comments(Sample)
    assert comments["count"] == "how many"
    assert comments["weight"] == "a weight, on the line above"
    assert comments["flag"] == ""
