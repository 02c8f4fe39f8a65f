"""Attendee lists as files: CSV streamed row by row, XLSX written by openpyxl in write-only mode (constant memory)."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

HEADER = ["Name", "Email", "Ticket type", "Status", "Ticket code", "Registered at", "Checked in at", "Paid", "Time zone"]
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(value: dt.datetime | None, zone: ZoneInfo) -> str:
    return "" if value is None else value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def rows_of(
    registrations: Iterable[Any], *, entered: dict[Any, dt.datetime], paid: set[Any], zone_name: str
) -> Iterator[list[str]]:
    zone = ZoneInfo(zone_name)
    for r in registrations:
        yield [
            r.attendee_name,
            r.attendee_email,
            r.ticket_type.name,
            r.get_status_display(),
            r.ticket_code,
            _local(r.created_at, zone),
            _local(entered.get(r.pk), zone),
            "yes" if r.pk in paid else "no",
            zone_name,
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(cell: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet (CSV injection): quote it as text.
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def csv_response(rows: Iterable[list[str]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # Excel reads UTF-8 only with the byte order mark
        yield writer.writerow(HEADER)
        for row in rows:
            yield writer.writerow([_safe(c) for c in row])

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows: Iterable[list[str]], filename: str) -> FileResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Attendees")
    sheet.append(HEADER)
    for row in rows:
        sheet.append([_safe(c) for c in row])
    spool = tempfile.TemporaryFile()
    book.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)
