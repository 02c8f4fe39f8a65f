from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.paginated_subscription_list import PaginatedSubscriptionList
from ...models.subscriptions_list_format import SubscriptionsListFormat
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    format_: SubscriptionsListFormat | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
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

    params["cursor"] = cursor

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params["limit"] = limit

    params["offset"] = offset

    params["page"] = page

    params["pageSize"] = page_size

    json_updated_since: str | Unset = UNSET
    if not isinstance(updated_since, Unset):
        json_updated_since = updated_since.isoformat()
    params["updatedSince"] = json_updated_since


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/subscriptions",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorResponse | PaginatedSubscriptionList | None:
    if response.status_code == 200:
        response_200 = PaginatedSubscriptionList.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorResponse | PaginatedSubscriptionList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    format_: SubscriptionsListFormat | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse | PaginatedSubscriptionList]:
    """ List series passes

     Series passes sold as gateway subscriptions (docs/payments.md, "Series passes").

    Scope: `payments:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        cursor (str | Unset):
        format_ (SubscriptionsListFormat | Unset):
        limit (int | Unset):
        offset (int | Unset):
        page (int | Unset):
        page_size (int | Unset):
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
        Response[Any | ErrorResponse | PaginatedSubscriptionList]
     """


    kwargs = _get_kwargs(
        cursor=cursor,
format_=format_,
limit=limit,
offset=offset,
page=page,
page_size=page_size,
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
    cursor: str | Unset = UNSET,
    format_: SubscriptionsListFormat | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | PaginatedSubscriptionList | None:
    """ List series passes

     Series passes sold as gateway subscriptions (docs/payments.md, "Series passes").

    Scope: `payments:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        cursor (str | Unset):
        format_ (SubscriptionsListFormat | Unset):
        limit (int | Unset):
        offset (int | Unset):
        page (int | Unset):
        page_size (int | Unset):
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
        Any | ErrorResponse | PaginatedSubscriptionList
     """


    return sync_detailed(
        client=client,
cursor=cursor,
format_=format_,
limit=limit,
offset=offset,
page=page,
page_size=page_size,
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
    cursor: str | Unset = UNSET,
    format_: SubscriptionsListFormat | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse | PaginatedSubscriptionList]:
    """ List series passes

     Series passes sold as gateway subscriptions (docs/payments.md, "Series passes").

    Scope: `payments:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        cursor (str | Unset):
        format_ (SubscriptionsListFormat | Unset):
        limit (int | Unset):
        offset (int | Unset):
        page (int | Unset):
        page_size (int | Unset):
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
        Response[Any | ErrorResponse | PaginatedSubscriptionList]
     """


    kwargs = _get_kwargs(
        cursor=cursor,
format_=format_,
limit=limit,
offset=offset,
page=page,
page_size=page_size,
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
    cursor: str | Unset = UNSET,
    format_: SubscriptionsListFormat | Unset = UNSET,
    limit: int | Unset = UNSET,
    offset: int | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | PaginatedSubscriptionList | None:
    """ List series passes

     Series passes sold as gateway subscriptions (docs/payments.md, "Series passes").

    Scope: `payments:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        cursor (str | Unset):
        format_ (SubscriptionsListFormat | Unset):
        limit (int | Unset):
        offset (int | Unset):
        page (int | Unset):
        page_size (int | Unset):
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
        Any | ErrorResponse | PaginatedSubscriptionList
     """


    return (await asyncio_detailed(
        client=client,
cursor=cursor,
format_=format_,
limit=limit,
offset=offset,
page=page,
page_size=page_size,
updated_since=updated_since,
if_modified_since=if_modified_since,
if_none_match=if_none_match,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    )).parsed
