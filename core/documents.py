"""PDF documents the platform hands out: invoices, tickets, certificates of attendance (ADR 0023).

One small layout vocabulary on top of fpdf2 (a pure-Python wheel): a branded
header, a title, label/value fields, a table, totals, a QR code, a footer. The
apps describe *what* a document says (``payments.receipts``, the ticket and
certificate builders); this module decides how it looks, so every document of an
organization carries the same branding.

Output is deterministic: the creation date is the document's own date (an
invoice's issue time), never "now", and fpdf2 derives the file identifier from
the content, so the same invoice renders to the same bytes (the API's ETag
holds, and the PDF attached to the receipt email is the one the API answers).

Text uses DejaVu Sans from ``DOCUMENT_FONT_DIR`` (Debian's fonts-dejavu-core)
when it is there, so any name prints as written; without it the PDF core font
Helvetica is used and characters outside Latin-1 are transliterated where
Unicode decomposes them, else replaced by "?".
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

# fontTools reports every table it prunes while fpdf2 subsets the font, at INFO: not worth a log line a document.
logging.getLogger("fontTools").setLevel(logging.WARNING)

PDF_MEDIA_TYPE = "application/pdf"
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
_REGULAR, _BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Branding:
    """How an organization's documents look: its name in the header, colours, an optional logo, a footer line."""

    name: str
    primary: Colour = (31, 41, 55)  # header band, headings
    accent: Colour = (37, 99, 235)  # rules, table header
    footer: str = ""
    logo: bytes | None = None  # PNG or JPEG

    @staticmethod
    def colour(value: str | None, default: Colour) -> Colour:
        """``#RRGGBB`` as a colour; ``default`` for anything else."""
        if value and len(value) == 7 and value.startswith("#"):
            try:
                return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))
            except ValueError:
                return default
        return default


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the page width
    align: str = "LEFT"  # LEFT | RIGHT | CENTER


@dataclass
class _Fonts:
    family: str
    unicode: bool = field(default=False)


def _font_dir() -> Path:
    return Path(getattr(settings, "DOCUMENT_FONT_DIR", DEFAULT_FONT_DIR) or DEFAULT_FONT_DIR)


# Stands for the page count in the footer until the document is complete; as wide as a count of five digits, so
# fpdf2 reserves room for a 1,000-ticket order's count (its default "{nb}" is narrower than "1000").
PAGES_ALIAS = "{pages}"


class _Page(FPDF):
    def __init__(self, branding: Branding, fonts: _Fonts) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.branding = branding
        self.typeface = fonts
        self.set_auto_page_break(auto=True, margin=22)
        self.set_margins(18, 18, 18)

    def header(self) -> None:
        b = self.branding
        self.set_fill_color(*b.primary)
        self.rect(0, 0, self.w, 14, style="F")
        x = self.l_margin
        if b.logo:
            self.image(BytesIO(b.logo), x=x, y=2.5, h=9)
            x += 12
        self.set_xy(x, 3.5)
        self.set_text_color(255, 255, 255)
        self.set_font(self.typeface.family, "B", 12)
        self.cell(0, 7, self.safe(b.name))
        self.set_text_color(0, 0, 0)
        self.set_y(22)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_draw_color(*self.branding.accent)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(self.typeface.family, "", 8)
        self.set_text_color(90, 90, 90)
        text = self.branding.footer or self.branding.name
        self.cell(0, 8, self.safe(text), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 8, f"{self.page_no()}/{PAGES_ALIAS}", align="R")
        self.set_text_color(0, 0, 0)

    def safe(self, text: Any) -> str:
        value = "" if text is None else str(text)
        if self.typeface.unicode:
            return value
        return latin1(value)


def latin1(text: str) -> str:
    """``text`` in the core fonts' Latin-1: accents kept where they exist, decomposed away otherwise, else '?'."""
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


class Document:
    """A PDF being written top to bottom; ``render()`` returns its bytes."""

    def __init__(self, *, title: str, branding: Branding, created_at: dt.datetime, subject: str = "") -> None:
        fonts = self._fonts()
        self._pdf = pdf = _Page(branding, fonts)
        if fonts.unicode:
            folder = _font_dir()
            pdf.add_font(fonts.family, "", str(folder / _REGULAR))
            pdf.add_font(fonts.family, "B", str(folder / _BOLD))
        pdf.set_title(pdf.safe(title))
        pdf.set_author(pdf.safe(branding.name))
        pdf.set_creator("Event Management Platform")
        pdf.set_producer("Event Management Platform")
        if subject:
            pdf.set_subject(pdf.safe(subject))
        pdf.set_creation_date(created_at)
        pdf.alias_nb_pages(PAGES_ALIAS)
        pdf.add_page()
        self.branding = branding

    @staticmethod
    def _fonts() -> _Fonts:
        folder = _font_dir()
        if (folder / _REGULAR).is_file() and (folder / _BOLD).is_file():
            return _Fonts("DejaVu", unicode=True)
        return _Fonts("Helvetica")

    @property
    def width(self) -> float:
        return self._pdf.epw

    @property
    def right(self) -> float:
        """The x of the right margin."""
        return self._pdf.w - self._pdf.r_margin

    @property
    def y(self) -> float:
        return self._pdf.get_y()

    def new_page(self) -> None:
        self._pdf.add_page()

    # -- blocks -------------------------------------------------------------------------
    def title(self, text: str, subtitle: str = "") -> None:
        pdf = self._pdf
        pdf.set_text_color(*self.branding.primary)
        pdf.set_font(pdf.typeface.family, "B", 18)
        pdf.cell(0, 10, pdf.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        if subtitle:
            pdf.set_font(pdf.typeface.family, "", 10)
            pdf.cell(0, 6, pdf.safe(subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.space(3)

    def heading(self, text: str, size: float = 11) -> None:
        pdf = self._pdf
        self.space(2)
        pdf.set_font(pdf.typeface.family, "B", size)
        pdf.set_text_color(*self.branding.primary)
        pdf.cell(0, size * 0.6, pdf.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)

    def paragraph(self, text: str, size: float = 10) -> None:
        pdf = self._pdf
        pdf.set_font(pdf.typeface.family, "", size)
        pdf.multi_cell(0, size * 0.5, pdf.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def fields(self, pairs: Sequence[tuple[str, str]], label_width: float = 40, width: float = 0) -> None:
        """Label/value lines ("Invoice number: INV-2026-000001"), ``width`` wide (0: to the right margin)."""
        pdf = self._pdf
        for label, value in pairs:
            pdf.set_font(pdf.typeface.family, "B", 9)
            pdf.cell(label_width, 5.5, pdf.safe(label))
            pdf.set_font(pdf.typeface.family, "", 9)
            pdf.multi_cell(width - label_width if width else 0, 5.5, pdf.safe(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        pdf = self._pdf
        self.space(2)
        pdf.set_font(pdf.typeface.family, "", 9)
        pdf.set_draw_color(*self.branding.accent)
        with pdf.table(
            col_widths=tuple(c.width for c in columns),
            text_align=tuple(c.align for c in columns),
            headings_style=_heading_style(self.branding.accent, pdf.typeface.family),
            line_height=6,
            first_row_as_headings=True,
        ) as table:
            head = table.row()
            for column in columns:
                head.cell(pdf.safe(column.title))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(pdf.safe(value))

    def totals(self, pairs: Sequence[tuple[str, str]], strong_last: bool = True) -> None:
        """Right-aligned label/amount lines under a table; the last one bold (the amount due or paid)."""
        pdf = self._pdf
        self.space(2)
        for index, (label, value) in enumerate(pairs):
            bold = strong_last and index == len(pairs) - 1
            pdf.set_font(pdf.typeface.family, "B" if bold else "", 10 if bold else 9)
            pdf.set_x(pdf.l_margin + self.width * 0.55)
            pdf.cell(self.width * 0.25, 6, pdf.safe(label), align="L")
            pdf.cell(self.width * 0.20, 6, pdf.safe(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def qr(self, modules: Sequence[Sequence[bool]], size: float = 45, x: float | None = None, y: float | None = None) -> None:
        """A QR code drawn as vector squares (``modules``: the symbol's dark modules, quiet zone included)."""
        pdf = self._pdf
        count = len(modules)
        if not count:
            return
        cell = size / count
        left = pdf.l_margin if x is None else x
        top = pdf.get_y() if y is None else y
        pdf.set_fill_color(0, 0, 0)
        for r, line in enumerate(modules):
            c = 0
            while c < count:  # one rectangle per run of dark modules in a row
                if not line[c]:
                    c += 1
                    continue
                run = c
                while run < count and line[run]:
                    run += 1
                pdf.rect(left + c * cell, top + r * cell, (run - c) * cell, cell, style="F")
                c = run
        if y is None:
            pdf.set_y(top + size + 2)

    def space(self, mm: float) -> None:
        self._pdf.ln(mm)

    def render(self) -> bytes:
        return bytes(self._pdf.output())


def _heading_style(colour: Colour, family: str) -> FontFace:
    return FontFace(family=family, emphasis="BOLD", color=(255, 255, 255), fill_color=colour)
