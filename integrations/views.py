"""The webhooks API: subscriptions (CRUD, secrets, test, recover), deliveries (list, detail, replay), the catalog.

Everything needs ``integrations.manage`` except the catalog and the source
addresses, which any member may read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Perm
from api.viewsets import ApiViewSet
from integrations import catalog, exports, schedules, selectors, services
from integrations.calendars import feeds
from integrations.models import ExportJob, ExportSchedule, WebhookDelivery, WebhookSubscription
from integrations.serializers import (
    CalendarFeedCreatedSerializer,
    CalendarFeedInputSerializer,
    CalendarFeedSerializer,
    ExportCreateSerializer,
    ExportJobSerializer,
    ExportRunSerializer,
    ExportScheduleCreatedSerializer,
    ExportScheduleInputSerializer,
    ExportScheduleSerializer,
    WebhookCatalogSerializer,
    WebhookDeliveryDetailSerializer,
    WebhookDeliveryFilterSerializer,
    WebhookDeliverySerializer,
    WebhookRecoverSerializer,
    WebhookSecretSerializer,
    WebhookSourceIpsSerializer,
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionInputSerializer,
    WebhookSubscriptionSerializer,
    WebhookTestSerializer,
)

MANAGE = Perm.INTEGRATIONS_MANAGE


class WebhookSubscriptionViewSet(ApiViewSet):
    serializer_class = WebhookSubscriptionSerializer
    required_permissions = dict.fromkeys(
        ("list", "retrieve", "create", "partial_update", "destroy", "reveal_secret", "rotate_secret", "test", "recover"),
        MANAGE,
    )

    def list(self, request: Request) -> Response:
        return self.page(selectors.subscription_list(organization=self.auth.organization), WebhookSubscriptionSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._subscription(pk), WebhookSubscriptionSerializer)

    @extend_schema(request=WebhookSubscriptionInputSerializer, responses={201: WebhookSubscriptionCreatedSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(WebhookSubscriptionInputSerializer)
        subscription, secret = services.subscription_create(actor=self.auth.actor, organization=self.auth.organization, data=data)
        response = Response(
            WebhookSubscriptionCreatedSerializer(subscription, context={"secret": secret}).data,
            status=201,
            headers={"Location": f"/api/v1/webhooks/{subscription.pk}"},
        )
        return response

    @extend_schema(request=WebhookSubscriptionInputSerializer, responses={200: WebhookSubscriptionSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        subscription = self._subscription(pk)
        data = self.parse(WebhookSubscriptionInputSerializer, partial=True)
        updated = services.subscription_update(
            actor=self.auth.actor,
            subscription=subscription,
            data=data,
            precondition=self.precondition(WebhookSubscriptionSerializer),
        )
        return self.read(updated, WebhookSubscriptionSerializer)

    def destroy(self, request: Request, pk: str) -> Response:
        services.subscription_delete(actor=self.auth.actor, subscription=self._subscription(pk))
        return Response(status=204)

    @extend_schema(request=None, responses={200: WebhookSecretSerializer})
    @action(detail=True, methods=["post"], url_path="reveal-secret")
    def reveal_secret(self, request: Request, pk: str) -> Response:
        subscription = self._subscription(pk)
        secret = services.subscription_reveal_secret(actor=self.auth.actor, subscription=subscription)
        return Response(WebhookSecretSerializer({"secret": secret, **self._expiry(subscription)}).data)

    @extend_schema(request=None, responses={200: WebhookSecretSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        subscription, secret = services.subscription_rotate_secret(actor=self.auth.actor, subscription=self._subscription(pk))
        return Response(WebhookSecretSerializer({"secret": secret, **self._expiry(subscription)}).data)

    @extend_schema(request=WebhookTestSerializer, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str) -> Response:
        data = self.parse(WebhookTestSerializer)
        delivery = services.subscription_test(
            actor=self.auth.actor, subscription=self._subscription(pk), event_type=data["event_type"]
        )
        return self.read(delivery, WebhookDeliverySerializer, status=202)

    @extend_schema(request=WebhookRecoverSerializer, responses={202: None})
    @action(detail=True, methods=["post"])
    def recover(self, request: Request, pk: str) -> Response:
        data = self.parse(WebhookRecoverSerializer)
        services.subscription_recover_request(actor=self.auth.actor, subscription=self._subscription(pk), since=data["since"])
        return Response(status=202)

    def _expiry(self, subscription: WebhookSubscription) -> dict[str, Any]:
        return {"previous_secret_expires_at": subscription.previous_secret_expires_at}

    def _subscription(self, pk: Any) -> WebhookSubscription:
        return self.found(selectors.subscription_get(organization=self.auth.organization, subscription_id=pk))


class WebhookDeliveryViewSet(ApiViewSet):
    serializer_class = WebhookDeliverySerializer
    required_permissions = {"list": MANAGE, "retrieve": MANAGE, "replay": MANAGE}

    @extend_schema(parameters=[WebhookDeliveryFilterSerializer])
    def list(self, request: Request) -> Response:
        filters = self.parse_filter(WebhookDeliveryFilterSerializer)
        return self.page(selectors.delivery_list(organization=self.auth.organization, filters=filters), WebhookDeliverySerializer)

    @extend_schema(responses=WebhookDeliveryDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._delivery(pk), WebhookDeliveryDetailSerializer)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def replay(self, request: Request, pk: str) -> Response:
        delivery = services.delivery_replay(actor=self.auth.actor, delivery=self._delivery(pk))
        return self.read(delivery, WebhookDeliverySerializer, status=202)

    def _delivery(self, pk: Any) -> WebhookDelivery:
        return self.found(selectors.delivery_get(organization=self.auth.organization, delivery_id=pk))


class WebhookCatalogViewSet(ApiViewSet):
    """GET /webhook-event-types (the catalog) and GET /webhook-source-ips; not paginated."""

    serializer_class = WebhookCatalogSerializer

    @extend_schema(responses=WebhookCatalogSerializer)
    def event_types(self, request: Request) -> Response:
        return Response({"data": catalog.entries(), "source_ips": list(settings.WEBHOOK_SOURCE_IPS)})

    @extend_schema(responses=WebhookSourceIpsSerializer)
    def source_ips(self, request: Request) -> Response:
        return Response({"data": list(settings.WEBHOOK_SOURCE_IPS)})


class ExportViewSet(ApiViewSet):
    """Batch exports: ask for one (202 and a job), follow its progress, download its file through a signed link.

    Exports are reports: they need ``payments.view`` (the ``reports:read`` scope), and
    a job of a type is created, and its link shown, only to those who may also read
    that type's rows.
    """

    serializer_class = ExportJobSerializer
    required_permissions = dict.fromkeys(("list", "retrieve", "create"), Perm.PAYMENTS_VIEW)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self.request, "_auth_context", None) is not None:
            context["can_read_type"] = lambda kind: self.auth.can(exports.SOURCES[kind].permission)
        return context

    def list(self, request: Request) -> Response:
        return self.page(selectors.export_list(organization=self.auth.organization), ExportJobSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._job(pk), ExportJobSerializer)

    @extend_schema(request=ExportCreateSerializer, responses={202: ExportJobSerializer})
    def create(self, request: Request) -> Response:
        """Start an export; the answer is 202 with the job, whose `progress` and `downloadUrl` the worker fills in."""
        data = self.parse(ExportCreateSerializer)
        if not self.auth.can(exports.SOURCES[data["type"]].permission):
            self.permission_denied(request, message=f"Your role may not read {data['type']}.")
        job = exports.export_create(
            actor=self.auth.actor,
            organization=self.auth.organization,
            type=data["type"],
            format=data["format"],
            filters=dict(data.get("filters") or {}),
        )
        response = self.read(self._job(job.pk), ExportJobSerializer, status=202)
        response["Location"] = f"/api/v1/exports/{job.pk}"
        return response

    def _job(self, pk: Any) -> ExportJob:
        return self.found(selectors.export_get(organization=self.auth.organization, job_id=pk))


class ExportScheduleViewSet(ApiViewSet):
    """Scheduled exports: a rule in a time zone, the export, and where its file goes (email, SFTP, https).

    They send data out of the platform, so they need ``integrations.manage`` (owners and admins), and a
    schedule of a type only by those who may also read that type's rows.
    """

    serializer_class = ExportScheduleSerializer
    required_permissions = dict.fromkeys(("list", "retrieve", "create", "partial_update", "destroy", "runs", "run"), MANAGE)

    def list(self, request: Request) -> Response:
        return self.page(schedules.schedule_list(organization=self.auth.organization), ExportScheduleSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._schedule(pk), ExportScheduleSerializer)

    @extend_schema(request=ExportScheduleInputSerializer, responses={201: ExportScheduleCreatedSerializer})
    def create(self, request: Request) -> Response:
        """Create a schedule; an https destination's signing secret is in the answer, once."""
        data = self.parse(ExportScheduleInputSerializer)
        schedules.validate(self.auth.organization, {"time_zone": "UTC", **data})  # what is wrong before who may
        data = self._allowed(data)
        schedule, secret = schedules.schedule_create(
            actor=self.auth.actor, organization=self.auth.organization, data=data, owner=self.auth.user
        )
        return Response(
            ExportScheduleCreatedSerializer(schedule, context={"secret": secret}).data,
            status=201,
            headers={"Location": f"/api/v1/export-schedules/{schedule.pk}"},
        )

    @extend_schema(request=ExportScheduleInputSerializer, responses={200: ExportScheduleSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        schedule = self._schedule(pk)
        data = self._allowed(self.parse(ExportScheduleInputSerializer, partial=True))
        updated = schedules.schedule_update(
            actor=self.auth.actor, schedule=schedule, data=data, precondition=self.precondition(ExportScheduleSerializer)
        )
        return self.read(updated, ExportScheduleSerializer)

    def destroy(self, request: Request, pk: str) -> Response:
        schedules.schedule_delete(actor=self.auth.actor, schedule=self._schedule(pk))
        return Response(status=204)

    @extend_schema(responses={200: ExportRunSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def runs(self, request: Request, pk: str) -> Response:
        """Each run of the schedule, newest first: when it was due, its attempts, where the file went or why not."""
        return self.page(schedules.run_list(schedule=self._schedule(pk)), ExportRunSerializer)

    @extend_schema(request=None, responses={202: ExportRunSerializer})
    @action(detail=True, methods=["post"])
    def run(self, request: Request, pk: str) -> Response:
        """Run the schedule's export now (the next scheduled occurrence stays)."""
        run = schedules.schedule_run_now(actor=self.auth.actor, schedule=self._allowed_schedule(pk))
        return self.read(run, ExportRunSerializer, status=202)

    def _allowed(self, data: dict[str, Any]) -> dict[str, Any]:
        if "type" in data and not self.auth.can(exports.SOURCES[data["type"]].permission):
            self.permission_denied(self.request, message=f"Your role may not read {data['type']}.")
        return data

    def _allowed_schedule(self, pk: Any) -> ExportSchedule:
        schedule = self._schedule(pk)
        self._allowed({"type": schedule.type})
        return schedule

    def _schedule(self, pk: Any) -> ExportSchedule:
        return self.found(schedules.schedule_get(organization=self.auth.organization, schedule_id=pk))


def export_download(request: HttpRequest, token: str) -> HttpResponseBase:
    """The file of a finished export, for whoever holds a link that is signed and not too old (404 otherwise)."""
    # "m." marks the longer-lived link a scheduled export emails (integrations.schedules.link_url).
    job = schedules.link_job(token[2:]) if token.startswith("m.") else exports.download_job(token)
    if job is None:
        raise Http404("This download link is not valid or has expired.")
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"{job.type}-{job.pk}.{exports.FORMATS[job.format][1]}",
        content_type=exports.FORMATS[job.format][0],
    )


class CalendarFeedViewSet(ApiViewSet):
    """Personal subscription feeds: a secret ``.ics`` address per attendee (shown once), revocable."""

    serializer_class = CalendarFeedSerializer
    required_permissions = {
        "list": Perm.REGISTRATIONS_VIEW,
        "retrieve": Perm.REGISTRATIONS_VIEW,
        "create": Perm.REGISTRATIONS_MANAGE,
        "revoke": Perm.REGISTRATIONS_MANAGE,
    }

    def list(self, request: Request) -> Response:
        return self.page(feeds.feed_list(organization=self.auth.organization), CalendarFeedSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._feed(pk), CalendarFeedSerializer)

    @extend_schema(request=CalendarFeedInputSerializer, responses={201: CalendarFeedCreatedSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(CalendarFeedInputSerializer)
        issued = feeds.feed_create(
            actor=self.auth.actor, organization=self.auth.organization, attendee_email=data["attendee_email"]
        )
        response = Response(CalendarFeedCreatedSerializer(issued.feed, context={"url": issued.url}).data, status=201)
        response["Location"] = f"/api/v1/calendar-feeds/{issued.feed.pk}"
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=None, responses={200: CalendarFeedSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        return self.read(feeds.feed_revoke(actor=self.auth.actor, feed=self._feed(pk)), CalendarFeedSerializer)

    def _feed(self, pk: Any) -> Any:
        return self.found(feeds.feed_get(organization=self.auth.organization, feed_id=pk))


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """An attendee's subscription feed, for the holder of its secret address (404 once revoked)."""
    feed = feeds.feed_by_token(token)
    if feed is None:
        raise Http404("No such feed.")
    return _calendar_response(feeds.attendee_calendar(feed), "my-events.ics")


def organization_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """An organization's public feed: its published public events."""
    organization = feeds.organization_by_slug(slug)
    if organization is None:
        raise Http404("No such organization.")
    return _calendar_response(feeds.organization_calendar(organization), f"{slug}.ics")
