from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_response import ErrorResponse
from ...models.export_schedule import ExportSchedule
from ...models.export_schedules_retrieve_format import ExportSchedulesRetrieveFormat
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    id: UUID,
    *,
    format_: ExportSchedulesRetrieveFormat | Unset = UNSET,
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

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/export-schedules/{id}".format(id=quote(str(id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorResponse | ExportSchedule | None:
    if response.status_code == 200:
        response_200 = ExportSchedule.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorResponse | ExportSchedule]:
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
    format_: ExportSchedulesRetrieveFormat | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse | ExportSchedule]:
    """ Get an export schedule

     Scheduled exports: a rule in a time zone, the export, and where its file goes (email, SFTP, https).

    They send data out of the platform, so they need ``integrations.manage`` (owners and admins), and a
    schedule of a type only by those who may also read that type's rows.

    Scope: `connections:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        id (UUID):
        format_ (ExportSchedulesRetrieveFormat | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | ExportSchedule]
     """


    kwargs = _get_kwargs(
        id=id,
format_=format_,
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
    format_: ExportSchedulesRetrieveFormat | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | ExportSchedule | None:
    """ Get an export schedule

     Scheduled exports: a rule in a time zone, the export, and where its file goes (email, SFTP, https).

    They send data out of the platform, so they need ``integrations.manage`` (owners and admins), and a
    schedule of a type only by those who may also read that type's rows.

    Scope: `connections:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        id (UUID):
        format_ (ExportSchedulesRetrieveFormat | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | ExportSchedule
     """


    return sync_detailed(
        id=id,
client=client,
format_=format_,
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
    format_: ExportSchedulesRetrieveFormat | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse | ExportSchedule]:
    """ Get an export schedule

     Scheduled exports: a rule in a time zone, the export, and where its file goes (email, SFTP, https).

    They send data out of the platform, so they need ``integrations.manage`` (owners and admins), and a
    schedule of a type only by those who may also read that type's rows.

    Scope: `connections:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        id (UUID):
        format_ (ExportSchedulesRetrieveFormat | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | ExportSchedule]
     """


    kwargs = _get_kwargs(
        id=id,
format_=format_,
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
    format_: ExportSchedulesRetrieveFormat | Unset = UNSET,
    if_modified_since: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | ExportSchedule | None:
    """ Get an export schedule

     Scheduled exports: a rule in a time zone, the export, and where its file goes (email, SFTP, https).

    They send data out of the platform, so they need ``integrations.manage`` (owners and admins), and a
    schedule of a type only by those who may also read that type's rows.

    Scope: `connections:read` (OAuth tokens and API keys; a user's token is also limited by the user's
    role).

    Args:
        id (UUID):
        format_ (ExportSchedulesRetrieveFormat | Unset):
        if_modified_since (str | Unset):
        if_none_match (str | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | ExportSchedule
     """


    return (await asyncio_detailed(
        id=id,
client=client,
format_=format_,
if_modified_since=if_modified_since,
if_none_match=if_none_match,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    )).parsed
