"""clauses/library.lock: a clause's version means its wording, and the library version follows."""

import re
import shutil

import pytest
from django.core.management import call_command

from licensebuilder.core.assemble import assemble
from licensebuilder.core.library import CLAUSES_DIR, default_library, load_library
from licensebuilder.core.presets import presets


def test_every_clause_s_text_matches_its_locked_version():
    problems = default_library().lock_problems()
    assert not problems, "\n".join(problems)


@pytest.fixture
def library_copy(tmp_path):
    directory = tmp_path / "clauses"
    shutil.copytree(CLAUSES_DIR, directory)
    return directory


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_wording_change_without_a_bump_names_the_clause(library_copy):
    _edit(library_copy / "general" / "severability.md", "remains in force", "stays in force")
    problems = load_library(library_copy).lock_problems()
    assert len(problems) == 1
    assert problems[0].startswith("general.severability (severability.md): its text changed")
    assert "bump it to 2" in problems[0]


def test_a_change_to_a_shared_template_names_every_clause_that_includes_it(library_copy):
    partial = library_copy / "derivatives" / "_policy.j2"
    partial.write_text(partial.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    flagged = {p.split(" ")[0] for p in load_library(library_copy).lock_problems()}
    users = {c.key for c in load_library(library_copy).clauses if "_policy.j2" in c.source}
    assert users and flagged == users


def test_the_library_version_is_derived_from_the_lock(library_copy):
    before = load_library(library_copy).version
    assert re.fullmatch(r"1\.\d+\+[0-9a-f]{8}", before)
    assert "version" not in (library_copy / "library.yaml").read_text(encoding="utf-8").split("sections:")[0].replace(
        "`version`", ""
    ).replace("version, which", "")
    _edit(library_copy / "general" / "severability.md", "remains in force", "stays in force")
    assert load_library(library_copy).version == before, "an unlocked edit does not change the version"
    call_command("license", "lock", "--bump", "--clauses", str(library_copy))
    after = load_library(library_copy)
    assert after.lock_problems() == []
    assert after.version != before
    assert int(after.version.split(".")[1].split("+")[0]) == int(before.split(".")[1].split("+")[0]) + 1
    assert next(c for c in after.clauses if c.id == "general.severability").version == 2


def test_the_lock_command_refuses_to_lock_a_changed_clause_without_a_bump(library_copy, capsys):
    _edit(library_copy / "general" / "severability.md", "remains in force", "stays in force")
    locked = (library_copy / "library.lock").read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("license", "lock", "--clauses", str(library_copy))
    assert exit_.value.code == 1
    assert "general.severability" in capsys.readouterr().err
    assert (library_copy / "library.lock").read_text(encoding="utf-8") == locked


def test_the_check_reports_a_bumped_clause_that_is_not_yet_locked(library_copy, capsys):
    _edit(library_copy / "general" / "severability.md", "version: 1", "version: 2")
    with pytest.raises(SystemExit) as exit_:
        call_command("license", "lock", "--check", "--clauses", str(library_copy))
    assert exit_.value.code == 1
    assert "general.severability (severability.md): version 2 is not yet in library.lock" in capsys.readouterr().err
    call_command("license", "lock", "--clauses", str(library_copy))
    call_command("license", "lock", "--check", "--clauses", str(library_copy))
    assert "library 1." in capsys.readouterr().out


def test_a_missing_lock_is_a_clear_library_error(library_copy):
    (library_copy / "library.lock").unlink()
    with pytest.raises(Exception, match=r"library\.lock.*manage\.py license lock"):
        load_library(library_copy)


def test_documents_record_the_derived_library_version_and_each_clause_s_version():
    library = default_library()
    doc = assemble(presets()["permissive"].spec, library)
    assert doc.library_version == library.version
    versions = library.clause_versions()
    for clause in doc.clauses():
        assert clause.version == versions[f"{clause.id}@{clause.variant}" if clause.variant else clause.id]
