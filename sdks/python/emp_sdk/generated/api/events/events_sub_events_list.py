from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.paginated_event_list import PaginatedEventList
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime



def _get_kwargs(
    id: UUID,
    *,
    attendance_mode: str | Unset = UNSET,
    category: str | Unset = UNSET,
    city: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    ends_after: datetime.datetime | Unset = UNSET,
    ends_before: datetime.datetime | Unset = UNSET,
    is_series: bool | None | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    parent: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    starts_after: datetime.datetime | Unset = UNSET,
    starts_before: datetime.datetime | Unset = UNSET,
    status: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    top_level: bool | None | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    visibility: str | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_modified_since, Unset):
        headers["If-Modified-Since"] = if_modified_since

    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    if not isinstance(x_api_version, Unset):
        headers["X-API-Version"] = x_api_version

    if not isinstance(x_correlation_id, Unset):
        headers["X-Correlation-ID"] = x_correlation_id

    if not isinstance(x_organization_id, Unset):
        headers["X-Organization-ID"] = x_organization_id



    

    params: dict[str, Any] = {}

    params["attendanceMode"] = attendance_mode

    params["category"] = category

    params["city"] = city

    params["cursor"] = cursor

    json_ends_after: str | Unset = UNSET
    if not isinstance(ends_after, Unset):
        json_ends_after = ends_after.isoformat()
    params["endsAfter"] = json_ends_after

    json_ends_before: str | Unset = UNSET
    if not isinstance(ends_before, Unset):
        json_ends_before = ends_before.isoformat()
    params["endsBefore"] = json_ends_before

    json_is_series: bool | None | Unset
    if isinstance(is_series, Unset):
        json_is_series = UNSET
    else:
        json_is_series = is_series
    params["isSeries"] = json_is_series

    params["limit"] = limit

    params["offset"] = offset

    json_online: bool | None | Unset
    if isinstance(online, Unset):
        json_online = UNSET
    else:
        json_online = online
    params["online"] = json_online

    params["page"] = page

    params["pageSize"] = page_size

    json_parent: str | Unset = UNSET
    if not isinstance(parent, Unset):
        json_parent = str(parent)
    params["parent"] = json_parent

    params["q"] = q

    params["sort"] = sort

    json_starts_after: str | Unset = UNSET
    if not isinstance(starts_after, Unset):
        json_starts_after = starts_after.isoformat()
    params["startsAfter"] = json_starts_after

    json_starts_before: str | Unset = UNSET
    if not isinstance(starts_before, Unset):
        json_starts_before = starts_before.isoformat()
    params["startsBefore"] = json_starts_before

    params["status"] = status

    params["tag"] = tag

    json_top_level: bool | None | Unset
    if isinstance(top_level, Unset):
        json_top_level = UNSET
    else:
        json_top_level = top_level
    params["topLevel"] = json_top_level

    json_updated_since: str | Unset = UNSET
    if not isinstance(updated_since, Unset):
        json_updated_since = updated_since.isoformat()
    params["updatedSince"] = json_updated_since

    params["visibility"] = visibility


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events/{id}/sub-events".format(id=quote(str(id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorResponse | PaginatedEventList | None:
    if response.status_code == 200:
        response_200 = PaginatedEventList.from_dict(response.json())



        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())



        return response_404

    if response.status_code == 414:
        response_414 = cast(Any, None)
        return response_414

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorResponse | PaginatedEventList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    attendance_mode: str | Unset = UNSET,
    category: str | Unset = UNSET,
    city: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    ends_after: datetime.datetime | Unset = UNSET,
    ends_before: datetime.datetime | Unset = UNSET,
    is_series: bool | None | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    parent: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    starts_after: datetime.datetime | Unset = UNSET,
    starts_before: datetime.datetime | Unset = UNSET,
    status: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    top_level: bool | None | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    visibility: str | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse | PaginatedEventList]:
    """ List an event's sub-events

     Scope: `events:read` (OAuth tokens and API keys; a user's token is also limited by the user's role).

    Args:
        id (UUID):
        attendance_mode (str | Unset):
        category (str | Unset):
        city (str | Unset):
        cursor (str | Unset):
        ends_after (datetime.datetime | Unset):
        ends_before (datetime.datetime | Unset):
        is_series (bool | None | Unset):
        limit (int | Unset):
        offset (int | Unset):
        online (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        parent (UUID | Unset):
        q (str | Unset):
        sort (str | Unset):
        starts_after (datetime.datetime | Unset):
        starts_before (datetime.datetime | Unset):
        status (str | Unset):
        tag (str | Unset):
        top_level (bool | None | Unset):
        updated_since (datetime.datetime | Unset):
        visibility (str | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | PaginatedEventList]
     """


    kwargs = _get_kwargs(
        id=id,
attendance_mode=attendance_mode,
category=category,
city=city,
cursor=cursor,
ends_after=ends_after,
ends_before=ends_before,
is_series=is_series,
limit=limit,
offset=offset,
online=online,
page=page,
page_size=page_size,
parent=parent,
q=q,
sort=sort,
starts_after=starts_after,
starts_before=starts_before,
status=status,
tag=tag,
top_level=top_level,
updated_since=updated_since,
visibility=visibility,
if_modified_since=if_modified_since,
if_none_match=if_none_match,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    attendance_mode: str | Unset = UNSET,
    category: str | Unset = UNSET,
    city: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    ends_after: datetime.datetime | Unset = UNSET,
    ends_before: datetime.datetime | Unset = UNSET,
    is_series: bool | None | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    parent: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    starts_after: datetime.datetime | Unset = UNSET,
    starts_before: datetime.datetime | Unset = UNSET,
    status: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    top_level: bool | None | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    visibility: str | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | PaginatedEventList | None:
    """ List an event's sub-events

     Scope: `events:read` (OAuth tokens and API keys; a user's token is also limited by the user's role).

    Args:
        id (UUID):
        attendance_mode (str | Unset):
        category (str | Unset):
        city (str | Unset):
        cursor (str | Unset):
        ends_after (datetime.datetime | Unset):
        ends_before (datetime.datetime | Unset):
        is_series (bool | None | Unset):
        limit (int | Unset):
        offset (int | Unset):
        online (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        parent (UUID | Unset):
        q (str | Unset):
        sort (str | Unset):
        starts_after (datetime.datetime | Unset):
        starts_before (datetime.datetime | Unset):
        status (str | Unset):
        tag (str | Unset):
        top_level (bool | None | Unset):
        updated_since (datetime.datetime | Unset):
        visibility (str | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | PaginatedEventList
     """


    return sync_detailed(
        id=id,
client=client,
attendance_mode=attendance_mode,
category=category,
city=city,
cursor=cursor,
ends_after=ends_after,
ends_before=ends_before,
is_series=is_series,
limit=limit,
offset=offset,
online=online,
page=page,
page_size=page_size,
parent=parent,
q=q,
sort=sort,
starts_after=starts_after,
starts_before=starts_before,
status=status,
tag=tag,
top_level=top_level,
updated_since=updated_since,
visibility=visibility,
if_modified_since=if_modified_since,
if_none_match=if_none_match,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    ).parsed

async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    attendance_mode: str | Unset = UNSET,
    category: str | Unset = UNSET,
    city: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    ends_after: datetime.datetime | Unset = UNSET,
    ends_before: datetime.datetime | Unset = UNSET,
    is_series: bool | None | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    parent: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    starts_after: datetime.datetime | Unset = UNSET,
    starts_before: datetime.datetime | Unset = UNSET,
    status: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    top_level: bool | None | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    visibility: str | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse | PaginatedEventList]:
    """ List an event's sub-events

     Scope: `events:read` (OAuth tokens and API keys; a user's token is also limited by the user's role).

    Args:
        id (UUID):
        attendance_mode (str | Unset):
        category (str | Unset):
        city (str | Unset):
        cursor (str | Unset):
        ends_after (datetime.datetime | Unset):
        ends_before (datetime.datetime | Unset):
        is_series (bool | None | Unset):
        limit (int | Unset):
        offset (int | Unset):
        online (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        parent (UUID | Unset):
        q (str | Unset):
        sort (str | Unset):
        starts_after (datetime.datetime | Unset):
        starts_before (datetime.datetime | Unset):
        status (str | Unset):
        tag (str | Unset):
        top_level (bool | None | Unset):
        updated_since (datetime.datetime | Unset):
        visibility (str | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | PaginatedEventList]
     """


    kwargs = _get_kwargs(
        id=id,
attendance_mode=attendance_mode,
category=category,
city=city,
cursor=cursor,
ends_after=ends_after,
ends_before=ends_before,
is_series=is_series,
limit=limit,
offset=offset,
online=online,
page=page,
page_size=page_size,
parent=parent,
q=q,
sort=sort,
starts_after=starts_after,
starts_before=starts_before,
status=status,
tag=tag,
top_level=top_level,
updated_since=updated_since,
visibility=visibility,
if_modified_since=if_modified_since,
if_none_match=if_none_match,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    attendance_mode: str | Unset = UNSET,
    category: str | Unset = UNSET,
    city: str | Unset = UNSET,
    cursor: str | Unset = UNSET,
    ends_after: datetime.datetime | Unset = UNSET,
    ends_before: datetime.datetime | Unset = UNSET,
    is_series: bool | None | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    parent: UUID | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    starts_after: datetime.datetime | Unset = UNSET,
    starts_before: datetime.datetime | Unset = UNSET,
    status: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    top_level: bool | None | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    visibility: str | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | PaginatedEventList | None:
    """ List an event's sub-events

     Scope: `events:read` (OAuth tokens and API keys; a user's token is also limited by the user's role).

    Args:
        id (UUID):
        attendance_mode (str | Unset):
        category (str | Unset):
        city (str | Unset):
        cursor (str | Unset):
        ends_after (datetime.datetime | Unset):
        ends_before (datetime.datetime | Unset):
        is_series (bool | None | Unset):
        limit (int | Unset):
        offset (int | Unset):
        online (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        parent (UUID | Unset):
        q (str | Unset):
        sort (str | Unset):
        starts_after (datetime.datetime | Unset):
        starts_before (datetime.datetime | Unset):
        status (str | Unset):
        tag (str | Unset):
        top_level (bool | None | Unset):
        updated_since (datetime.datetime | Unset):
        visibility (str | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | PaginatedEventList
     """


    return (await asyncio_detailed(
        id=id,
client=client,
attendance_mode=attendance_mode,
category=category,
city=city,
cursor=cursor,
ends_after=ends_after,
ends_before=ends_before,
is_series=is_series,
limit=limit,
offset=offset,
online=online,
page=page,
page_size=page_size,
parent=parent,
q=q,
sort=sort,
starts_after=starts_after,
starts_before=starts_before,
status=status,
tag=tag,
top_level=top_level,
updated_since=updated_since,
visibility=visibility,
if_modified_since=if_modified_since,
if_none_match=if_none_match,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    )).parsed
