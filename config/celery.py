"""The Celery application: webhook deliveries, connector jobs and the periodic jobs of beat.

Workers and beat read the same settings as the web process (``CELERY_*`` in
config/settings.py). By default the broker is Kombu's ``filesystem://`` transport
under ``var/celery``, so a single machine needs no broker server;
``CELERY_BROKER_URL`` points it at Redis or RabbitMQ.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
