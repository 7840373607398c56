"""The clause library, the spec schema, the license's stylesheets and the redline templates are
read at run time, so an installed copy of the package must carry them: every such file matches a
package-data pattern in pyproject.toml."""

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _patterns() -> dict[str, list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]


def _ships(package: str, path: Path) -> bool:
    """Whether a package-data pattern of ``package`` matches ``path``."""
    base = ROOT / package.replace(".", "/")
    if not path.is_relative_to(base):
        return False
    relative = str(path.relative_to(base))
    # fnmatch's * crosses "/", so compare path depth too, as setuptools' globs do.
    return any(
        fnmatch.fnmatch(relative, p) and p.count("/") == relative.count("/") for p in _patterns().get(package, [])
    )


def _unshipped(package: str, folder: Path) -> list[str]:
    """The files under ``folder`` that no package-data pattern of ``package`` ships."""
    base = ROOT / package.replace(".", "/")
    return [
        str(path.relative_to(base))
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and not _ships(package, path)
    ]


def test_every_file_of_the_clause_library_is_package_data():
    folder = ROOT / "licensebuilder" / "clauses"
    assert len(list(folder.rglob("*.md"))) > 50
    assert _unshipped("licensebuilder", folder) == []


def test_the_redline_templates_are_package_data():
    assert _unshipped("licensebuilder.core.diff", ROOT / "licensebuilder" / "core" / "diff" / "templates") == []


def test_the_spec_schema_is_package_data_and_read_from_inside_the_package():
    from licensebuilder.core.spec import SCHEMA_PATH, schema

    folder = ROOT / "licensebuilder" / "core" / "schema"
    assert SCHEMA_PATH.resolve().parent == folder and SCHEMA_PATH.is_file()
    assert _unshipped("licensebuilder.core", folder) == []
    assert schema()["properties"]["license"]


def test_the_license_stylesheets_are_package_data_and_served_as_static_files():
    from django.contrib.staticfiles import finders

    from licensebuilder.core.render.html import PRINT_CSS, SCREEN_CSS, STATIC_DIR

    assert STATIC_DIR.is_relative_to(ROOT / "licensebuilder")
    assert SCREEN_CSS.is_file() and PRINT_CSS.is_file()
    assert _unshipped("licensebuilder.core.render", STATIC_DIR) == []
    # The web app serves the very files the exports use, at the addresses pages link.
    assert finders.find("license/license.css") == str(SCREEN_CSS)
    assert finders.find("license/print.css") == str(PRINT_CSS)


def test_every_file_the_package_reads_besides_its_code_is_package_data():
    files = [
        path
        for path in sorted((ROOT / "licensebuilder").rglob("*"))
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    assert [
        str(path.relative_to(ROOT)) for path in files if not any(_ships(package, path) for package in _patterns())
    ] == []


def test_the_library_is_found_inside_the_package():
    from licensebuilder.core.library import CLAUSES_DIR, default_library

    assert CLAUSES_DIR.is_relative_to(ROOT / "licensebuilder")
    assert default_library().clauses
