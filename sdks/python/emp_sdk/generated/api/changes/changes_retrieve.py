from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.change_page import ChangePage
from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    resources: str | Unset = UNSET,
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

    params["limit"] = limit

    params["resources"] = resources


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/changes",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ChangePage | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = ChangePage.from_dict(response.json())



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

    if response.status_code == 410:
        response_410 = ErrorResponse.from_dict(response.json())



        return response_410

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ChangePage | ErrorResponse]:
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
    limit: int | Unset = UNSET,
    resources: str | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ChangePage | ErrorResponse]:
    """ List the changes after a cursor (creates, updates, deletes)

     The change feed: creates, updates and deletes in commit order, behind a cursor.

    Any valid credentials; no scope needed.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        resources (str | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ChangePage | ErrorResponse]
     """


    kwargs = _get_kwargs(
        cursor=cursor,
limit=limit,
resources=resources,
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
    limit: int | Unset = UNSET,
    resources: str | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ChangePage | ErrorResponse | None:
    """ List the changes after a cursor (creates, updates, deletes)

     The change feed: creates, updates and deletes in commit order, behind a cursor.

    Any valid credentials; no scope needed.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        resources (str | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ChangePage | ErrorResponse
     """


    return sync_detailed(
        client=client,
cursor=cursor,
limit=limit,
resources=resources,
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
    limit: int | Unset = UNSET,
    resources: str | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ChangePage | ErrorResponse]:
    """ List the changes after a cursor (creates, updates, deletes)

     The change feed: creates, updates and deletes in commit order, behind a cursor.

    Any valid credentials; no scope needed.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        resources (str | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ChangePage | ErrorResponse]
     """


    kwargs = _get_kwargs(
        cursor=cursor,
limit=limit,
resources=resources,
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
    limit: int | Unset = UNSET,
    resources: str | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ChangePage | ErrorResponse | None:
    """ List the changes after a cursor (creates, updates, deletes)

     The change feed: creates, updates and deletes in commit order, behind a cursor.

    Any valid credentials; no scope needed.

    Args:
        cursor (str | Unset):
        limit (int | Unset):
        resources (str | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ChangePage | ErrorResponse
     """


    return (await asyncio_detailed(
        client=client,
cursor=cursor,
limit=limit,
resources=resources,
if_modified_since=if_modified_since,
if_none_match=if_none_match,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    )).parsed
