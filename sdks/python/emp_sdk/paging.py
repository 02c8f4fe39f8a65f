"""Cursor paging over any list operation of the generated SDK.

A list answers ``{"data": [...], "pagination": {"nextCursor": ...}}``; with
``cursor`` (the empty string asks for the first page) the server pages by keyset,
so rows added while a client pages are neither skipped nor repeated.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from emp_sdk.generated.types import Unset


class ListOperation(Protocol):
    """A generated list module, e.g. ``emp_sdk.generated.api.events.events_list``."""

    def sync_detailed(self, *, client: Any, **params: Any) -> Any: ...


class PagingError(RuntimeError):
    """The server answered a page with an error (its ``ErrorResponse`` is ``.error``)."""

    def __init__(self, status: int, error: Any) -> None:
        super().__init__(f"{status}: {error}")
        self.status = status
        self.error = error


def pages(operation: ListOperation, client: Any, *, cursor: str = "", page_size: int = 100, **params: Any) -> Iterator[Any]:
    """Each page (the parsed list answer) from ``cursor`` on, following ``pagination.nextCursor`` to the end.

    The last page's ``pagination`` is kept on the page objects, so a caller that
    stores the cursor of the page it read last can resume from there later.
    """
    while True:
        response = operation.sync_detailed(client=client, cursor=cursor, page_size=page_size, **params)
        if response.status_code != 200:
            raise PagingError(int(response.status_code), response.parsed)
        page = response.parsed
        yield page
        following = page.pagination.next_cursor
        if not following or isinstance(following, Unset):
            return
        cursor = following


def iterate(operation: ListOperation, client: Any, **params: Any) -> Iterator[Any]:
    """Every row of a list, page after page (see :func:`pages` for the parameters)."""
    for page in pages(operation, client, **params):
        yield from page.data
