from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Pagination")



@_attrs_define
class Pagination:
    """ Present keys depend on the pagination style (page, limit/offset or cursor); the Link header carries
    first/prev/next/last.

        Attributes:
            limit (int | Unset):
            next_cursor (None | str | Unset):
            offset (int | Unset):
            page (int | Unset):
            page_size (int | Unset):
            previous_cursor (None | str | Unset):
            total_count (int | Unset):
            total_pages (int | Unset):
     """

    limit: int | Unset = UNSET
    next_cursor: None | str | Unset = UNSET
    offset: int | Unset = UNSET
    page: int | Unset = UNSET
    page_size: int | Unset = UNSET
    previous_cursor: None | str | Unset = UNSET
    total_count: int | Unset = UNSET
    total_pages: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        limit = self.limit

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        offset = self.offset

        page = self.page

        page_size = self.page_size

        previous_cursor: None | str | Unset
        if isinstance(self.previous_cursor, Unset):
            previous_cursor = UNSET
        else:
            previous_cursor = self.previous_cursor

        total_count = self.total_count

        total_pages = self.total_pages


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if limit is not UNSET:
            field_dict["limit"] = limit
        if next_cursor is not UNSET:
            field_dict["nextCursor"] = next_cursor
        if offset is not UNSET:
            field_dict["offset"] = offset
        if page is not UNSET:
            field_dict["page"] = page
        if page_size is not UNSET:
            field_dict["pageSize"] = page_size
        if previous_cursor is not UNSET:
            field_dict["previousCursor"] = previous_cursor
        if total_count is not UNSET:
            field_dict["totalCount"] = total_count
        if total_pages is not UNSET:
            field_dict["totalPages"] = total_pages

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        limit = d.pop("limit", UNSET)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("nextCursor", UNSET))


        offset = d.pop("offset", UNSET)

        page = d.pop("page", UNSET)

        page_size = d.pop("pageSize", UNSET)

        def _parse_previous_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        previous_cursor = _parse_previous_cursor(d.pop("previousCursor", UNSET))


        total_count = d.pop("totalCount", UNSET)

        total_pages = d.pop("totalPages", UNSET)

        pagination = cls(
            limit=limit,
            next_cursor=next_cursor,
            offset=offset,
            page=page,
            page_size=page_size,
            previous_cursor=previous_cursor,
            total_count=total_count,
            total_pages=total_pages,
        )


        pagination.additional_properties = d
        return pagination

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
