"""The LA's Exports page (issue 13 item 5): a CSV file of every table of the LA's pages (UTF-8
with a byte order mark, so Excel reads Welsh letters; headings and text in the language the app
is using) and the bilingual LA summary PDF (Welsh first when both languages are chosen).

Files are written off the database writer, on the background pool, each through a read-only
connection of its own (`Session.private_reader`), to a temporary name and then renamed (the
core's `la_views.write_csv` and `reports.la_summary.write_la_summary`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.i18n import N_, _
from selfeval_app.gui.dialogs import dialogs
from selfeval_app.gui.form_widgets import refill_combo
from selfeval_app.gui.language import Retranslatable, plain

CSV_FILTER = N_("CSV files (*.csv)")
PDF_FILTER = N_("PDF files (*.pdf)")
PDF_LANGUAGES = (("both", N_("Welsh and English (Welsh first)")), ("cy", N_("Welsh")), ("en", N_("English")))

#: Suggested file names (kept plain: no spaces or Welsh letters, for any file system).
FILE_NAMES = {
    "schools": "schools",
    "priorities": "priorities",
    "alignment": "alignment",
    "untagged": "priorities-no-national-tag",
    "progress": "progress-by-national-priority",
    "collaboration": "collaboration",
    "no_collaboration": "no-recent-collaboration",
    "indicators": "indicators-combined",
}


class ExportsPage(Retranslatable, QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("laExports")
        self.window_ = window
        self.last_path: Path | None = None
        self.busy = False
        outer = QVBoxLayout(self)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.heading.setFont(font)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        outer.addWidget(self.heading)
        outer.addWidget(self.intro)

        self.csv_box = QGroupBox(self)
        form = QFormLayout(self.csv_box)
        self.csv_note = QLabel(self.csv_box)
        self.csv_note.setWordWrap(True)
        form.addRow(self.csv_note)
        self.table_label = QLabel(self.csv_box)
        self.table_combo = QComboBox(self.csv_box)
        self.table_combo.setObjectName("laExportTable")
        self.table_label.setBuddy(self.table_combo)
        form.addRow(self.table_label, self.table_combo)
        self.csv_button = QPushButton(self.csv_box)
        self.csv_button.setObjectName("laSaveCsv")
        self.csv_button.clicked.connect(self.ask_csv)
        form.addRow(self.csv_button)
        outer.addWidget(self.csv_box)

        self.pdf_box = QGroupBox(self)
        form = QFormLayout(self.pdf_box)
        self.pdf_note = QLabel(self.pdf_box)
        self.pdf_note.setWordWrap(True)
        form.addRow(self.pdf_note)
        self.language_label = QLabel(self.pdf_box)
        self.pdf_language = QComboBox(self.pdf_box)
        self.pdf_language.setObjectName("laPdfLanguage")
        self.language_label.setBuddy(self.pdf_language)
        form.addRow(self.language_label, self.pdf_language)
        self.pdf_button = QPushButton(self.pdf_box)
        self.pdf_button.setObjectName("laMakePdf")
        self.pdf_button.clicked.connect(self.ask_pdf)
        form.addRow(self.pdf_button)
        outer.addWidget(self.pdf_box)

        row = QHBoxLayout()
        self.message = QLabel(self)
        self.message.setObjectName("laExportMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("laOpenExport")
        self.open_button.clicked.connect(self.open_last)
        self.open_button.hide()
        row.addWidget(self.message, 1)
        row.addWidget(self.open_button)
        outer.addLayout(row)
        outer.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        from selfeval_app import la_views

        self.heading.setText(_("Exports"))
        self.intro.setText(_("Take the tables of these pages to a spreadsheet, or make the authority's summary as a PDF. Both hold only what schools chose to share with the authority."))
        self.csv_box.setTitle(_("A table as a CSV file"))
        self.csv_note.setText(_("For Excel or any spreadsheet (UTF-8, so Welsh letters such as ŵ and ŷ come through). The headings and text are in the language the app is using now."))
        self.table_label.setText(_("Table:"))
        self.table_combo.setAccessibleName(plain(_("Table:")))
        refill_combo(self.table_combo, [(name, la_views.table_title(name)) for name in la_views.TABLES])
        self.csv_button.setText(_("Save as CSV…"))
        self.csv_button.setAccessibleName(_("Save the chosen table as a CSV file"))
        self.pdf_box.setTitle(_("The authority's summary as a PDF"))
        self.pdf_note.setText(_("Alignment to the national priorities, progress, collaboration and combined indicators across the authority's schools. No school is ranked."))
        self.language_label.setText(_("Language:"))
        self.pdf_language.setAccessibleName(plain(_("Language:")))
        refill_combo(self.pdf_language, [(code, _(label)) for code, label in PDF_LANGUAGES])
        self.pdf_button.setText(_("Make the PDF…"))
        self.pdf_button.setAccessibleName(_("Make the authority's summary as a PDF"))
        self.open_button.setText(_("Open it"))
        self.open_button.setAccessibleName(_("Open the file just saved"))

    # -- CSV -------------------------------------------------------------------------------------

    def _ask(self, title: str, name: str, name_filter: str, suffix: str) -> Path | None:
        folder = Path.home()
        path = dialogs().save_file(self, title, str(folder / name), _(name_filter))
        if not path:
            return None
        if not path.lower().endswith(suffix):
            path += suffix
        return Path(path)

    def ask_csv(self) -> bool:
        name = self.table_combo.currentData()
        if not name:
            return False
        out = self._ask(_("Save the table as"), FILE_NAMES.get(name, name) + ".csv", CSV_FILTER, ".csv")
        if out is None:
            return False
        self.save_csv(name, out)
        return True

    def save_csv(self, name: str, out: Path) -> None:
        """Write table `name` to `out` off the writer, once the LA's summaries are up to date
        (tests call this directly)."""
        from selfeval_app.gui.la.reading import after_refresh

        self._start(_("Saving the table…"))
        after_refresh(self.window_, lambda: self._save_csv(name, out))

    def _save_csv(self, name: str, out: Path) -> None:
        reader = self.window_.session.private_reader()
        today = self.window_.clock.today()

        def work():
            from selfeval_app import la_views

            try:
                return la_views.write_csv(reader, name, out, today=today)
            finally:
                reader.conn.close()

        def done(rows: int) -> None:
            from selfeval_app.core.i18n import ngettext

            self._done(out, ngettext("Saved %(count)d row to %(path)s.", "Saved %(count)d rows to %(path)s.", rows) % {"count": rows, "path": out})

        self.window_.run_off_writer(work, done, self._failed, status=N_("Saving the table…"), done_status=N_("Saved"))

    # -- PDF -------------------------------------------------------------------------------------

    def ask_pdf(self) -> bool:
        lang = self.pdf_language.currentData() or "both"
        out = self._ask(_("Save the summary as"), f"la-summary-{lang}.pdf", PDF_FILTER, ".pdf")
        if out is None:
            return False
        self.make_pdf(out, lang)
        return True

    def make_pdf(self, out: Path, lang: str) -> None:
        """Make the summary PDF at `out` off the writer, once the summaries are up to date."""
        from selfeval_app.gui.la.reading import after_refresh

        self._start(_("Making the PDF…"))
        after_refresh(self.window_, lambda: self._make_pdf(out, lang))

    def _make_pdf(self, out: Path, lang: str) -> None:
        reader = self.window_.session.private_reader()
        today = self.window_.clock.today()

        def work():
            from selfeval_app.reports.la_summary import write_la_summary

            try:
                return write_la_summary(reader, out, lang=lang, today=today)
            finally:
                reader.conn.close()

        def done(pages: int) -> None:
            from selfeval_app.core.i18n import ngettext

            self._done(out, ngettext("Saved the summary (%(count)d page) to %(path)s.", "Saved the summary (%(count)d pages) to %(path)s.", pages) % {"count": pages, "path": out})

        self.window_.run_off_writer(work, done, self._failed, status=N_("Making the PDF…"), done_status=N_("Saved"))

    # -- outcome -----------------------------------------------------------------------------------

    def _start(self, text: str) -> None:
        self.busy = True
        self.csv_button.setEnabled(False)
        self.pdf_button.setEnabled(False)
        self.open_button.hide()
        self.message.setText(text)

    def _finish(self) -> None:
        self.busy = False
        self.csv_button.setEnabled(True)
        self.pdf_button.setEnabled(True)

    def _done(self, out: Path, text: str) -> None:
        self._finish()
        self.last_path = out
        self.message.setText(text)
        self.open_button.show()

    def _failed(self, error) -> None:
        self._finish()
        text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
        self.message.setText(text)

    def open_last(self) -> None:
        if self.last_path is not None:
            dialogs().open_document(self, self.last_path)
