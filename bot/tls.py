"""One TLS context per process for every HTTPS client of the Bot API (loading the CA bundle
costs about 50 ms of CPU each time, and each client would load its own)."""

import ssl
from functools import cache
from typing import Any

import httpx


@cache
def tls_context() -> ssl.SSLContext:
    """httpx's own default: certifi's CA bundle, or SSL_CERT_FILE / SSL_CERT_DIR when set."""
    return httpx.create_ssl_context()


def httpx_options() -> dict[str, Any]:
    """The keyword arguments for an httpx client (telegram.request.HTTPXRequest's httpx_kwargs)
    that share the process's TLS context."""
    return {"verify": tls_context()}
