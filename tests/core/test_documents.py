"""core.documents: what every PDF the platform renders (tickets, invoices, receipts) shares."""

from __future__ import annotations

import datetime as dt
import io
import warnings

from pypdf import PdfReader

from core.documents import Branding, Document


def test_a_thousand_page_document_numbers_its_pages_without_overflowing_the_count() -> None:
    """A 1,000-attendee order's tickets are one PDF of 1,000 pages: the footer's "page/count" has room for a
    four-digit count (fpdf2 warns, and the count overprints, when the alias is narrower than the count)."""
    document = Document(title="Tickets", branding=Branding(name="Org"), created_at=dt.datetime(2026, 12, 3, tzinfo=dt.UTC))
    for page in range(1, 1000):
        document.heading(f"Ticket {page}")
        document.new_page()
    document.heading("Ticket 1000")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fpdf2's "wider than the reserved alias width" warning fails the test
        content = document.render()
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1000
    assert "1/1000" in reader.pages[0].extract_text()
    assert "1000/1000" in reader.pages[999].extract_text()
