"""Deleting from the plan screens, and undoing it: the confirmation that names the item (and, for a
priority, says its success criteria, actions and progress reviews go with it, and whether a later
year's copy or an issued report points to it), the delete on the worker in one transaction, and
an Undo bar (with Ctrl+Z) that brings back exactly what the last delete removed, until the next
action. It behaves as the evidence log's Undo does."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from selfeval_app.core.i18n import N_, _, ngettext
from selfeval_app.core.plan_edit import DeleteImpact, delete_impact, delete_plan_item, undo_delete
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.form_widgets import NoticeBar
from selfeval_app.gui.language import Retranslatable
from selfeval_app.gui.plan.words import date_text, pick

NAME_LIMIT = 120  # characters of a long action or criterion shown in a question

QUESTION_TITLES = {
    "priority": N_("Delete the priority"),
    "success_criterion": N_("Delete the success criterion"),
    "action": N_("Delete the action"),
    "progress_review": N_("Delete the progress review"),
    "indicator": N_("Delete the indicator"),
}
QUESTIONS = {
    "priority": N_("Delete the priority “%(title)s”?"),
    "success_criterion": N_("Delete the success criterion “%(title)s”?"),
    "action": N_("Delete the action “%(title)s”?"),
    "progress_review": N_("Delete the progress review dated %(title)s?"),
    "indicator": N_("Delete the indicator “%(title)s”?"),
}
DELETED = {
    "priority": N_("Priority deleted: “%(title)s”."),
    "success_criterion": N_("Success criterion deleted: “%(title)s”."),
    "action": N_("Action deleted: “%(title)s”."),
    "progress_review": N_("Progress review dated %(title)s deleted."),
    "indicator": N_("Indicator deleted: “%(title)s”."),
}
PRIORITY_WITH_PARTS_DELETED = N_("Priority deleted, with its success criteria, actions and progress reviews: “%(title)s”.")


def item_name(type_name: str, record: dict) -> str:
    """The words that name a plan record to a person, in the current language."""
    if type_name == "progress_review":
        return date_text(record.get("date"))
    text = pick(record.get("title") if type_name in ("priority", "indicator") else record.get("description"))
    text = " ".join(text.split())
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1].rstrip() + "…"


def confirmation(type_name: str, record: dict, impact: DeleteImpact) -> str:
    """The question asked before a delete, in the current language."""
    parts = [_(QUESTIONS[type_name]) % {"title": item_name(type_name, record)}]
    if type_name == "priority":
        parts.append(
            _("Its success criteria (%(criteria)s), actions (%(actions)s) and progress reviews (%(reviews)s) are deleted with it.")
            % {"criteria": impact.criteria, "actions": impact.actions, "reviews": impact.reviews}
        )
        if impact.copies:
            parts.append(
                ngettext(
                    "It was carried forward into a later year: that copy stays, still linked to this original, and the history of both is kept.",
                    "It was carried forward into later years: those %(count)s copies stay, still linked to this original, and the history of all is kept.",
                    impact.copies,
                )
                % {"count": impact.copies}
            )
    if impact.reports:
        parts.append(_("A report already issued drew on it; issued reports are not changed."))
    parts.append(_("You can undo this straight afterwards."))
    return "\n\n".join(parts)


class DeleteKeyFilter(QObject):
    """The Delete key on a list or table asks to delete its chosen item."""

    def __init__(self, callback: Callable[[QWidget], object], *watched: QWidget):
        super().__init__(watched[0])
        self.callback = callback
        for widget in watched:
            widget.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Delete and not event.modifiers():
            self.callback(watched)
            return True
        return False


class UndoBar(Retranslatable, NoticeBar):
    """"Priority deleted: …  [Undo]" after a delete, and Ctrl+Z on the page, until the next action.

    `delete(type, record)` asks, deletes on the worker and offers the undo; `clear()` is called by
    the page when anything else is done."""

    def __init__(self, page: QWidget, window):
        super().__init__(page)
        self.page = page
        self.window_ = window
        self.removed: list[tuple[str, str]] | None = None
        self.record: tuple[str, str, dict] | None = None
        self.after_undo: Callable[[list[tuple[str, str]]], None] | None = None
        self.button.clicked.connect(self.undo)
        self.shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), page)
        self.shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.shortcut.activated.connect(self.undo)
        self.retranslate()

    # -- deleting ----------------------------------------------------------------------------

    def delete(self, type_name: str, record: dict | None, on_done: Callable[[list], None] | None = None) -> bool:
        """Ask, then delete `record` (a priority with its parts) on the worker. False when the
        person said no (nothing changes)."""
        if record is None:
            return False
        impact = delete_impact(self.window_.session.reader, type_name, record["id"])
        if not dialogs().question(self.page, _(QUESTION_TITLES[type_name]), confirmation(type_name, record, impact)):
            return False
        self.clear()
        has_parts = bool(impact.criteria or impact.actions or impact.reviews)
        record_id = record["id"]

        def job(session):
            return delete_plan_item(session.store, type_name, record_id)

        def done(removed: list[tuple[str, str]]) -> None:
            self.removed = list(removed)
            self.record = (PRIORITY_WITH_PARTS_DELETED if has_parts else DELETED[type_name], type_name, record)
            self._show()
            if on_done is not None:
                on_done(self.removed)

        changed = {type_name} | ({"success_criterion", "action", "progress_review"} if type_name == "priority" else set())
        self.window_.run_job(job, done, self._failed_delete, changed=changed, status=N_("Deleting…"), done_status=N_("Deleted"))
        return True

    def _failed_delete(self, error) -> None:
        text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
        dialogs().warning(self.page, _("Not deleted"), text)

    # -- undoing -----------------------------------------------------------------------------

    def clear(self) -> None:
        """A new action: the Undo of the previous delete goes."""
        self.removed = None
        self.record = None
        self._show()

    def undo(self) -> None:
        if not self.removed:
            return
        removed = self.removed
        self.clear()

        def job(session):
            undo_delete(session.store, removed)
            return removed

        def done(result) -> None:
            if self.after_undo is not None:
                self.after_undo(result)

        def failed(error) -> None:
            text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
            dialogs().warning(self.page, _("Not undone"), text)

        changed = {t for t, _id in removed}
        self.window_.run_job(job, done, failed, changed=changed, status=N_("Undoing…"), done_status=N_("Undone"))

    # -- showing -----------------------------------------------------------------------------

    def _show(self) -> None:
        if not self.removed or self.record is None:
            self.hide()
            self.shortcut.setEnabled(False)
            return
        message_id, type_name, record = self.record
        self.label.setText(_(message_id) % {"title": item_name(type_name, record)})
        self.label.setAccessibleName(self.label.text())
        self.show()
        self.shortcut.setEnabled(True)

    def retranslate(self) -> None:
        self.button.setText(_("&Undo"))
        self.button.setAccessibleName(_("Undo the deletion"))
        keys = QKeySequence(QKeySequence.StandardKey.Undo).toString(QKeySequence.SequenceFormat.NativeText)
        self.button.setToolTip(_("Bring back what was deleted (%(keys)s)") % {"keys": keys})
        self._show()
