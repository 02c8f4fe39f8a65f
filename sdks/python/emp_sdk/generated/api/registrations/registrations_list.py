from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.paginated_registration_list import PaginatedRegistrationList
from ...models.registrations_list_format import RegistrationsListFormat
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime



def _get_kwargs(
    *,
    checked_in: bool | None | Unset = UNSET,
    cursor: str | Unset = UNSET,
    email: str | Unset = UNSET,
    event: UUID | Unset = UNSET,
    format_: RegistrationsListFormat | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    order_id: UUID | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    status: str | Unset = UNSET,
    ticket_type: UUID | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
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

    json_checked_in: bool | None | Unset
    if isinstance(checked_in, Unset):
        json_checked_in = UNSET
    else:
        json_checked_in = checked_in
    params["checkedIn"] = json_checked_in

    params["cursor"] = cursor

    params["email"] = email

    json_event: str | Unset = UNSET
    if not isinstance(event, Unset):
        json_event = str(event)
    params["event"] = json_event

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params["limit"] = limit

    params["offset"] = offset

    json_order_id: str | Unset = UNSET
    if not isinstance(order_id, Unset):
        json_order_id = str(order_id)
    params["orderId"] = json_order_id

    params["page"] = page

    params["pageSize"] = page_size

    params["q"] = q

    params["sort"] = sort

    params["status"] = status

    json_ticket_type: str | Unset = UNSET
    if not isinstance(ticket_type, Unset):
        json_ticket_type = str(ticket_type)
    params["ticketType"] = json_ticket_type

    json_updated_since: str | Unset = UNSET
    if not isinstance(updated_since, Unset):
        json_updated_since = updated_since.isoformat()
    params["updatedSince"] = json_updated_since


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/registrations",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorResponse | PaginatedRegistrationList | None:
    if response.status_code == 200:
        response_200 = PaginatedRegistrationList.from_dict(response.json())



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

    if response.status_code == 406:
        response_406 = ErrorResponse.from_dict(response.json())



        return response_406

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorResponse | PaginatedRegistrationList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    checked_in: bool | None | Unset = UNSET,
    cursor: str | Unset = UNSET,
    email: str | Unset = UNSET,
    event: UUID | Unset = UNSET,
    format_: RegistrationsListFormat | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    order_id: UUID | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    status: str | Unset = UNSET,
    ticket_type: UUID | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse | PaginatedRegistrationList]:
    """ List registrations

     Scope: `registrations:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        checked_in (bool | None | Unset):
        cursor (str | Unset):
        email (str | Unset):
        event (UUID | Unset):
        format_ (RegistrationsListFormat | Unset):
        limit (int | Unset):
        offset (int | Unset):
        order_id (UUID | Unset):
        page (int | Unset):
        page_size (int | Unset):
        q (str | Unset):
        sort (str | Unset):
        status (str | Unset):
        ticket_type (UUID | Unset):
        updated_since (datetime.datetime | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | PaginatedRegistrationList]
     """


    kwargs = _get_kwargs(
        checked_in=checked_in,
cursor=cursor,
email=email,
event=event,
format_=format_,
limit=limit,
offset=offset,
order_id=order_id,
page=page,
page_size=page_size,
q=q,
sort=sort,
status=status,
ticket_type=ticket_type,
updated_since=updated_since,
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
    *,
    client: AuthenticatedClient,
    checked_in: bool | None | Unset = UNSET,
    cursor: str | Unset = UNSET,
    email: str | Unset = UNSET,
    event: UUID | Unset = UNSET,
    format_: RegistrationsListFormat | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    order_id: UUID | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    status: str | Unset = UNSET,
    ticket_type: UUID | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | PaginatedRegistrationList | None:
    """ List registrations

     Scope: `registrations:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        checked_in (bool | None | Unset):
        cursor (str | Unset):
        email (str | Unset):
        event (UUID | Unset):
        format_ (RegistrationsListFormat | Unset):
        limit (int | Unset):
        offset (int | Unset):
        order_id (UUID | Unset):
        page (int | Unset):
        page_size (int | Unset):
        q (str | Unset):
        sort (str | Unset):
        status (str | Unset):
        ticket_type (UUID | Unset):
        updated_since (datetime.datetime | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | PaginatedRegistrationList
     """


    return sync_detailed(
        client=client,
checked_in=checked_in,
cursor=cursor,
email=email,
event=event,
format_=format_,
limit=limit,
offset=offset,
order_id=order_id,
page=page,
page_size=page_size,
q=q,
sort=sort,
status=status,
ticket_type=ticket_type,
updated_since=updated_since,
if_modified_since=if_modified_since,
if_none_match=if_none_match,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    checked_in: bool | None | Unset = UNSET,
    cursor: str | Unset = UNSET,
    email: str | Unset = UNSET,
    event: UUID | Unset = UNSET,
    format_: RegistrationsListFormat | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    order_id: UUID | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    status: str | Unset = UNSET,
    ticket_type: UUID | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse | PaginatedRegistrationList]:
    """ List registrations

     Scope: `registrations:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        checked_in (bool | None | Unset):
        cursor (str | Unset):
        email (str | Unset):
        event (UUID | Unset):
        format_ (RegistrationsListFormat | Unset):
        limit (int | Unset):
        offset (int | Unset):
        order_id (UUID | Unset):
        page (int | Unset):
        page_size (int | Unset):
        q (str | Unset):
        sort (str | Unset):
        status (str | Unset):
        ticket_type (UUID | Unset):
        updated_since (datetime.datetime | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | PaginatedRegistrationList]
     """


    kwargs = _get_kwargs(
        checked_in=checked_in,
cursor=cursor,
email=email,
event=event,
format_=format_,
limit=limit,
offset=offset,
order_id=order_id,
page=page,
page_size=page_size,
q=q,
sort=sort,
status=status,
ticket_type=ticket_type,
updated_since=updated_since,
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
    *,
    client: AuthenticatedClient,
    checked_in: bool | None | Unset = UNSET,
    cursor: str | Unset = UNSET,
    email: str | Unset = UNSET,
    event: UUID | Unset = UNSET,
    format_: RegistrationsListFormat | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    order_id: UUID | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    q: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    status: str | Unset = UNSET,
    ticket_type: UUID | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | PaginatedRegistrationList | None:
    """ List registrations

     Scope: `registrations:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        checked_in (bool | None | Unset):
        cursor (str | Unset):
        email (str | Unset):
        event (UUID | Unset):
        format_ (RegistrationsListFormat | Unset):
        limit (int | Unset):
        offset (int | Unset):
        order_id (UUID | Unset):
        page (int | Unset):
        page_size (int | Unset):
        q (str | Unset):
        sort (str | Unset):
        status (str | Unset):
        ticket_type (UUID | Unset):
        updated_since (datetime.datetime | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | PaginatedRegistrationList
     """


    return (await asyncio_detailed(
        client=client,
checked_in=checked_in,
cursor=cursor,
email=email,
event=event,
format_=format_,
limit=limit,
offset=offset,
order_id=order_id,
page=page,
page_size=page_size,
q=q,
sort=sort,
status=status,
ticket_type=ticket_type,
updated_since=updated_since,
if_modified_since=if_modified_since,
if_none_match=if_none_match,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    )).parsed
