"""poppler helpers for the report tests (pdftotext, pdffonts): the real tools, never skipped."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_words(pdf: Path) -> tuple[list[Word], list[tuple[float, float]]]:
    """Every word with its box (pdftotext -bbox), and each page's size."""
    import html

    out = pdftotext(pdf, "-bbox")
    words, pages = [], []
    page = -1
    for line in out.splitlines():
        m = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if m:
            page += 1
            pages.append((float(m.group(1)), float(m.group(2))))
            continue
        m = re.search(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*)</word>', line)
        if m:
            words.append(Word(page, html.unescape(m.group(5)), *(float(m.group(i)) for i in range(1, 5))))
    return words, pages


def pdffonts(pdf: Path) -> list[tuple[str, str]]:
    """(font name, emb) of every font in the PDF."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        tokens = line.split()
        if len(tokens) >= 6:
            rows.append((tokens[0], tokens[-5]))
    return rows
