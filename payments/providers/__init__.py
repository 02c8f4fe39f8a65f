"""The registry of payment providers: ``get_provider(name)``."""

from __future__ import annotations

from payments.providers.base import PaymentProvider
from payments.providers.offline import OfflineProvider
from payments.providers.sandbox import SandboxProvider

_PROVIDERS: dict[str, type[PaymentProvider]] = {"sandbox": SandboxProvider, "offline": OfflineProvider}


def get_provider(name: str) -> PaymentProvider:
    try:
        return _PROVIDERS[name]()
    except KeyError:
        raise LookupError(f"unknown payment provider {name!r}") from None


def provider_names() -> list[str]:
    return sorted(_PROVIDERS)
