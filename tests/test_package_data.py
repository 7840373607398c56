"""The clause library and the redline templates are read at run time, so an installed copy of the
package must carry them: every such file matches a package-data pattern in pyproject.toml."""

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _patterns() -> dict[str, list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]


def _unshipped(package: str, folder: Path) -> list[str]:
    base = ROOT / package.replace(".", "/")
    patterns = _patterns().get(package, [])
    # fnmatch's * crosses "/", so compare path depth too, as setuptools' globs do.
    return [
        str(path.relative_to(base))
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and not any(
            fnmatch.fnmatch(str(path.relative_to(base)), p) and p.count("/") == str(path.relative_to(base)).count("/")
            for p in patterns
        )
    ]


def test_every_file_of_the_clause_library_is_package_data():
    folder = ROOT / "licensebuilder" / "clauses"
    assert len(list(folder.rglob("*.md"))) > 50
    assert _unshipped("licensebuilder", folder) == []


def test_the_redline_templates_are_package_data():
    assert _unshipped("licensebuilder.core.diff", ROOT / "licensebuilder" / "core" / "diff" / "templates") == []


def test_the_library_is_found_inside_the_package():
    from licensebuilder.core.library import CLAUSES_DIR, default_library

    assert CLAUSES_DIR.is_relative_to(ROOT / "licensebuilder")
    assert default_library().clauses
