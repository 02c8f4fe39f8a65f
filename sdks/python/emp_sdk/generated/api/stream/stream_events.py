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
    *,
    access_token: str | Unset = UNSET,
    last_event_id_query: UUID | Unset = UNSET,
    organization: UUID | Unset = UNSET,
    last_event_id_header: UUID | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id_header, Unset):
        headers["Last-Event-ID"] = last_event_id_header

    if not isinstance(x_api_version, Unset):
        headers["X-API-Version"] = x_api_version

    if not isinstance(x_correlation_id, Unset):
        headers["X-Correlation-ID"] = x_correlation_id

    if not isinstance(x_organization_id, Unset):
        headers["X-Organization-ID"] = x_organization_id



    

    params: dict[str, Any] = {}

    params["accessToken"] = access_token

    json_last_event_id_query: str | Unset = UNSET
    if not isinstance(last_event_id_query, Unset):
        json_last_event_id_query = str(last_event_id_query)
    params["lastEventId"] = json_last_event_id_query

    json_organization: str | Unset = UNSET
    if not isinstance(organization, Unset):
        json_organization = str(organization)
    params["organization"] = json_organization


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/stream",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorResponse | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorResponse | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    access_token: str | Unset = UNSET,
    last_event_id_query: UUID | Unset = UNSET,
    organization: UUID | Unset = UNSET,
    last_event_id_header: UUID | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse | str]:
    """ Stream the organization's events (Server-Sent Events)

     Sends the organization's events as they are committed, as `text/event-stream`: each message's
    `event` is the type, `data` the JSON event `{id, event, timestamp, data}` (the webhook envelope's
    fields, `data` as the API renders the resource) and `id` the event's id. Each type is sent only to
    credentials holding its read scope: `event.created`, `event.updated`, `event.published`,
    `event.cancelled`, `session.created`, `session.updated`, `session.cancelled`,
    `registration.created`, `registration.confirmed`, `registration.cancelled`, `checkin.completed`,
    `payment.completed`, `payment.failed`, `payment.refunded`, `webhook.delivery.updated` (see the
    guide's Real-time section for the table). The first message is `stream.ready` naming the types this
    credential reads; `stream.reset` says events were missed and cannot be replayed; `stream.closed`
    ends the stream with an error body (credentials expired or revoked). Resume with `Last-Event-ID`
    (EventSource sends it). The same stream is offered as a WebSocket on this path (subprotocol
    `emp.stream.v1`).

    Any valid credentials; no scope needed.

    Args:
        access_token (str | Unset):
        last_event_id_query (UUID | Unset):
        organization (UUID | Unset):
        last_event_id_header (UUID | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | str]
     """


    kwargs = _get_kwargs(
        access_token=access_token,
last_event_id_query=last_event_id_query,
organization=organization,
last_event_id_header=last_event_id_header,
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
    access_token: str | Unset = UNSET,
    last_event_id_query: UUID | Unset = UNSET,
    organization: UUID | Unset = UNSET,
    last_event_id_header: UUID | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | str | None:
    """ Stream the organization's events (Server-Sent Events)

     Sends the organization's events as they are committed, as `text/event-stream`: each message's
    `event` is the type, `data` the JSON event `{id, event, timestamp, data}` (the webhook envelope's
    fields, `data` as the API renders the resource) and `id` the event's id. Each type is sent only to
    credentials holding its read scope: `event.created`, `event.updated`, `event.published`,
    `event.cancelled`, `session.created`, `session.updated`, `session.cancelled`,
    `registration.created`, `registration.confirmed`, `registration.cancelled`, `checkin.completed`,
    `payment.completed`, `payment.failed`, `payment.refunded`, `webhook.delivery.updated` (see the
    guide's Real-time section for the table). The first message is `stream.ready` naming the types this
    credential reads; `stream.reset` says events were missed and cannot be replayed; `stream.closed`
    ends the stream with an error body (credentials expired or revoked). Resume with `Last-Event-ID`
    (EventSource sends it). The same stream is offered as a WebSocket on this path (subprotocol
    `emp.stream.v1`).

    Any valid credentials; no scope needed.

    Args:
        access_token (str | Unset):
        last_event_id_query (UUID | Unset):
        organization (UUID | Unset):
        last_event_id_header (UUID | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | str
     """


    return sync_detailed(
        client=client,
access_token=access_token,
last_event_id_query=last_event_id_query,
organization=organization,
last_event_id_header=last_event_id_header,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    access_token: str | Unset = UNSET,
    last_event_id_query: UUID | Unset = UNSET,
    organization: UUID | Unset = UNSET,
    last_event_id_header: UUID | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Response[Any | ErrorResponse | str]:
    """ Stream the organization's events (Server-Sent Events)

     Sends the organization's events as they are committed, as `text/event-stream`: each message's
    `event` is the type, `data` the JSON event `{id, event, timestamp, data}` (the webhook envelope's
    fields, `data` as the API renders the resource) and `id` the event's id. Each type is sent only to
    credentials holding its read scope: `event.created`, `event.updated`, `event.published`,
    `event.cancelled`, `session.created`, `session.updated`, `session.cancelled`,
    `registration.created`, `registration.confirmed`, `registration.cancelled`, `checkin.completed`,
    `payment.completed`, `payment.failed`, `payment.refunded`, `webhook.delivery.updated` (see the
    guide's Real-time section for the table). The first message is `stream.ready` naming the types this
    credential reads; `stream.reset` says events were missed and cannot be replayed; `stream.closed`
    ends the stream with an error body (credentials expired or revoked). Resume with `Last-Event-ID`
    (EventSource sends it). The same stream is offered as a WebSocket on this path (subprotocol
    `emp.stream.v1`).

    Any valid credentials; no scope needed.

    Args:
        access_token (str | Unset):
        last_event_id_query (UUID | Unset):
        organization (UUID | Unset):
        last_event_id_header (UUID | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | str]
     """


    kwargs = _get_kwargs(
        access_token=access_token,
last_event_id_query=last_event_id_query,
organization=organization,
last_event_id_header=last_event_id_header,
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
    access_token: str | Unset = UNSET,
    last_event_id_query: UUID | Unset = UNSET,
    organization: UUID | Unset = UNSET,
    last_event_id_header: UUID | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
    x_correlation_id: str | Unset = UNSET,
    x_organization_id: str | Unset = UNSET,

) -> Any | ErrorResponse | str | None:
    """ Stream the organization's events (Server-Sent Events)

     Sends the organization's events as they are committed, as `text/event-stream`: each message's
    `event` is the type, `data` the JSON event `{id, event, timestamp, data}` (the webhook envelope's
    fields, `data` as the API renders the resource) and `id` the event's id. Each type is sent only to
    credentials holding its read scope: `event.created`, `event.updated`, `event.published`,
    `event.cancelled`, `session.created`, `session.updated`, `session.cancelled`,
    `registration.created`, `registration.confirmed`, `registration.cancelled`, `checkin.completed`,
    `payment.completed`, `payment.failed`, `payment.refunded`, `webhook.delivery.updated` (see the
    guide's Real-time section for the table). The first message is `stream.ready` naming the types this
    credential reads; `stream.reset` says events were missed and cannot be replayed; `stream.closed`
    ends the stream with an error body (credentials expired or revoked). Resume with `Last-Event-ID`
    (EventSource sends it). The same stream is offered as a WebSocket on this path (subprotocol
    `emp.stream.v1`).

    Any valid credentials; no scope needed.

    Args:
        access_token (str | Unset):
        last_event_id_query (UUID | Unset):
        organization (UUID | Unset):
        last_event_id_header (UUID | Unset):
        x_api_version (str | Unset):
        x_correlation_id (str | Unset):
        x_organization_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | str
     """


    return (await asyncio_detailed(
        client=client,
access_token=access_token,
last_event_id_query=last_event_id_query,
organization=organization,
last_event_id_header=last_event_id_header,
x_api_version=x_api_version,
x_correlation_id=x_correlation_id,
x_organization_id=x_organization_id,

    )).parsed
