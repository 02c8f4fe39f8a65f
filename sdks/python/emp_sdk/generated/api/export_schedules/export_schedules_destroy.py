from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    id: UUID,
    *,
    if_match: str | Unset = UNSET,
    if_unmodified_since: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(if_unmodified_since, Unset):
        headers["If-Unmodified-Since"] = if_unmodified_since

    if not isinstance(x_api_version, Unset):
        headers["X-API-Version"] = x_api_version

    if not isinstance(x_correlation_id, Unset):
        headers["X-Correlation-ID"] = x_correlation_id

    if not isinstance(x_organization_id, Unset):
        headers["X-Organization-ID"] = x_organization_id



    

    

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v1/export-schedules/{id}".format(id=quote(str(id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorResponse | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())



        return response_409

    if response.status_code == 412:
        response_412 = ErrorResponse.from_dict(response.json())



        return response_412

    if response.status_code == 414:
        response_414 = cast(Any, None)
        return response_414

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorResponse]:
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
    if_match: str | Unset = UNSET,
    if_unmodified_since: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse]:
    """ Delete an export schedule

     Scheduled exports: a rule in a time zone, the export, and where its file goes (email, SFTP, https).

    They send data out of the platform, so they need ``integrations.manage`` (owners and admins), and a
    schedule of a type only by those who may also read that type's rows.

    Scope: `connections:write` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        id (UUID):
        if_match (str | Unset):
        if_unmodified_since (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse]
     """


    kwargs = _get_kwargs(
        id=id,
if_match=if_match,
if_unmodified_since=if_unmodified_since,
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
    if_match: str | Unset = UNSET,
    if_unmodified_since: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | None:
    """ Delete an export schedule

     Scheduled exports: a rule in a time zone, the export, and where its file goes (email, SFTP, https).

    They send data out of the platform, so they need ``integrations.manage`` (owners and admins), and a
    schedule of a type only by those who may also read that type's rows.

    Scope: `connections:write` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        id (UUID):
        if_match (str | Unset):
        if_unmodified_since (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse
     """


    return sync_detailed(
        id=id,
client=client,
if_match=if_match,
if_unmodified_since=if_unmodified_since,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    ).parsed

async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    if_match: str | Unset = UNSET,
    if_unmodified_since: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse]:
    """ Delete an export schedule

     Scheduled exports: a rule in a time zone, the export, and where its file goes (email, SFTP, https).

    They send data out of the platform, so they need ``integrations.manage`` (owners and admins), and a
    schedule of a type only by those who may also read that type's rows.

    Scope: `connections:write` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        id (UUID):
        if_match (str | Unset):
        if_unmodified_since (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse]
     """


    kwargs = _get_kwargs(
        id=id,
if_match=if_match,
if_unmodified_since=if_unmodified_since,
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
    if_match: str | Unset = UNSET,
    if_unmodified_since: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | None:
    """ Delete an export schedule

     Scheduled exports: a rule in a time zone, the export, and where its file goes (email, SFTP, https).

    They send data out of the platform, so they need ``integrations.manage`` (owners and admins), and a
    schedule of a type only by those who may also read that type's rows.

    Scope: `connections:write` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        id (UUID):
        if_match (str | Unset):
        if_unmodified_since (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse
     """


    return (await asyncio_detailed(
        id=id,
client=client,
if_match=if_match,
if_unmodified_since=if_unmodified_since,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    )).parsed
