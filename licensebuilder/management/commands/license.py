"""``manage.py license ...``: the license engine for release pipelines (build, bundle, check,
presets, diff, obligations), publishing (publish, unpublish) and the clause library's lock (lock).

Exit codes: 0 success; 1 lint findings (``check --strict``, or errors in the assembled text);
2 bad input (unreadable file, invalid spec, bad arguments). Problems go to stderr as
``path: message`` lines; there is never a traceback for bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from licensebuilder.core import lock as locks
from licensebuilder.core import obligations
from licensebuilder.core import spec as specs
from licensebuilder.core.diff import compare, redline_markdown, redline_page, redline_pdf
from licensebuilder.core.exports import FORMATS, build
from licensebuilder.core.library import CLAUSES_DIR, LibraryError, default_library, load_library
from licensebuilder.core.lint import ERROR, NOTE
from licensebuilder.core.presets import presets
from licensebuilder.core.render.pdf import PAPER_SIZES


class _Exit(Exception):
    def __init__(self, code: int, lines: list[str]):
        self.code, self.lines = code, lines


def _read_spec(name: str) -> dict[str, Any]:
    if name == "-":
        data, label = sys.stdin.buffer.read(), "stdin"
    else:
        path = Path(name)
        try:
            if path.stat().st_size > specs.MAX_SPEC_BYTES:
                raise _Exit(2, [f"{name}: is larger than {specs.MAX_SPEC_BYTES // 1024} KiB"])
            data = path.read_bytes()
        except FileNotFoundError:
            raise _Exit(2, [f"{name}: no such file"]) from None
        except IsADirectoryError:
            raise _Exit(2, [f"{name}: is a directory, not a spec file"]) from None
        except PermissionError:
            raise _Exit(2, [f"{name}: permission denied"]) from None
        label = name
    try:
        return specs.parse(data, filename=label)
    except specs.SpecError as exc:
        raise _Exit(2, [str(p) if p.path != "file" else f"{label}: {p.message}" for p in exc.problems]) from None


class Command(BaseCommand):
    help = "Build, bundle and check licenses from a spec file (JSON or YAML, or a license.json)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))

        b = sub.add_parser("build", help="render one output", called_from_command_line=parser.called_from_command_line)
        b.add_argument("spec", help="spec file, or - for standard input")
        b.add_argument("--format", "-f", choices=FORMATS, default="md")
        b.add_argument("-o", "--output", help="file to write (standard output if omitted; required for pdf)")
        b.add_argument("--paper", choices=sorted(PAPER_SIZES), default="a4")

        u = sub.add_parser(
            "bundle", help="write the release bundle", called_from_command_line=parser.called_from_command_line
        )
        u.add_argument("spec")
        u.add_argument("-o", "--output", required=True, help="directory to write into")
        u.add_argument("--paper", choices=sorted(PAPER_SIZES), default="a4")

        p = sub.add_parser(
            "presets",
            help="list the presets and check that each builds cleanly",
            called_from_command_line=parser.called_from_command_line,
        )
        p.add_argument("--export", metavar="DIR", help="also write each preset's spec as JSON into DIR")

        c = sub.add_parser("check", help="validate and lint", called_from_command_line=parser.called_from_command_line)
        c.add_argument("spec")
        c.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")

        d = sub.add_parser(
            "diff",
            help="compare two specs: the choices that changed and a redline of the text",
            called_from_command_line=parser.called_from_command_line,
        )
        d.add_argument("old", help="the earlier spec or license.json (- for standard input)")
        d.add_argument("new", help="the later spec or license.json")
        d.add_argument("--format", "-f", choices=("md", "html", "pdf"), default="md")
        d.add_argument("--view", choices=("inline", "side_by_side"), default="inline", help="HTML and PDF layout")
        d.add_argument("-o", "--output", help="file to write (standard output if omitted; required for pdf)")
        d.add_argument("--paper", choices=sorted(PAPER_SIZES), default="a4")

        o = sub.add_parser(
            "obligations",
            help="what a licensee may do and owes, for one modification and use, citing the clauses",
            called_from_command_line=parser.called_from_command_line,
        )
        o.add_argument("license", metavar="LICENSE", help="a spec or a license.json (- for standard input)")
        o.add_argument("--modification", metavar="KEY|none", help="the modification made, or none")
        o.add_argument("--result", metavar="foundation|narrow", help="the kind of the result, when known")
        o.add_argument("--use", metavar="private|distribute|service", help="how the model or result is used")
        o.add_argument("--commercial", action="store_true", help="the use is commercial")
        o.add_argument("--format", metavar="json|text", default="text")

        pub = sub.add_parser(
            "publish",
            help="publish a draft's text at a permanent public address",
            called_from_command_line=parser.called_from_command_line,
        )
        pub.add_argument("draft", metavar="DRAFT_ID", help="the number of the draft to publish")

        unp = sub.add_parser(
            "unpublish",
            help="withdraw a published version: its address answers 410 Gone from then on",
            called_from_command_line=parser.called_from_command_line,
        )
        unp.add_argument("slug", metavar="SLUG", help="the license's public name, as in /l/SLUG/VERSION/")
        unp.add_argument("version", metavar="VERSION")
        unp.add_argument("--note", default="", help="a note shown at the withdrawn address")
        k = sub.add_parser(
            "lock",
            help="check or rewrite clauses/library.lock (clause versions and text digests)",
            called_from_command_line=parser.called_from_command_line,
        )
        k.add_argument("--check", action="store_true", help="only report where clauses and lock disagree")
        k.add_argument("--bump", action="store_true", help="raise the version of every clause whose text changed")
        k.add_argument("--clauses", default=str(CLAUSES_DIR), help="the clause library directory")
        sub.add_parser(
            "relint",
            help="check every draft against the clause library in one bulk pass",
            called_from_command_line=parser.called_from_command_line,
        )

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except _Exit as exc:
            for line in exc.lines:
                self.stderr.write(line)
            sys.exit(exc.code)
        except LibraryError as exc:
            self.stderr.write(f"clause library: {exc}")
            sys.exit(1)

    def _relint(self, **_: Any) -> None:
        from licensebuilder.drafts.models import Draft

        self.stdout.write(
            f"{Draft.objects.relint()} draft(s) checked against clause library {default_library().version}"
        )

    def _build(self, spec: str, format: str, output: str | None, paper: str, **_: Any) -> None:
        result = build(_read_spec(spec))
        if format == "pdf" and not output:
            raise _Exit(2, ["-o: a PDF needs an output file (-o LICENSE.pdf)"])
        content = result.output(format, paper=paper)
        if output:
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            _write(Path(output), data)
        else:
            self.stdout.write(str(content), ending="")

    def _diff(self, old: str, new: str, format: str, view: str, output: str | None, paper: str, **_: Any) -> None:
        if format == "pdf" and not output:
            raise _Exit(2, ["-o: a PDF needs an output file (-o redline.pdf)"])
        if old == "-" and new == "-":
            raise _Exit(2, ["new: standard input can be read only once"])
        choices, red = compare(_read_spec(old), _read_spec(new))
        content: str | bytes
        if format == "md":
            content = redline_markdown(red, choices)
        elif format == "html":
            content = redline_page(red, choices, view)
        else:
            content = redline_pdf(red, choices, view, paper)
        if output:
            _write(Path(output), content if isinstance(content, bytes) else content.encode("utf-8"))
        else:
            self.stdout.write(str(content), ending="")

    def _bundle(self, spec: str, output: str, paper: str, **_: Any) -> None:
        result = build(_read_spec(spec))
        directory = Path(output)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _Exit(2, [f"{output}: cannot create directory ({exc.strerror})"]) from None
        files = result.bundle(paper)
        for name, data in files.items():
            _write(directory / name, data)
        self.stdout.write(f"wrote {', '.join(files)} to {directory}")

    def _check(self, spec: str, strict: bool, **_: Any) -> None:
        result = build(_read_spec(spec))
        for finding in result.findings:
            self.stdout.write(str(finding))
        findings = [f for f in result.findings if f.severity != NOTE]  # a note never fails a check
        errors = [f for f in findings if f.severity == ERROR]
        if errors or (strict and findings):
            raise _Exit(1, [f"{spec}: {len(findings)} finding(s)"])
        self.stdout.write(f"{spec}: valid" + (f", {len(findings)} warning(s)" if findings else ", no warnings"))

    def _obligations(
        self, license: str, modification: str | None, result: str | None, use: str | None, **options: Any
    ) -> None:
        fmt = options["format"]
        if fmt not in ("json", "text"):
            raise _Exit(2, [f"--format: {fmt!r} is not one of json, text"])
        if modification is None:
            raise _Exit(2, ["--modification: required: a modification key, or none"])
        try:
            question = obligations.ask(modification, result, use, options["commercial"])
        except obligations.QuestionError as exc:
            raise _Exit(2, [f"--{exc.field}: {exc.message}"]) from None
        answer = obligations.obligations(build(_read_spec(license)).document, question)
        if fmt == "json":
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(obligations.render_text(answer), ending="")

    def _publish(self, draft: str, **_: Any) -> None:
        from licensebuilder.publish import cli

        self.stdout.write(_run(cli.publish, draft))

    def _unpublish(self, slug: str, version: str, note: str, **_: Any) -> None:
        from licensebuilder.publish import cli

        self.stdout.write(_run(cli.unpublish, slug, version, note))

    def _presets(self, export: str | None, **_: Any) -> None:
        problems = []
        for slug, preset in presets().items():
            result = build(preset.spec)
            findings = [f for f in result.findings if f.severity != NOTE]
            problems += [f"{slug}: {finding}" for finding in findings]
            self.stdout.write(f"{slug:28} {preset.title} ({len(findings)} finding(s))")
            if export:
                Path(export).mkdir(parents=True, exist_ok=True)
                _write(Path(export) / f"{slug}.json", specs.canonical_json(preset.spec).encode("utf-8"))
        if problems:
            raise _Exit(1, problems)

    def _lock(self, check: bool, bump: bool, clauses: str, **_: Any) -> None:
        directory = Path(clauses)
        if not (directory / "library.yaml").is_file():
            raise _Exit(2, [f"--clauses: {clauses} has no library.yaml"])
        library = load_library(directory, lock_required=False)
        if bump and not check:
            bumped = [c.key for c in library.lock_state() if locks.bump(c, library.locked)]
            for key in bumped:
                self.stdout.write(f"bumped {key}")
            library = load_library(directory, lock_required=False)
        found = library.lock_problems()
        if check:
            if found:
                raise _Exit(1, found)
            self.stdout.write(f"{locks.LOCK_NAME}: {len(library.clauses)} clauses, library {library.version}")
            return
        stale = [p for p in found if "its text changed" in p or "is lower than" in p]
        if stale:
            raise _Exit(1, stale)
        locks.write(directory, library.lock_state())
        default_library.cache_clear()
        written = load_library(directory)
        self.stdout.write(f"wrote {locks.LOCK_NAME}: {len(written.clauses)} clauses, library {written.version}")


def _run(action: Any, *args: Any) -> str:
    """Run a database action of the publish app; its ValueError is bad input, exit 2."""
    try:
        return action(*args)
    except ValueError as exc:
        raise _Exit(2, [str(exc)]) from None


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise _Exit(2, [f"{path}: cannot write ({exc.strerror})"]) from None
