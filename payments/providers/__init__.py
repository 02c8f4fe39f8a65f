"""The registry of payment providers: ``get_provider(name)`` (in process: the sandbox) and ``get_gateway(name)``
(real gateways reached through a connector connection; each adapter module registers itself)."""

from __future__ import annotations

from payments.providers.base import GatewayProvider, PaymentProvider
from payments.providers.sandbox import SandboxProvider

_PROVIDERS: dict[str, type[PaymentProvider]] = {"sandbox": SandboxProvider}
_GATEWAYS: dict[str, GatewayProvider] = {}


def get_provider(name: str) -> PaymentProvider:
    try:
        return _PROVIDERS[name]()
    except KeyError:
        raise LookupError(f"unknown payment provider {name!r}") from None


def register_gateway(gateway: GatewayProvider) -> GatewayProvider:
    """Called by a gateway adapter module when it is imported (``PaymentsConfig.ready`` imports them)."""
    _GATEWAYS[gateway.name] = gateway
    return gateway


def get_gateway(name: str) -> GatewayProvider | None:
    return _GATEWAYS.get(name)


def is_gateway(name: str) -> bool:
    return name in _GATEWAYS


def provider_names() -> list[str]:
    return sorted({*_PROVIDERS, *_GATEWAYS})
