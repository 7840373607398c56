"""JSON and YAML read with bounded cost: what a few hundred bytes can make a parser build.

A spec file is at most MAX_SPEC_BYTES, but size alone bounds nothing: YAML aliases let a 400-byte
file stand for hundreds of millions of values (the "billion laughs"), deep nesting exhausts the
recursion of every later walk, and a 5000-digit number costs quadratic time to convert and is
refused by Python's own limit with an unhelpful error. So, before anything is built:

- YAML anchors and aliases are refused (a spec has no use for them);
- nesting deeper than MAX_DEPTH is refused, for JSON before parsing starts;
- a number with more than MAX_DIGITS digits is refused.

Each refusal is an :class:`UnsafeInput` naming the problem and, where known, its line.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

MAX_DEPTH = 32
MAX_DIGITS = 30


class UnsafeInput(ValueError):
    """Input refused before it was built; the message says why, for a person to fix."""


# -- JSON ------------------------------------------------------------------------------------

# Strings (skipped whole, escapes included) and brackets: enough to measure nesting in one pass.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _check_json_depth(text: str) -> None:
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise UnsafeInput(
                    f"is nested more than {MAX_DEPTH} levels deep at line {_line_of(text, match.start())}"
                )
        elif bracket in "]}":
            depth -= 1


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise UnsafeInput(f"has a number of {len(digits.lstrip('-'))} digits; at most {MAX_DIGITS} are accepted")
    return int(digits)


def _json_float(text: str) -> float:
    if len(text) > MAX_DIGITS + 10:
        raise UnsafeInput(f"has a number {len(text)} characters long; at most {MAX_DIGITS} digits are accepted")
    return float(text)


def load_json(text: str) -> Any:
    """``json.loads`` with the bounds above; JSON syntax errors are raised as json.JSONDecodeError."""
    _check_json_depth(text)
    return json.loads(text, parse_int=_json_int, parse_float=_json_float)


# -- YAML ------------------------------------------------------------------------------------

# libyaml (C) when PyYAML has it, as its wheels do: the pure-Python parser takes seconds for a
# document of MAX_SPEC_BYTES, libyaml a small fraction of that.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INTEGER = re.compile(r"[-+]?[0-9][0-9_]*")


def _check_yaml_events(text: str) -> None:
    """One pass over the parser's events, before anything is built: no anchor or alias, no
    nesting past MAX_DEPTH, no plain number of more than MAX_DIGITS digits."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, AliasEvent):
            raise UnsafeInput(
                f"uses the YAML alias *{event.anchor} at line {line}: anchors and aliases are not accepted, "
                "write each value out in full"
            )
        anchor = getattr(event, "anchor", None)
        if anchor:
            raise UnsafeInput(
                f"defines the YAML anchor &{anchor} at line {line}: anchors and aliases are not accepted, "
                "write each value out in full"
            )
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise UnsafeInput(f"is nested more than {MAX_DEPTH} levels deep at line {line}")
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        elif isinstance(event, ScalarEvent) and event.implicit[0] and _INTEGER.fullmatch(event.value):
            digits = sum(c.isdigit() for c in event.value)
            if digits > MAX_DIGITS:
                raise UnsafeInput(f"has a number of {digits} digits at line {line}; at most {MAX_DIGITS} are accepted")


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with the bounds above; YAML syntax errors are raised as yaml.YAMLError."""
    _check_yaml_events(text)
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
