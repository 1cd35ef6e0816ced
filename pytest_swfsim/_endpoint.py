"""``swfsim serve`` on loopback for one test (the ``swf_endpoint`` fixture)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from swfsim import Simulator
from swfsim.server import Server

SETTLE_SECONDS = 0.5
# The access key and the secret handed to SDKs, which must sign; the endpoint checks no signature.
_KEY = "swfsim"
JsonDict = dict[str, Any]


@dataclass(frozen=True)
class EndpointInfo:
    """A live endpoint: its URL and what to hand a subprocess or a boto3 client."""

    url: str
    region: str
    simulator: Simulator

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point any AWS SDK at the endpoint."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": _KEY,
            "AWS_SECRET_ACCESS_KEY": _KEY,
            "AWS_DEFAULT_REGION": self.region,
        }

    @property
    def client_kwargs(self) -> JsonDict:
        """Keyword arguments for ``boto3.client(service, **client_kwargs)``."""
        return {
            "endpoint_url": self.url,
            "region_name": self.region,
            "aws_access_key_id": _KEY,
            "aws_secret_access_key": _KEY,
        }


@contextmanager
def endpoint_for(sim: Simulator) -> Iterator[EndpointInfo]:
    """``swfsim serve`` on a free loopback port, answering from ``sim``.

    Like ``swfsim serve``, a realtime clock holds still half a second after each answer, so
    that processes between two calls are not jumped over.
    """
    server = Server(lambda: sim, port=0, settle_seconds=SETTLE_SECONDS).start()
    try:
        yield EndpointInfo(server.url, sim.region, sim)
    finally:
        server.stop()
