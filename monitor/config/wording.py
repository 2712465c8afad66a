"""The wording of every config error: pydantic's errors located (file, source, field) and
phrased our way ("Input should be a valid integer, unable to parse string as an integer"
becomes "is not a whole number")."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from monitor.config.checks import closest


def show(value: Any) -> str:
    """A value as it is written in TOML: "text", 5, true."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


_PHRASES: dict[str, str] = {
    "int_parsing": "is not a whole number",
    "int_type": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_parsing": "is not a number",
    "float_type": "is not a number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text in quotes",
    "string_too_short": "must not be empty",
    "tuple_type": 'must be a list, e.g. ["a", "b"]',
    "list_type": 'must be a list, e.g. ["a", "b"]',
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "dict_type": "must be a table",
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "literal_error": "must be one of {expected}",
}


def phrase(error: Mapping[str, Any]) -> str:
    """Our wording of one pydantic error (without its location)."""
    kind = str(error["type"])
    context = error.get("ctx") or {}
    if kind == "too_short":
        wanted = context.get("min_length", 1)
        message = "must not be empty" if wanted == 1 else f"needs at least {wanted} entries"
    elif kind == "too_long":
        message = f"takes at most {context.get('max_length')} entries"
    elif kind in _PHRASES:
        message = _PHRASES[kind].format(**context)
    else:
        message = str(error["msg"])
    return f"{show(error['input'])} {message}" if "input" in error else message


# -- locating an error: file, source, field ----------------------------------------------------


def describe(error: Mapping[str, Any], raw: Mapping[str, Any], model: type[BaseModel]) -> str:
    """One error of validating ``raw`` against ``model``, as "source "x": field: message"."""
    loc = list(error["loc"])
    where: list[str] = []
    if loc[:1] == ["source"] and len(loc) > 1 and isinstance(loc[1], int):
        where.append(_source_label(raw, loc[1]))
        loc = loc[2:]
    elif len(loc) > 1:
        where.append(str(loc[0]))  # a table: "fetch: timeout: ..."
        loc = loc[1:]
    field = ".".join(str(part) for part in loc if not isinstance(part, int))
    if error["type"] == "extra_forbidden":
        message = _unknown_key(error, model)
        field = ".".join(str(part) for part in loc[:-1] if not isinstance(part, int))
    elif error["type"] == "missing":
        message = "is required"
    elif error["type"] == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
    else:
        message = phrase(error)
    return ": ".join([*where, *([field] if field else []), message])


def _source_label(raw: Mapping[str, Any], index: int) -> str:
    sources = raw.get("source")
    entry = sources[index] if isinstance(sources, list) and index < len(sources) else None
    name = entry.get("name") if isinstance(entry, Mapping) else None
    return f'source "{name}"' if isinstance(name, str) and name else f"source #{index + 1}"


def _unknown_key(error: Mapping[str, Any], model: type[BaseModel]) -> str:
    key = str(error["loc"][-1])
    known = _known_keys(model, error["loc"][:-1])
    return f'unknown key "{key}"{closest(key, known)}'


def _known_keys(model: type[BaseModel], parent: tuple[Any, ...]) -> list[str]:
    for part in parent:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        inner = _model_of(field.annotation) if field else None
        if inner is None:
            return []
        model = inner
    return [f.alias or name for name, f in model.model_fields.items() if name != "path"]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    return None
