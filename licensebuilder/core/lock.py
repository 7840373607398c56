"""``clauses/library.lock``: each clause's version and the SHA-256 of the text it is made of.

A clause's ``version`` promises that its wording changed only when the number went up. The lock
keeps that promise checkable: it records, per clause, the version and a digest of the clause file
(front matter and body) together with every library file the body draws wording from (the
templates it imports or includes, and the restriction catalogue for a clause that prints it).
:func:`problems` names every clause whose text no longer matches the lock although its version
did not go up; :func:`update` rewrites the lock once versions have been bumped (``manage.py
license lock``, with ``--bump`` to raise the versions of the clauses that changed).

The library's version is derived from the lock, never kept by hand: ``1.<sum of the clause
versions>+<the first 8 hex digits of the lock's SHA-256>``. The middle number grows with every
bump or new clause; the digest tells any two lock states apart.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import meta

if TYPE_CHECKING:  # pragma: no cover
    from jinja2 import Environment

LOCK_NAME = "library.lock"
_HEADER = (
    "# Clause versions and the SHA-256 of the text each is made of.\n"
    "# Written by `manage.py license lock`; a test fails when a clause's text changes without a\n"
    "# version bump. Do not edit by hand: bump the clause's `version`, then run the command.\n"
)
_LINE = re.compile(r"^(?P<key>\S+) (?P<version>\d+) sha256:(?P<digest>[0-9a-f]{64})$")
_RUN = "run `manage.py license lock`"
_VERSION_LINE = re.compile(r"^(version:\s*)(\d+)\s*$", re.M)


@dataclass(frozen=True)
class Entry:
    version: int
    digest: str


class LockError(Exception):
    """The lock file cannot be read: a bug to fix in ``clauses/``."""


def referenced_sources(env: Environment, source: str, seen: frozenset[str] = frozenset()) -> list[str]:
    """The names of the templates a body imports or includes, directly or through others, sorted."""
    found: set[str] = set()
    if not any(word in source for word in ("import", "include", "extends")):
        return []  # no other template named: spare the parse
    for name in meta.find_referenced_templates(env.parse(source)):
        if name is None or name in seen or name in found:
            continue
        found.add(name)
        other, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        found.update(referenced_sources(env, other, seen | {name}))
    return sorted(found)


def clause_digest(directory: Path, env: Environment, path: Path, reads: frozenset[str]) -> str:
    """SHA-256 over the clause file and every library file its wording is made of."""
    text = path.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8"))
    for name in referenced_sources(env, text):
        digest.update(f"\n\x00{name}\x00\n".encode())
        digest.update((directory / name).read_bytes())
    if "restrictions" in reads or "*" in reads:
        digest.update(b"\n\x00restrictions.yaml\x00\n")
        digest.update((directory / "restrictions.yaml").read_bytes())
    return digest.hexdigest()


def read(directory: Path) -> dict[str, Entry]:
    path = directory / LOCK_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LockError(f"{path}: {exc.strerror or exc}; run `manage.py license lock` to write it") from None
    entries: dict[str, Entry] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            raise LockError(f"{path}:{number}: not '<clause> <version> sha256:<digest>': {line!r}")
        entries[match["key"]] = Entry(int(match["version"]), match["digest"])
    return entries


def render(entries: dict[str, Entry]) -> str:
    lines = [f"{key} {entry.version} sha256:{entry.digest}" for key, entry in sorted(entries.items())]
    return _HEADER + "\n".join(lines) + "\n"


def library_version(entries: dict[str, Entry]) -> str:
    total = sum(entry.version for entry in entries.values())
    return f"1.{total}+{hashlib.sha256(render(entries).encode('utf-8')).hexdigest()[:8]}"


@dataclass(frozen=True)
class Current:
    """A clause as the library holds it now."""

    key: str
    path: Path
    version: int
    digest: str


def problems(current: list[Current], locked: dict[str, Entry]) -> list[str]:
    """Every way the library and its lock disagree, one sentence per clause."""
    out: list[str] = []
    for clause in current:
        entry = locked.get(clause.key)
        where = f"{clause.key} ({clause.path.name})"
        if entry is None:
            out.append(f"{where} is not in {LOCK_NAME}: {_RUN}.")
        elif entry.digest != clause.digest and clause.version <= entry.version:
            out.append(
                f"{where}: its text changed but its version is still {clause.version}; "
                f"bump it to {entry.version + 1} (or run `manage.py license lock --bump`)."
            )
        elif clause.version < entry.version:
            out.append(f"{where}: version {clause.version} is lower than the locked {entry.version}.")
        elif (clause.version, clause.digest) != (entry.version, entry.digest):
            out.append(f"{where}: version {clause.version} is not yet in {LOCK_NAME}: {_RUN}.")
    keys = {clause.key for clause in current}
    out += [f"{key} is in {LOCK_NAME} but no longer in the library: {_RUN}." for key in sorted(set(locked) - keys)]
    return out


def bump(clause: Current, locked: dict[str, Entry]) -> bool:
    """Raise the version in a changed clause's front matter above the locked one; True if done."""
    entry = locked.get(clause.key)
    if entry is None or entry.digest == clause.digest or clause.version > entry.version:
        return False
    text = clause.path.read_text(encoding="utf-8")
    front, sep, body = text.partition("\n---\n")
    new_front, count = _VERSION_LINE.subn(lambda m: f"{m.group(1)}{entry.version + 1}", front, count=1)
    if not count:
        raise LockError(f"{clause.path}: no 'version:' line in the front matter")
    clause.path.write_text(new_front + sep + body, encoding="utf-8")
    return True


def write(directory: Path, current: list[Current]) -> None:
    entries = {clause.key: Entry(clause.version, clause.digest) for clause in current}
    (directory / LOCK_NAME).write_text(render(entries), encoding="utf-8")
