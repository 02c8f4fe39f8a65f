"""The organizer console's pages, mounted at /console/."""

from django.urls import path

from console.views import (
    attendees,
    audit,
    calendars,
    connections,
    desk,
    email,
    events,
    home,
    imports,
    registrations,
    reports,
    schedules,
    settings,
    sso,
)

app_name = "console"

urlpatterns = [
    path("", home.index, name="index"),
    path("home/", home.home, name="home"),
    path("organizations/switch/", home.switch_organization, name="switch"),
    path("events/", events.events, name="events"),
    path("events/new/", events.event_new, name="event-new"),
    path("events/<uuid:event_id>/", events.event_page, name="event"),
    path("events/<uuid:event_id>/attendees/", attendees.attendees, name="attendees"),
    path("events/<uuid:event_id>/attendees/export/", attendees.export, name="attendees-export"),
    path("events/<uuid:event_id>/imports/", imports.imports, name="imports"),
    path("imports/<uuid:import_id>/", imports.import_page, name="import"),
    path("registrations/<uuid:registration_id>/", registrations.registration_page, name="registration"),
    path("desk/", desk.desk, name="desk"),
    path("desk/<uuid:event_id>/", desk.desk_event, name="desk-event"),
    path("desk/<uuid:event_id>/scan/", desk.desk_scan, name="desk-scan"),
    path("desk/<uuid:event_id>/counts/", desk.desk_counts, name="desk-counts"),
    path("desk/<uuid:event_id>/check-ins/<uuid:checkin_id>/undo/", desk.desk_undo, name="desk-undo"),
    path("reports/", reports.reports, name="reports"),
    path("audit/", audit.audit, name="audit"),
    path("settings/", settings.settings_page, name="settings"),
    path("email/", email.email_templates, name="email-templates"),
    path("email/<str:type>/<str:language>/", email.email_template, name="email-template"),
    path("connections/", connections.connections, name="connections"),
    path("calendars/", calendars.calendars, name="calendars"),
    path("calendars/connect/<slug:vendor>/", calendars.calendar_connect, name="calendar-connect"),
    path("calendars/callback/<slug:vendor>/", calendars.calendar_callback, name="calendar-callback"),
    path("connections/<uuid:connection_id>/", connections.connection_page, name="connection"),
    path("sso/", sso.overview, name="sso"),
    path("sso/providers/new/", sso.provider_new, name="sso-provider-new"),
    path("sso/providers/<uuid:provider_id>/", sso.provider_page, name="sso-provider"),
    path("exports/", schedules.schedule_list, name="export-schedules"),
    path("exports/<uuid:schedule_id>/", schedules.schedule_page, name="export-schedule"),
]
