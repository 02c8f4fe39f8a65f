"""The IPv4 addresses carried by IPv6 addresses (core.net.embedded_ipv4), which the SSRF rules judge."""

from __future__ import annotations

import ipaddress

import pytest

from core.net import embedded_ipv4
from tests.integrations.helpers import EMBEDDED_IPV4


@pytest.mark.parametrize(("address", "form", "ipv4", "reason"), EMBEDDED_IPV4)
def test_every_form_gives_its_embedded_address(address, form, ipv4, reason):
    found = dict(embedded_ipv4(ipaddress.IPv6Address(address)))
    assert found[form] == ipaddress.IPv4Address(ipv4)


def test_teredo_gives_the_server_and_the_inverted_client():
    assert embedded_ipv4(ipaddress.IPv6Address("2001:0:4136:e378:8000:63bf:3fff:fdd2")) == [
        ("Teredo server", ipaddress.IPv4Address("65.54.227.120")),  # RFC 4380 section 4's example
        ("Teredo client", ipaddress.IPv4Address("192.0.2.45")),
    ]


@pytest.mark.parametrize(
    "address",
    ["::", "::1", "2606:4700:4700::1111", "fe80::1", "2a00:1450:4001:81c::200e", "64:ff9a::7f00:1", "2003:7f00:1::1"],
)
def test_other_addresses_carry_none(address):
    assert embedded_ipv4(ipaddress.IPv6Address(address)) == []


def test_a_public_address_is_carried_as_it_is():
    assert embedded_ipv4(ipaddress.IPv6Address("64:ff9b::93.184.216.34")) == [("NAT64", ipaddress.IPv4Address("93.184.216.34"))]
    assert embedded_ipv4(ipaddress.IPv6Address("2002:5db8:d822::1")) == [("6to4", ipaddress.IPv4Address("93.184.216.34"))]
