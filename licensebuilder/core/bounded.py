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
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent

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


class _BoundedConstructor(SafeConstructor):
    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        digits = sum(c.isdigit() for c in str(node.value))
        if digits > MAX_DIGITS:
            raise UnsafeInput(
                f"has a number of {digits} digits at line {node.start_mark.line + 1}; at most {MAX_DIGITS} are accepted"
            )
        return super().construct_yaml_int(node)


_BoundedConstructor.add_constructor("tag:yaml.org,2002:int", _BoundedConstructor.construct_yaml_int)


class _BoundedLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _BoundedConstructor,
    yaml.resolver.Resolver,
):
    """PyYAML's SafeLoader, refusing aliases and deep nesting while composing, before any value
    is constructed."""

    def __init__(self, stream: str):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _BoundedConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._depth = 0

    def fetch_flow_collection_start(self, token_class: Any) -> None:
        # The scanner looks ahead through flow collections ("[[[[...") before the composer sees
        # them: bounded here, as each opens.
        if self.flow_level >= MAX_DEPTH:
            raise UnsafeInput(f"is nested more than {MAX_DEPTH} levels deep at line {self.get_mark().line + 1}")
        super().fetch_flow_collection_start(token_class)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            raise UnsafeInput(
                f"uses the YAML alias *{event.anchor} at line {line}: anchors and aliases are not accepted, "
                "write each value out in full"
            )
        if getattr(event, "anchor", None):
            raise UnsafeInput(
                f"defines the YAML anchor &{event.anchor} at line {line}: anchors and aliases are not accepted, "
                "write each value out in full"
            )
        nested = isinstance(event, CollectionStartEvent)
        if nested:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise UnsafeInput(f"is nested more than {MAX_DEPTH} levels deep at line {line}")
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self._depth -= 1


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with the bounds above; YAML syntax errors are raised as yaml.YAMLError."""
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
