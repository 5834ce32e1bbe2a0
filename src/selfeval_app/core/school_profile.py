"""The school profile record: its checks and its save, the one home for the window (the profile
form and first start), the command line (`selfeval school`) and the example school.

A profile needs a name (Welsh, English or both). An establishment number, when given, is
NNN/NNNN (or seven digits, stored as NNN/NNNN), starts with a Welsh local authority's code, and
matches the local authority chosen, if one is. `save_school` refuses anything else with a
`SchoolProfileError` naming the field, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from selfeval_app.core import framework
from selfeval_app.core.errors import ValidationError
from selfeval_app.core.i18n import N_, _, current_language
from selfeval_app.core.records import Record, RecordStore

ERR_NAME = N_("Give the school's name, in Welsh or English or both.")
ERR_FORMAT = N_("Write the establishment number as three digits, a slash and four digits, e.g. 669/2318.")
ERR_UNKNOWN_LA = N_("This number does not start with the code of a Welsh local authority (660 to 681).")
# Translators: the names go after a colon and "yw", so Welsh needs no mutation of them.
ERR_WRONG_LA = N_("This number belongs to another local authority: %(number_la)s. The local authority chosen above is %(chosen_la)s.")

Problems = dict[str, tuple[str, dict[str, Any]]]


def check_school(values: Mapping[str, Any]) -> Problems:
    """Problems by field: {field: (message id, params)}; empty when the profile can be saved.
    The params of ERR_WRONG_LA are local authority codes; `problem_text` names them."""
    errors: Problems = {}
    name = values.get("name") or {}
    if not (name.get("cy") or "").strip() and not (name.get("en") or "").strip():
        errors["name"] = (ERR_NAME, {})
    number = (values.get("establishment_number") or "").strip()
    if number:
        problem = framework.validate_establishment_number(number, values.get("la_code"))
        if problem == framework.ERROR_FORMAT:
            errors["establishment_number"] = (ERR_FORMAT, {})
        elif problem == framework.ERROR_UNKNOWN_LA:
            errors["establishment_number"] = (ERR_UNKNOWN_LA, {})
        elif problem == framework.ERROR_WRONG_LA:
            canonical = framework.normalise_establishment_number(number) or number
            errors["establishment_number"] = (
                ERR_WRONG_LA,
                {"number_la": int(canonical[:3]), "chosen_la": values.get("la_code")},
            )
    return errors


def problem_text(message_id: str, params: Mapping[str, Any], lang: str | None = None) -> str:
    """A problem of `check_school` as a sentence in the current language (LA codes named)."""
    if not params:
        return _(message_id)
    lang = lang or current_language()
    named = {}
    for key, code in params.items():
        la = framework.local_authority_by_code(code) if code is not None else None
        named[key] = la.name(lang) if la else str(code)
    return _(message_id) % named


class SchoolProfileError(ValidationError):
    """The profile cannot be saved as it is; `message()` says why, in the current language."""

    def __init__(self, field: str, message_id: str, params: Mapping[str, Any]):
        super().__init__(field, message_id)
        self.problem_params = dict(params)

    def message(self) -> str:
        return problem_text(self.message_id, self.problem_params)


def save_school(
    store: RecordStore,
    values: Mapping[str, Any],
    record_id: str | None = None,
    base_rev: int | None = None,
) -> Record:
    """Create the school record (no `record_id`) or change it; the profile as it would be
    afterwards must pass `check_school`. The establishment number is stored as NNN/NNNN."""
    values = dict(values)
    number = values.get("establishment_number")
    if isinstance(number, str) and framework.normalise_establishment_number(number):
        values["establishment_number"] = framework.normalise_establishment_number(number)
    after = dict(store.require("school", record_id)) if record_id is not None else {}
    after.update(values)
    problems = check_school(after)
    if problems:
        field, (message_id, params) = next(iter(problems.items()))
        raise SchoolProfileError(field, message_id, params)
    if record_id is None:
        return store.create("school", values, visibility="la")
    return store.update("school", record_id, values, base_rev=base_rev)
