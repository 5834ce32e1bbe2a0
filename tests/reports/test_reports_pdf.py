"""Both reports from the example school in cy, en and both, checked with poppler (issue 6)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from pdfcheck import pdf_words, pdffonts, pdftotext

from conftest import TODAY

KINDS = ("governors", "sdp_summary")
LANGS = ("cy", "en", "both")
MATRIX = [(k, lang) for k in KINDS for lang in LANGS]


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", unicodedata.normalize("NFC", text)))


def _data_texts(store) -> list[str]:
    """Every Welsh and English text of the records the reports draw on."""
    texts = []
    for type_name in ("school", "plan", "priority", "progress_review", "success_criterion", "action", "indicator"):
        for rec in store.list(type_name):
            for value in rec.values():
                if isinstance(value, dict) and set(value) == {"cy", "en"}:
                    texts += [value["cy"], value["en"]]
    for ev in store.list("evaluation"):
        texts += [ev["narrative"]["cy"], ev["narrative"]["en"]]
        for s in ev["statements"]:
            texts += [s["text"]["cy"], s["text"]["en"]]
    return [t for t in texts if t]


@pytest.mark.parametrize(("kind", "lang"), MATRIX)
def test_welsh_letters_come_out_as_the_same_letters(reports, example_store, kind, lang):
    """Every word of the data with a letter beyond ASCII (ŵ ŷ â ô ’ ...) that the report shows
    is extracted exactly: a word found with its accents folded must be there with its accents."""
    text = pdftotext(reports[(kind, lang, False)])
    pdf = _words(text)
    folded = {_fold(w) for w in pdf}
    data = _data_texts(example_store)
    data_words = set().union(*(_words(t) for t in data))
    checked = set()
    for w in data_words:
        # a word whose folded form is a word of its own ("â" and "a") cannot tell; skip those
        if w.isascii() or len(w) < 2 or _fold(w) in data_words or _fold(w) not in folded:
            continue
        assert w in pdf, f"{w!r} came out differently in the {kind} {lang} report"
        checked.add(w)
    if lang != "en":
        letters = set("".join(checked))
        assert letters & set("ŵŷâêîôû"), letters  # the example's Welsh has them in what both reports show


@pytest.mark.parametrize("kind", KINDS)
def test_every_welsh_letter_comes_out_exactly(example_store, tmp_path, kind):
    """A priority whose title holds every Welsh letter with a diacritic, in capitals too."""
    from pdfcheck import pdftotext as text_of

    from selfeval_app.reports.issue import make_report

    letters = "ŵ ŷ ẁ ẃ ẅ ỳ â ê î ô û ä ë ï ö ü á é í ó ú à è ì ò ù Ŵ Ŷ Ẁ Ẃ Ẅ Ỳ Â Ê Î Ô Û"
    title = f"Llythrennau’r Gymraeg: {letters}"
    plan = example_store.list("plan")[0]
    example_store.create("priority", {"plan_id": plan["id"], "title": {"cy": title, "en": "Welsh letters"},
                                      "start_year": 2026, "end_year": 2026, "position": 0})
    out = tmp_path / "letters.pdf"
    make_report(example_store, kind, out, lang="cy", draft=True, today=TODAY)
    text = text_of(out)
    for letter in letters.split():
        assert letter in text, letter
    if kind == "sdp_summary":  # also whole, in the priority's heading (a table cell's lines interleave)
        assert re.sub(r"\s+", "", letters) in re.sub(r"\s+", "", text)


def test_the_font_draws_every_welsh_letter():
    from reportlab.pdfbase import pdfmetrics

    from selfeval_app.reports import fonts

    fonts.register_fonts()
    for name in (fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC):
        face = pdfmetrics.getFont(name).face
        for ch in "ŵŷẁẃẅỳâêîôûŴŶẀẂẄỲÂÊÎÔÛäëïöüÿáéíóúàèìòù’‘“”–—£€•…":
            assert ord(ch) in face.charToGlyph, f"{name} has no glyph for {ch!r}"


@pytest.mark.parametrize(("kind", "lang"), MATRIX)
def test_every_font_is_embedded(reports, kind, lang):
    for draft in (True, False):
        fonts = pdffonts(reports[(kind, lang, draft)])
        assert fonts, "no fonts listed"
        assert all(emb == "yes" for _name, emb in fonts), fonts
        assert all("NotoSans" in name for name, _ in fonts), fonts


@pytest.mark.parametrize(("kind", "lang"), MATRIX)
def test_no_word_outside_the_frame_and_no_two_words_overlap(reports, kind, lang):
    from selfeval_app.reports.layout import MARGIN_X

    words, pages = pdf_words(reports[(kind, lang, False)])
    assert words
    by_page: dict[int, list] = {}
    for w in words:
        width, height = pages[w.page]
        assert MARGIN_X - 1 <= w.x0 and w.x1 <= width - MARGIN_X + 1, f"{w} is outside the frame"
        assert 0 <= w.y0 and w.y1 <= height, f"{w} is off the page"
        by_page.setdefault(w.page, []).append(w)
    for page_words in by_page.values():
        page_words.sort(key=lambda w: w.y0)
        for i, a in enumerate(page_words):
            for b in page_words[i + 1:]:
                if b.y0 >= a.y1 - 2:  # sorted by top: nothing further down can overlap a
                    break
                # Line boxes of adjacent lines may touch by a point (font ascent + descent is a
                # little more than the leading); text drawn over text overlaps by far more.
                overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
                overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
                assert not (overlap_x > 1 and overlap_y > 2), f"{a} overlaps {b}"


def _positions(text: str, needles: list[str]) -> list[int]:
    """Positions of the needles found one after another in text."""
    flat = re.sub(r"\s+", " ", text)
    pos, out = 0, []
    for n in needles:
        i = flat.find(re.sub(r"\s+", " ", n), pos)
        assert i >= 0, f"{n!r} not found after position {pos}"
        out.append(i)
        pos = i + 1
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_in_both_each_sections_welsh_comes_before_its_english(reports, example_store, kind):
    from selfeval_app.reports import governors, sdp_summary

    module = governors if kind == "governors" else sdp_summary
    sections = governors.SECTIONS if kind == "governors" else sdp_summary.DEFAULT_SECTIONS
    text = re.sub(r"\s+", " ", pdftotext(reports[(kind, "both", False)]))
    needles = []
    for s in sections:
        cy, en = module.section_title(s, "cy"), module.section_title(s, "en")
        assert cy != en, f"section {s} has no Welsh title"
        needles += [cy, en]
    positions = _positions(text, needles)
    assert positions == sorted(positions)
    # The content follows its heading: the Welsh title of the first priority lies in the Welsh
    # block of the priorities section, the English title in the English block.
    first = example_store.list("priority", order_by="position, sort_cy, id")[0]["title"]
    cy_h, en_h = module.section_title("priorities", "cy"), module.section_title("priorities", "en")
    i_cy, i_en = text.find(cy_h), text.find(en_h, text.find(cy_h) + 1)
    assert i_cy < text.find(first["cy"], i_cy) < i_en < text.find(first["en"], i_en)


@pytest.mark.parametrize(("kind", "lang"), MATRIX)
def test_page_furniture_dates_and_metadata_in_the_reports_language(reports, kind, lang):
    path = reports[(kind, lang, False)]
    text = pdftotext(path)
    pages = len(pdf_words(path)[1])
    if lang in ("cy", "both"):
        assert f"Tudalen 1 o {pages}" in text
        assert "23 Tachwedd 2026" in text
    if lang in ("en", "both"):
        assert f"Page 1 of {pages}" in text
        assert "23 November 2026" in text
    if lang == "cy":
        assert "Page 1 of" not in text and "November" not in text
    if lang == "en":
        assert "Tudalen" not in text and "Tachwedd" not in text
    raw = path.read_bytes()
    assert (b"/Lang (en-GB)" if lang == "en" else b"/Lang (cy-GB)") in raw
    import subprocess

    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Title:\s+\S", info, re.M) and re.search(r"^Subject:\s+\S", info, re.M)
    assert "Ysgol Gymraeg Bro’r Wennol" in re.search(r"^Author:(.*)$", info, re.M).group(1)


@pytest.mark.parametrize(("kind", "lang"), MATRIX)
def test_draft_watermark_on_drafts_only(reports, kind, lang):
    draft = pdftotext(reports[(kind, lang, True)])
    issued = pdftotext(reports[(kind, lang, False)])
    want = {"cy": ["DRAFFT"], "en": ["DRAFT"], "both": ["DRAFFT", "DRAFT"]}[lang]
    for word in want:
        assert re.search(rf"\b{word}\b", draft), f"{word} missing from the draft"
        assert not re.search(rf"\b{word}\b", issued), f"{word} on an issued report"


def test_missing_language_is_marked_never_filled(reports):
    """The Welsh priority has no English community-work text: `both` marks it; `en` marks it and
    shows the Welsh as written."""
    both = re.sub(r"\s+", " ", pdftotext(reports[("sdp_summary", "both", False)]))
    en = re.sub(r"\s+", " ", pdftotext(reports[("sdp_summary", "en", False)]))
    assert "[No English text]" in both
    assert "[No English text; in Welsh:] Gwersi Cymraeg i rieni ar nos Fercher" in en
    gov_cy = re.sub(r"\s+", " ", pdftotext(reports[("governors", "cy", False)]))
    assert "[Dim testun Cymraeg" in gov_cy or "Cymraeg" in gov_cy


def test_governors_report_content(reports):
    # the drafts were made before any report was issued in the fixture
    text = re.sub(r"\s+", " ", pdftotext(reports[("governors", "en", True)]))
    # RAG words with the priorities, last term and now, and the trend
    assert "Raise standards of reading in Years 3–6 Green Amber Worse" in text
    assert "Develop numerical reasoning across the curriculum Amber Red Worse" in text
    # overdue actions (the example has three) and the one the head wrote for decision
    assert "Buy numerical reasoning resources" in text
    assert "Second phase of reading training for new teaching assistants" in text
    assert "Draw up attendance support plans for persistently absent learners" in text
    assert "Phone families on the first day of absence" not in text  # done long ago
    assert "Approve the new attendance policy" in text
    # the last issued report is the reference for "what changed"
    assert "The last report to governors (Summer term 2025–26) was issued on 10 July 2026." in text
    cy = re.sub(r"\s+", " ", pdftotext(reports[("governors", "cy", True)]))
    assert "Codi safonau darllen ym Mlynyddoedd 3–6 Gwyrdd Ambr Gwaeth" in cy
    assert "Cymeradwyo’r polisi presenoldeb newydd" in cy


def test_parents_summary_has_no_staff_names_costs_or_evaluation_text(reports, example_store):
    from selfeval_app.core import demo

    staff = {demo.HEAD, demo.DEPUTY, demo.NUMERACY_LEAD, demo.WELFARE_LEAD, demo.WELSH_LEAD, demo.ALNCO}
    staff |= {r["lead"] for t in ("priority", "action") for r in example_store.list(t) if r.get("lead")}
    surnames = {name.split()[-1] for name in staff}
    evaluation = []
    for ev in example_store.list("evaluation"):
        evaluation += [ev["narrative"]["cy"], ev["narrative"]["en"]]
        evaluation += [s["text"][lang] for s in ev["statements"] for lang in ("cy", "en")]
    for lang in LANGS:
        text = re.sub(r"\s+", " ", pdftotext(reports[("sdp_summary", lang, False)]))
        for name in staff:
            assert name not in text
        for surname in surnames:
            assert not re.search(rf"\b{re.escape(surname)}\b", text), surname
        assert "£" not in text and not re.search(r"\d+\.\d\d\b", text), "a cost in the summary"
        for passage in filter(None, evaluation):
            assert passage[:60] not in text, f"evaluation text in the summary: {passage[:60]!r}"


def test_parents_summary_adds_names_costs_and_evaluation_when_asked(example_store, tmp_path):
    from selfeval_app.core import demo
    from selfeval_app.reports.issue import make_report
    from selfeval_app.reports.sdp_summary import SdpSummaryOptions

    out = tmp_path / "full.pdf"
    opts = SdpSummaryOptions(include_leads=True, include_costs=True, include_evaluation=True)
    make_report(example_store, "sdp_summary", out, lang="en", draft=True, today=TODAY, options=opts)
    text = re.sub(r"\s+", " ", pdftotext(out))
    assert demo.DEPUTY in text
    assert "£" in text
    assert "Our self-evaluation" in text


def test_no_table_is_ever_empty(example_store, tmp_path, monkeypatch):
    """The table helper refuses an empty table; a school with hardly any data still gets a report
    (the sections say "none" in words)."""
    from selfeval_app.reports import layout
    from selfeval_app.reports.issue import make_report

    with pytest.raises(ValueError):
        layout.table(["a"], [], [1])
    drawn = []
    real = layout.table

    def spy(header, rows, widths, **kw):
        drawn.append(len(rows))
        return real(header, rows, widths, **kw)

    import selfeval_app.reports.governors as g
    import selfeval_app.reports.sdp_summary as s

    monkeypatch.setattr(g, "table", spy)
    monkeypatch.setattr(s, "table", spy)
    for kind in KINDS:
        make_report(example_store, kind, tmp_path / f"{kind}.pdf", lang="both", draft=True, today=TODAY, notes={})
    assert drawn and all(n > 0 for n in drawn)
