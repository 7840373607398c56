"""The clauses' sandbox: the Jinja environment every clause body and condition is parsed and run in.

Only the library's own files and conditions are ever parsed here; a licensor's text reaches a
template as data (printed through ``_finalize``, which escapes it for Markdown), never as source.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, nodes
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace

from .text import md_escape


def _finalize(value: Any) -> str:
    if value is None:
        # A missing optional value must never print as the word "None".
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return md_escape(value)


class ClauseEnvironment(SandboxedEnvironment):
    """The clauses' sandbox, where each library source is parsed once: what a clause reads, which
    templates it imports, its lock digest and its compiled body all come from the same tree, a
    shared template imported by many clauses is parsed once for all of them, and a condition or rule
    expression used by many clauses is compiled once.

    Only library files and clause conditions are ever parsed here (a licensor's text is data, never
    template source), so the trees kept are bounded by the library's size; the cap is a guard.

    Each template's globals are a plain dict, not Jinja's ``ChainMap`` over the environment's:
    every render and condition copies them into a new context, and iterating a ``ChainMap`` is
    Python code (a fifth of a condition's time). Nothing changes the environment's globals once the
    library is loaded, which is what the ``ChainMap`` would follow.
    """

    MAX_TREES = 4096

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._trees: dict[str, nodes.Template] = {}
        self._expressions: dict[tuple[str, bool], Any] = {}

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}

    def parse(self, source: str, name: str | None = None, filename: str | None = None) -> nodes.Template:
        tree = self._trees.get(source)
        if tree is None:
            tree = super().parse(source, name, filename)
            if len(self._trees) < self.MAX_TREES:
                self._trees[source] = tree
        return tree

    def compile(
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        tree = self.parse(source, name, filename) if isinstance(source, str) else source
        if raw:
            return super().compile(tree, name, filename, True, defer_init)
        return super().compile(tree, name, filename, False, defer_init)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` in a template, as the sandbox reads it, taking two common cases
        directly: an answer of the spec (a plain dict) read by a key that names no dict method,
        which the sandbox finds as an item once the attribute lookup has failed; and a value a
        template keeps in its own ``namespace()`` under a name without a leading underscore,
        which the sandbox's checks would allow after a dozen lookups through the namespace."""
        if type(obj) is dict and attribute not in DICT_METHODS:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        if type(obj) is Namespace and not attribute.startswith("_"):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return self.undefined(obj=obj, name=attribute)
            wrapped = self.wrap_str_format(value)  # a str.format kept in a namespace stays sandboxed
            return value if wrapped is None else wrapped
        return super().getattr(obj, attribute)

    def compile_expression(self, source: str, undefined_to_none: bool = True) -> Any:
        key = (source, undefined_to_none)
        expression = self._expressions.get(key)
        if expression is None:
            expression = super().compile_expression(source, undefined_to_none)
            if len(self._expressions) < self.MAX_TREES:
                self._expressions[key] = expression
        return expression


# The names a dict answers as attributes (its methods): a key so named is read as the method.
DICT_METHODS = frozenset(dir(dict))


def make_environment(directory: Path) -> SandboxedEnvironment:
    env = ClauseEnvironment(
        loader=FileSystemLoader(str(directory)),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env
