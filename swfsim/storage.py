"""S3 in the same process as the SWF endpoint, served by moto's S3 backend.

simpleflow keeps its steps in S3 (``<bucket>/<workflow_id>/steps/<step>``) and large payloads
too; ``swfsim serve`` answers those requests with moto, so one ``AWS_ENDPOINT_URL`` serves both
services. :class:`Steps` reads and pre-marks simpleflow steps for tests.
"""

from __future__ import annotations

import json
from typing import Any

from swfsim.transport.http import WSGIApp

S3_ACCOUNT = "123456789012"


def s3_application() -> WSGIApp:
    """moto's S3, and no other service of moto's, as a WSGI application in this process."""
    from moto.moto_server.werkzeug_app import create_backend_app

    app: WSGIApp = create_backend_app("s3")
    return app


def reset_s3() -> None:
    """Forget every bucket and object."""
    from moto.s3.models import s3_backends

    s3_backends.reset()


def reset_s3_account(account: str) -> None:
    """Forget the buckets and objects of ``account``; every other account keeps its own.

    Not moto's ``s3_backends[account].reset()``: moto's S3 reset also closes the buffer of
    every object moto has made, whichever account holds it (``FakeKey.instances_tracked``), so
    the other accounts' objects could no longer be read.
    """
    from moto.s3.models import s3_backends

    backends = s3_backends.get(account)  # dict.get: no backend is made for an unseen account
    if backends is None:
        return
    buckets = [
        bucket
        for backend in backends.values()
        # moto 5.1 added table buckets; 5.0 has none
        for bucket in (*backend.buckets.values(), *getattr(backend, "table_buckets", {}).values())
    ]
    for bucket in buckets:  # bucket names are global (as on AWS): free the account's for reuse
        s3_backends.bucket_accounts.pop(bucket.name, None)
    s3_backends.pop(account, None)  # the account's next request makes a fresh backend
    for bucket in buckets:
        _dispose(bucket)


def _dispose(bucket: Any) -> None:
    """Close the buffers of every version of a bucket's objects and of its unfinished uploads."""
    for _, versions in bucket.keys.lists():
        for version in versions:
            if hasattr(version, "dispose"):  # a delete marker has no buffer
                version.dispose()
    for upload in bucket.multiparts.values():
        upload.dispose()


class Steps:
    """simpleflow's step markers in the in-process S3.

    Args:
        bucket: the step bucket (simpleflow's ``STEP_BUCKET``).
        account_id: the moto account the objects live in.
    """

    def __init__(self, bucket: str, account_id: str = S3_ACCOUNT) -> None:
        self.bucket = bucket
        self.account_id = account_id

    def _backend(self) -> Any:
        from moto.s3.models import s3_backends

        return s3_backends[self.account_id]["global"]

    def done(self, workflow_id: str) -> list[str]:
        """The steps marked done for ``workflow_id``, sorted."""
        prefix = f"{workflow_id}/steps/"
        try:
            bucket = self._backend().get_bucket(self.bucket)
        except Exception:  # moto raises its own MissingBucket: no bucket, no steps
            return []
        return sorted(key[len(prefix) :] for key in bucket.keys if key.startswith(prefix))

    def mark_done(self, workflow_id: str, step: str) -> None:
        """Mark ``step`` done for ``workflow_id``, as simpleflow's MarkStepDoneTask does."""
        backend = self._backend()
        try:
            backend.get_bucket(self.bucket)
        except Exception:
            backend.create_bucket(self.bucket, "us-east-1")
        content = {"run_id": "swfsim", "workflow_id": workflow_id, "version": "swfsim"}
        backend.put_object(self.bucket, f"{workflow_id}/steps/{step}", json.dumps(content).encode())
