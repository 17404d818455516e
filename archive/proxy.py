"""Who the client is, behind the TLS proxy.

Behind a proxy every request's ``REMOTE_ADDR`` is the proxy's own address. The proxy
says whom it forwards for in ``X-Forwarded-For``, but any client can send that header
too, so it is believed only when the request comes from a proxy listed in
``TRUSTED_PROXIES``, and only as far as the chain of trusted proxies goes: the address
taken is the rightmost one not itself a trusted proxy (what the last trusted hop saw).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or from a trusted proxy, the address it
    forwards for (used by django-axes to lock on the real client, not the proxy)."""
    remote = request.META.get("REMOTE_ADDR")
    trusted = set(settings.TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    forwarded = request.headers.get("x-forwarded-for", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            return remote  # a malformed chain: trust nothing past the proxy
        if address not in trusted:
            return address
    return remote
