"""First start: choose the language (each option in its own language), then set up the school's
profile, explore the example school, join a school another laptop already holds
(`gui/join_school.py`), or set up a local authority's installation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from selfeval_app.core.i18n import N_, _
from selfeval_app.gui.busy import BusyIndicator
from selfeval_app.gui.language import Retranslatable, controller, plain, qlocale
from selfeval_app.gui.school_profile import SchoolProfileForm

#: Shown on the language page in both languages at once, Welsh first (each in its own language).
LANGUAGE_PROMPT_CY = "Dewiswch iaith yr ap"
LANGUAGE_PROMPT_EN = "Choose the app’s language"


class FirstStartDialog(Retranslatable, QDialog):
    """Pages: language → (set up my school | the example school) → school profile.

    Emits `profileChosen(values)` when the profile form is valid (the host saves it and calls
    `saved()` or `failed(error)`), or `exampleChosen()`.
    """

    profileChosen = Signal(dict)  # noqa: N815
    exampleChosen = Signal()  # noqa: N815
    laChosen = Signal(int)  # noqa: N815 - the LA's code: set this folder up as its installation
    exampleLAChosen = Signal()  # noqa: N815 - open the example local authority instead

    PAGE_LANGUAGE, PAGE_CHOICE, PAGE_PROFILE = range(3)
    PAGE_LA = 3
    PAGE_JOIN = 4

    def __init__(self, ask_language: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.setLocale(qlocale())
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)

        # 1. language
        page = QWidget(self.stack)
        col = QVBoxLayout(page)
        self.prompt_cy = QLabel(LANGUAGE_PROMPT_CY, page)
        self.prompt_cy.setLocale(qlocale("cy"))
        self.prompt_en = QLabel(LANGUAGE_PROMPT_EN, page)
        self.prompt_en.setLocale(qlocale("en"))
        for label in (self.prompt_cy, self.prompt_en):
            font = label.font()
            font.setPointSizeF(font.pointSizeF() * 1.3)
            label.setFont(font)
            col.addWidget(label)
        row = QHBoxLayout()
        self.cymraeg = QPushButton("Cymraeg", page)
        self.cymraeg.setLocale(qlocale("cy"))
        self.cymraeg.setAccessibleName("Cymraeg")
        self.english = QPushButton("English", page)
        self.english.setLocale(qlocale("en"))
        self.english.setAccessibleName("English")
        self.cymraeg.setObjectName("languageCymraeg")
        self.english.setObjectName("languageEnglish")
        self.prompt_en.setObjectName("languagePromptEnglish")
        self.cymraeg.clicked.connect(lambda: self.choose_language("cy"))
        self.english.clicked.connect(lambda: self.choose_language("en"))
        row.addWidget(self.cymraeg)
        row.addWidget(self.english)
        col.addLayout(row)
        col.addStretch(1)
        self.stack.addWidget(page)

        # 2. my school, or the example school
        page = QWidget(self.stack)
        col = QVBoxLayout(page)
        self.welcome = QLabel(page)
        self.welcome.setWordWrap(True)
        col.addWidget(self.welcome)
        self.setup_button = QPushButton(page)
        self.setup_button.clicked.connect(lambda: self.stack.setCurrentIndex(self.PAGE_PROFILE))
        self.example_button = QPushButton(page)
        self.example_button.clicked.connect(self._example)
        self.join_button = QPushButton(page)
        self.join_button.setObjectName("joinMySchool")
        self.join_button.clicked.connect(self.show_join)
        col.addWidget(self.setup_button)
        col.addWidget(self.example_button)
        col.addWidget(self.join_button)
        self.la_button = QPushButton(page)
        self.la_button.setObjectName("firstStartLA")
        self.la_button.clicked.connect(lambda: self.stack.setCurrentIndex(self.PAGE_LA))
        col.addWidget(self.la_button)
        self.busy = BusyIndicator(page)
        col.addWidget(self.busy)
        self.choice_back = QPushButton(page)
        self.choice_back.clicked.connect(lambda: self.stack.setCurrentIndex(self.PAGE_LANGUAGE))
        back_row = QHBoxLayout()
        back_row.addWidget(self.choice_back)
        back_row.addStretch(1)
        col.addStretch(1)
        col.addLayout(back_row)
        self.stack.addWidget(page)

        # 3. the school profile
        page = QWidget(self.stack)
        col = QVBoxLayout(page)
        self.profile_intro = QLabel(page)
        self.profile_intro.setWordWrap(True)
        col.addWidget(self.profile_intro)
        self.form = SchoolProfileForm(page)
        self.form.load(None)
        col.addWidget(self.form)
        self.problem = QLabel(page)
        self.problem.setWordWrap(True)
        self.problem.hide()
        col.addWidget(self.problem)
        row = QHBoxLayout()
        self.profile_back = QPushButton(page)
        self.profile_back.clicked.connect(lambda: self.stack.setCurrentIndex(self.PAGE_CHOICE))
        self.save_button = QPushButton(page)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_profile)
        row.addWidget(self.profile_back)
        row.addStretch(1)
        row.addWidget(self.save_button)
        col.addLayout(row)
        self.stack.addWidget(page)

        # 4. a local authority's installation
        page = QWidget(self.stack)
        col = QVBoxLayout(page)
        self.la_intro = QLabel(page)
        self.la_intro.setWordWrap(True)
        col.addWidget(self.la_intro)
        self.la_label = QLabel(page)
        self.la_combo = QComboBox(page)
        self.la_combo.setObjectName("firstStartLACombo")
        self.la_label.setBuddy(self.la_combo)
        col.addWidget(self.la_label)
        col.addWidget(self.la_combo)
        self.la_problem = QLabel(page)
        self.la_problem.setWordWrap(True)
        self.la_problem.hide()
        col.addWidget(self.la_problem)
        col.addStretch(1)
        row = QHBoxLayout()
        self.la_example_button = QPushButton(page)
        self.la_example_button.setObjectName("firstStartExampleLA")
        self.la_example_button.clicked.connect(self._example_la)
        col.addWidget(self.la_example_button)
        self.la_busy = BusyIndicator(page)
        col.addWidget(self.la_busy)
        self.la_back = QPushButton(page)
        self.la_back.clicked.connect(lambda: self.stack.setCurrentIndex(self.PAGE_CHOICE))
        self.la_save = QPushButton(page)
        self.la_save.setObjectName("firstStartLASave")
        self.la_save.clicked.connect(self.choose_la)
        row.addWidget(self.la_back)
        row.addStretch(1)
        row.addWidget(self.la_save)
        col.addLayout(row)
        self.stack.addWidget(page)

        # 5. this laptop joins a school another laptop already holds
        from selfeval_app.gui.join_school import JoinSchoolPanel

        self.join_panel = JoinSchoolPanel(self.stack)
        self.join_panel.back.connect(lambda: self.stack.setCurrentIndex(self.PAGE_CHOICE))
        self.stack.addWidget(self.join_panel)

        self.stack.setCurrentIndex(self.PAGE_LANGUAGE if ask_language else self.PAGE_CHOICE)
        self.choice_back.setVisible(ask_language)
        self.retranslate()

    def retranslate(self) -> None:
        self.setLocale(qlocale())
        title = _("Welcome to Hunanwerthuso")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.welcome.setText(_("Keep your school's self-evaluation, evidence and development plan here, on this computer. Set up your own school, or look around the example school first."))
        self.setup_button.setText(_("Set up my school"))
        self.setup_button.setAccessibleName(_("Set up my school"))
        self.example_button.setText(_("Explore the example school"))
        self.example_button.setAccessibleName(_("Explore the example school"))
        self.example_button.setToolTip(_("A made-up school with realistic data, kept in a folder of its own."))
        self.join_button.setText(_("This laptop &joins my school (another laptop already has its data)"))
        self.join_button.setAccessibleName(_("This laptop joins my school"))
        self.join_button.setToolTip(_("Pair this laptop with the school's laptop by comparing a fingerprint; it then gets all of the school's records"))
        for button in (self.choice_back, self.profile_back):
            button.setText(_("Back"))
            button.setAccessibleName(_("Back"))
        self.la_button.setText(_("I work for a local authority"))
        self.la_button.setAccessibleName(_("I work for a local authority"))
        self.la_button.setToolTip(_("Set this computer up to receive what your schools choose to share with their local authority."))
        self.la_intro.setText(_("This computer will hold what your authority's schools choose to share with you, read-only. Which local authority do you work for?"))
        self.la_label.setText(_("Local authority:"))
        self.la_combo.setAccessibleName(plain(_("Local authority:")))
        self._fill_las()
        self.la_example_button.setText(_("Explore the example local authority"))
        self.la_example_button.setAccessibleName(_("Explore the example local authority"))
        self.la_example_button.setToolTip(_("A made-up authority with a dozen example schools' shared records, kept in a folder of its own."))
        self.la_back.setText(_("Back"))
        self.la_back.setAccessibleName(_("Back"))
        self.la_save.setText(_("Set up and start"))
        self.la_save.setAccessibleName(_("Set up and start"))
        self.profile_intro.setText(_("Tell us about your school. You can change this later."))
        self.save_button.setText(_("Save and start"))
        self.save_button.setAccessibleName(plain(_("Save and start")))
        self.stack.setAccessibleName(title)

    def _fill_las(self) -> None:
        from selfeval_app.core.framework import local_authorities
        from selfeval_app.core.i18n import current_language
        from selfeval_app.core.sorting import sort_key

        lang = current_language()
        current = self.la_combo.currentData()
        blocked = self.la_combo.blockSignals(True)
        try:
            self.la_combo.clear()
            for la in sorted(local_authorities(), key=lambda la: sort_key(la.name(lang), lang)):
                self.la_combo.addItem(la.name(lang), la.code)
            if current is not None:
                self.la_combo.setCurrentIndex(max(self.la_combo.findData(current), 0))
        finally:
            self.la_combo.blockSignals(blocked)

    def _example_la(self) -> None:
        self.la_save.setEnabled(False)
        self.la_example_button.setEnabled(False)
        self.la_busy.start(N_("Building the example local authority…"))
        self.exampleLAChosen.emit()

    def choose_la(self) -> None:
        code = self.la_combo.currentData()
        if code is None:
            return
        self.la_save.setEnabled(False)
        self.laChosen.emit(int(code))

    def choose_language(self, lang: str) -> None:
        controller().switch(lang)
        self.stack.setCurrentIndex(self.PAGE_CHOICE)

    def show_join(self) -> None:
        self.stack.setCurrentIndex(self.PAGE_JOIN)
        self.join_panel.start()

    def _example(self) -> None:
        self.setup_button.setEnabled(False)
        self.example_button.setEnabled(False)
        self.join_button.setEnabled(False)
        self.busy.start(N_("Building the example school…"))
        self.exampleChosen.emit()

    def save_profile(self) -> bool:
        if not self.form.validate():
            return False
        self.save_button.setEnabled(False)
        self.profileChosen.emit(self.form.values())
        return True

    def failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        self.la_save.setEnabled(True)
        self.la_example_button.setEnabled(True)
        self.la_busy.finish()
        if self.stack.currentIndex() == self.PAGE_LA:
            text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
            self.la_problem.setText(text)
            self.la_problem.setVisible(True)
        self.setup_button.setEnabled(True)
        self.example_button.setEnabled(True)
        self.join_button.setEnabled(True)
        self.busy.finish()
        text = error.message() if hasattr(error, "message") else _("Something went wrong. Nothing was changed.")
        self.problem.setText(text)
        self.problem.setVisible(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
