"""The organizer console's pages, mounted at /console/."""

from django.urls import path

from console.views import attendees, audit, connections, desk, events, home, imports, registrations, reports, settings

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
    path("connections/", connections.connections, name="connections"),
    path("connections/<uuid:connection_id>/", connections.connection_page, name="connection"),
]
