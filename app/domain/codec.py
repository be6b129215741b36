"""Plain-JSON encoding of the domain's dataclasses, driven by their type hints.

Why: a dispensing in progress, the prescription it works on and the delivery waiting in the outbox
are stored as JSON text so that the app finds them again after being closed. Writing one encoder per
type would repeat the field lists; this module walks the annotations instead, so a field added to a
record with a default is carried without touching the encoder, and an old JSON text missing that
field still decodes (the default applies).
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def _self_coded(tp: Any) -> bool:
    """A type that writes and reads its own JSON form (``to_json()`` / ``from_json(data)``), marked by a
    ``__json_format__`` attribute: its stored shape is a shared format (the bill), not its fields."""
    return isinstance(tp, type) and getattr(tp, "__json_format__", None) is not None


def to_jsonable(value: Any) -> Any:
    """``value`` as nested dicts, lists, strings, numbers, booleans and None."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if _self_coded(type(value)):
        return value.to_json()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, frozenset | set) else items
    raise TypeError(f"cannot encode {type(value).__name__}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    module = __import__(cls.__module__, fromlist=["_"])
    return typing.get_type_hints(cls, globalns=vars(module))


def from_jsonable(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` from what :func:`to_jsonable` produced."""
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(options) == 1:
            return from_jsonable(options[0], data)
        for option in options:  # e.g. str | int: the first that accepts the data
            try:
                return from_jsonable(option, data)
            except (TypeError, ValueError, KeyError):
                continue
        raise ValueError(f"no type of {tp} accepts {data!r}")
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_jsonable(args[0], v) for v in data)
        return tuple(from_jsonable(a, v) for a, v in zip(args, data, strict=True))
    if origin in (list, frozenset, set):
        (arg,) = typing.get_args(tp)
        return origin(from_jsonable(arg, v) for v in data)
    if origin is dict:
        key_tp, value_tp = typing.get_args(tp)
        return {from_jsonable(key_tp, k): from_jsonable(value_tp, v) for k, v in data.items()}
    if tp is Any:
        return data
    if isinstance(tp, type):
        if _self_coded(tp):
            return tp.from_json(data)
        if dataclasses.is_dataclass(tp):
            hints = _hints(tp)
            kwargs = {f.name: from_jsonable(hints[f.name], data[f.name])
                      for f in dataclasses.fields(tp) if f.init and f.name in data}
            return tp(**kwargs)
        if issubclass(tp, enum.Enum):
            return tp(data)
        if tp is Decimal:
            return Decimal(str(data))
        if tp is datetime:
            return datetime.fromisoformat(data)
        if tp is date:
            return date.fromisoformat(data)
        if tp is time:
            return time.fromisoformat(data)
        if tp is bool:
            return bool(data)
        if tp in (int, float):
            return tp(data)
        if issubclass(tp, str):
            return tp(data)  # validated types (OrdonnanceNumber, Nir ...) were valid when stored
    raise TypeError(f"cannot decode {tp!r}")


def decode(cls: type[T], data: Any) -> T:
    """Typed entry point: ``decode(Delivery, json.loads(text))``."""
    return from_jsonable(cls, data)
