"""Typed, validated configuration dataclasses built from plain mappings (TOML, JSON, CLI).

Every configuration object of the project (``TrainConfig``, ``ShipConfig``,
``PipelineConfig``) is a dataclass built with :func:`build`: an unknown key is an error that
names it (and the closest known key), a value of the wrong type is an error that names the
key, the type its annotation expects and the value, and ``where`` (a file, a table) prefixes
every message. Supported annotations: ``str``, ``int``, ``float`` (an int is accepted),
``bool``, ``tuple[X, ...]``, ``dict[str, X]``, ``X | None`` and ``Any``.

Values typed on the command line (``key=value``) arrive as strings when they are not valid
TOML (``--set base=camembert-base``); :func:`coerce_strings` turns them into the field's type
first (``"3"`` → 3, ``"yes"`` → True, ``"fmt:path"`` → ``("fmt:path",)``).
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import io
import textwrap
import tokenize
import types
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigError(ValueError):
    """A configuration value that is unknown, missing or of the wrong type; names the key."""


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""


def field_types(cls: type) -> dict[str, Any]:
    """Field name → resolved annotation (string annotations evaluated in the class's module)."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def type_name(tp: Any) -> str:
    """``float``, ``tuple[str, ...]``, ``dict[str, Any]``, ``str | None``: as written in code."""
    if isinstance(tp, type) and not typing.get_args(tp):
        return tp.__name__
    return str(tp).replace("typing.", "")


def unknown_key_message(key: str, allowed: list[str], where: str = "") -> str:
    """``unknown key 'epoch' (did you mean 'epochs'?)``, or the allowed keys when none is close."""
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(sorted(allowed))}"
    return f"{_prefix(where)}unknown key {key!r} ({hint})"


def check_keys(cls: type, values: Mapping[str, Any], where: str = "") -> None:
    """Raise :class:`ConfigError` for the first key that is not a field of ``cls``."""
    allowed = [f.name for f in dataclasses.fields(cls)]
    for key in values:
        if key not in allowed:
            raise ConfigError(unknown_key_message(str(key), allowed, where))


def check_value(key: str, value: Any, tp: Any, where: str = "") -> Any:
    """``value`` checked against annotation ``tp`` (ints widened to float, lists to tuples)."""
    if tp is Any:
        return value
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        for arm in args:
            try:
                return check_value(key, value, arm, where)
            except ConfigError:
                continue
        raise _mistyped(key, value, tp, where)
    if tp is type(None):
        if value is None:
            return None
        raise _mistyped(key, value, tp, where)
    if origin is tuple:
        if not isinstance(value, list | tuple) or (len(args) != 2 or args[1] is not Ellipsis):
            raise _mistyped(key, value, tp, where)
        return tuple(check_value(f"{key}[{i}]", v, args[0], where) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, Mapping):
            raise _mistyped(key, value, tp, where)
        return {
            check_value(f"{key} (a key)", k, args[0], where): check_value(
                f"{key}.{k}", v, args[1], where
            )
            for k, v in value.items()
        }
    return _check_scalar(key, value, tp, where)


def _check_scalar(key: str, value: Any, tp: Any, where: str) -> Any:
    if tp is bool:
        ok = isinstance(value, bool)
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif tp is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif tp is str:
        ok = isinstance(value, str)
    else:
        raise TypeError(f"{key}: annotation {type_name(tp)} is not supported by typed_config")
    if not ok:
        raise _mistyped(key, value, tp, where)
    return value


def _mistyped(key: str, value: Any, tp: Any, where: str) -> ConfigError:
    return ConfigError(
        f"{_prefix(where)}{key} must be {type_name(tp)}, got {value!r} ({type(value).__name__})"
    )


def build(cls: type[T], values: Mapping[str, Any], where: str = "") -> T:
    """An instance of dataclass ``cls`` from ``values``, every key and value checked.

    Errors raised by the class's own checks (``__post_init__``) come back as
    :class:`ConfigError` with ``where`` in front.
    """
    check_keys(cls, values, where)
    types_ = field_types(cls)
    checked = {k: check_value(k, v, types_[k], where) for k, v in values.items()}
    missing = [
        f.name
        for f in dataclasses.fields(cls)
        if f.init
        and f.name not in checked
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise ConfigError(f"{_prefix(where)}missing key {missing[0]!r}")
    try:
        return cls(**checked)
    except ValueError as exc:  # the class's own checks (ConfigError included)
        raise ConfigError(f"{_prefix(where)}{exc}") from exc


def coerce_strings(cls: type, values: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    """Command-line values: a string given for a non-string field becomes that field's type.

    Other values are left for :func:`build` to check; unknown keys are refused here already.
    """
    check_keys(cls, values, where)
    types_ = field_types(cls)
    return {k: _from_string(k, v, types_[k], where) for k, v in values.items()}


def _from_string(key: str, value: Any, tp: Any, where: str) -> Any:
    if not isinstance(value, str):
        return value
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1:
        tp = args[0]  # `X | None`: a string means X
    if typing.get_origin(tp) is tuple:
        return (value,)
    text = value.strip()
    try:
        if tp is int:
            return int(text)
        if tp is float:
            return float(text)
    except ValueError:
        raise _mistyped(key, value, tp, where) from None
    if tp is bool and text.lower() in _TRUE | _FALSE:
        return text.lower() in _TRUE
    return value


def field_comments(cls: type) -> dict[str, str]:
    """Field name → the comment written next to it (and on the lines just above) in ``cls``.

    Lets a dataclass document its fields with ordinary comments, shown by ``stance config
    show``; empty when the source cannot be read.
    """
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    comments: dict[int, str] = {}
    code_lines: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
        elif tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            code_lines.add(tok.start[0])
    names = {f.name for f in dataclasses.fields(cls)}
    out: dict[str, str] = {}
    for number, line in enumerate(source.splitlines(), start=1):
        name = line.strip().split(":", 1)[0]
        if name not in names or name in out:
            continue
        above: list[str] = []
        prev = number - 1
        while prev in comments and prev not in code_lines:
            above.insert(0, comments[prev])
            prev -= 1
        out[name] = " ".join([*above, comments.get(number, "")]).strip()
    return out
