"""The base of every wizard step's form.

A step form reads its initial values from a spec and writes its answers back into a copy of it
(``apply``). Django checks each field; the engine's validator then checks the spec as a whole,
and every problem it reports is shown at the field it belongs to.
"""

from __future__ import annotations

from typing import Any

from django import forms

from licensebuilder.core import spec as specs
from licensebuilder.core import vocabulary
from licensebuilder.core.complete import complete, without_placeholders


class StepForm(forms.Form):
    """A step of the wizard. ``paths`` maps each field to the spec key it answers."""

    do_not_call_in_templates = True  # templates test `step.form`; never instantiate it there
    paths: dict[str, str] = {}
    # Fields that answer no spec path of their own, by the vocabulary entry that words them.
    asks: dict[str, str] = {}
    # Every field is made by ``asked``, ``radio`` or ``checkbox``, which give it its words: the
    # label, help, "why" and each choice's one-line help, all from the vocabulary.

    def __init__(self, *args: Any, spec: dict[str, Any], **kwargs: Any):
        kwargs.setdefault("initial", self.initial_from(spec))
        kwargs.setdefault("auto_id", "field-%s")
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.result: dict[str, Any] | None = None
        self.completed: dict[str, Any] | None = None
        # What the preview can show while some answers are refused: the valid ones, with the saved
        # values (or stand-ins for names not given) in place of the refused ones.
        self.valid_part: dict[str, Any] | None = None
        if isinstance(self.fields, _ClassFields):
            return  # only checking (see ``checking``): no field is shown, none is changed
        for name, field in self.fields.items():
            # Read by the field templates (``field.field.path``): Django fields take extra attributes.
            described: Any = field
            described.path = self.paths.get(name, "")
        # What is read with each field (its ``aria-describedby``) is named by the template that
        # shows it (drafts/_field.html, ``described_by``): the definition of its term comes later.

    @classmethod
    def checking(cls, data: Any, spec: dict[str, Any]) -> StepForm:
        """A form that only checks posted answers, as the live preview does on every change: it
        works with the class's fields themselves. A form that is shown works with copies (Django
        copies them for each form), because showing one adds to its fields (the definitions of the
        terms its questions use); checking answers reads them and changes nothing."""
        form = cls.__new__(cls)
        vars(form)["base_fields"] = _ClassFields(cls.base_fields)  # what Django copies: see _ClassFields
        # No label is shown, so none needs its suffix looked up in the active language.
        form.__init__(data, spec=spec, label_suffix="")  # type: ignore[misc]  # on the form made above
        return form

    @classmethod
    def add_fields(cls, fields: dict[str, forms.Field]) -> None:
        """Add fields made from the engine's labels (one per element or modification type), once,
        to the fields every form of this class starts from."""
        cls.base_fields.update(fields)
        cls.declared_fields.update(fields)

    @classmethod
    def initial_from(cls, spec: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for name, path in cls.paths.items():
            try:
                out[name] = specs.get_path(spec, path)
            except (KeyError, TypeError):
                continue
        return out

    def write(self, spec: dict[str, Any], data: dict[str, Any]) -> None:
        """Put the cleaned answers into ``spec`` (a copy the form owns)."""
        for name, path in self.paths.items():
            if name not in data:
                continue  # a field Django already refused keeps its saved value for the whole-spec check
            *parents, last = path.split(".")
            target = spec
            for part in parents:
                target = target.setdefault(part, {})
            value = data.get(name)
            if (
                value in ("", None)
                and not self.fields[name].required
                and not isinstance(self.fields[name], forms.BooleanField)
            ):
                target.pop(last, None)  # an optional text left empty is simply absent
            else:
                target[last] = value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # Check the whole spec even when some fields failed already, so every problem shows at once.
        refused = set(self.errors)
        candidate = _writable(self.spec, self.paths.values())
        self.write(candidate, {k: v for k, v in data.items() if k not in refused})
        try:
            done = complete(candidate)
        except specs.SpecError as exc:
            for problem in exc.problems:
                self._add_problem(problem, refused)
            return data
        self.valid_part = done
        if refused:
            return data
        # What the preview builds, and the licensor's own values (no placeholders), normalised as
        # the engine would: one validation serves both.
        self.completed = done
        self.result = without_placeholders(done, candidate)
        return data

    def _add_problem(self, problem: specs.Problem, refused: set[str]) -> None:
        best = ""
        for name, path in self.paths.items():
            if (
                problem.path == path or problem.path.startswith(path + ".") or problem.path.startswith(path + "[")
            ) and len(path) > len(self.paths.get(best, "")):
                best = name
        if best in refused:
            return  # Django's own message for this field is clearer
        label = self.fields[best].label if best else problem.path
        message = f"{label} {problem.message}." if not best else f"This {problem.message}."
        self.add_error(best or None, message.replace("..", "."))

    def onto(self, spec: dict[str, Any]) -> dict[str, Any] | None:
        """These answers applied to ``spec`` (the spec saved now), or None if they are invalid there."""
        again = type(self)(self.data, spec=spec)
        return again.apply() if again.is_valid() else None

    def apply(self) -> dict[str, Any]:
        """The draft's spec with this step's answers; only valid after ``is_valid()``."""
        assert self.result is not None
        return self.result


class _ClassFields(dict[str, forms.Field]):
    """A form class's fields, for a form that only checks answers (``StepForm.checking``): Django
    copies a form's fields when it makes the form, and a copy of these is these."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _ClassFields:
        return self


def _writable(spec: dict[str, Any], paths: Any) -> dict[str, Any]:
    """A copy of ``spec`` that ``write`` may change at ``paths``: the dicts on the way to each path
    are copies, everything else is shared with ``spec`` and only read. Far cheaper than a deep copy,
    which the live preview would make on every change."""
    out = dict(spec)
    copied = {id(out)}
    for path in paths:
        target = out
        for part in path.split(".")[:-1]:
            child = target.get(part)
            if not isinstance(child, dict):
                break  # ``write`` puts a new dict here (or fails as it would on any copy)
            if id(child) not in copied:
                child = target[part] = dict(child)
                copied.add(id(child))
            target = child
    return out


class _RadioField(forms.ChoiceField):
    """A radio group whose choices are fixed when the class is made: every form copies its fields,
    and copying the choices (as Django does for choices that may change) is most of the cost of
    making a step's form, which the live preview does on every change."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _RadioField:
        # Shallow copies made directly, without copy.copy()'s generic __reduce_ex__ machinery.
        result = _shallow(self)
        memo[id(self)] = result
        result.widget = _shallow(self.widget)
        result.widget.attrs = dict(self.widget.attrs)
        result.error_messages = dict(self.error_messages)
        result.validators = self.validators[:]
        return result


def _shallow(obj: Any) -> Any:
    """What copy.copy() makes of a plain object: a new instance sharing a copy of its attributes."""
    out = object.__new__(type(obj))
    out.__dict__.update(obj.__dict__)
    return out


def _question(path: str) -> vocabulary.Question:
    question = vocabulary.question(path)
    if question is None:
        raise LookupError(f"{path}: no such question in the vocabulary")
    return question


def _worded(field: Any, question: vocabulary.Question) -> Any:
    """``field`` with the question's "why" and its answers' one-line help, which every form made
    from the class copies along with the field."""
    field.why = question.why
    field.choice_help = question.choice_help()
    return field


def asked(path: str, field_class: type[forms.Field] = forms.CharField, **kwargs: Any) -> forms.Field:
    """A field for the question at ``path``, worded by the vocabulary."""
    question = _question(path)
    return _worded(field_class(label=question.form_label, help_text=question.form_help, **kwargs), question)


def radio(path: str) -> forms.ChoiceField:
    """A radio group for the question at ``path``: its answers are the choices."""
    question = _question(path)
    field = _RadioField(
        choices=question.choices(), widget=forms.RadioSelect, label=question.form_label, help_text=question.form_help
    )
    return _worded(field, question)


def checkbox(path: str) -> forms.BooleanField:
    question = _question(path)
    return _worded(
        forms.BooleanField(required=False, label=question.form_label, help_text=question.form_help), question
    )
