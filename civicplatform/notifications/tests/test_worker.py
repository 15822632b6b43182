"""A real Celery worker, a real Redis broker: a task delivered twice sends one e-mail.

The worker runs in a subprocess with civicplatform.settings.worker_test,
pointed at the database pytest created (so it sees the rows this test
commits) and writing e-mails as files the test counts. In CI (CI=true) a
missing Redis or PostgreSQL fails the test; elsewhere it is skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from civicplatform.celery import app
from civicplatform.notifications import kinds
from civicplatform.notifications.models import Channel, Delivery, DeliveryStatus

from .factories import NotificationFactory

# serialized_rollback: the flush after a transactional test would otherwise also remove the rows data
# migrations created (Wagtail's site and root page) that the tests running after this one rely on.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[3]
DEADLINE_SECONDS = 60
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes", "on"}


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture
def redis_url():
    url = settings.REDIS_URL
    if not url:
        _unavailable("no Redis: REDIS_URL is unset or unreachable")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis at {url} does not answer: {exc}")
    return url


def _database_url() -> str:
    if connection.vendor != "postgresql":
        _unavailable("the worker needs the PostgreSQL test database (an in-memory SQLite cannot be shared)")
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(redis_url, tmp_path):
    """Start `celery worker` on a queue of its own; stop it before the test database is flushed."""
    queue = f"test-worker-{uuid.uuid4().hex}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civicplatform.settings.worker_test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "civicplatform", "worker",
        "--pool=solo", "-Q", queue, "-n", f"{queue}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info",
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        yield {"queue": queue, "mail_dir": mail_dir, "log": log_path, "process": process}
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        redis.Redis.from_url(redis_url).delete(queue, f"_kombu.binding.{queue}")


def _wait_until(predicate, worker) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker["process"].poll() is not None:
            break
        time.sleep(0.25)
    pytest.fail(f"The worker did not finish in {DEADLINE_SECONDS} s. Its log:\n{worker['log'].read_text()}")


def _emails_to(mail_dir: Path, address: str) -> int:
    return sum(f"To: {address}" in path.read_text() for path in mail_dir.iterdir())


# send_task always goes through the broker, which is the point here; Celery warns that eager mode is ignored.
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_delivery_task_sent_twice_through_the_broker_sends_one_email(worker, resident, other_resident):
    twice = Delivery.objects.create(
        notification=NotificationFactory(recipient=resident, kind=kinds.MENTION), channel=Channel.EMAIL
    )
    # Sent last: once it is done, the solo worker has handled both copies before it (one queue, in order).
    sentinel = Delivery.objects.create(
        notification=NotificationFactory(recipient=other_resident, kind=kinds.MENTION), channel=Channel.EMAIL
    )

    for delivery_id in (twice.pk, twice.pk, sentinel.pk):
        app.send_task("notifications.delivery_send", args=[delivery_id], queue=worker["queue"])
    _wait_until(
        lambda: Delivery.objects.filter(pk=sentinel.pk, status=DeliveryStatus.SENT).exists(),
        worker,
    )

    assert _emails_to(worker["mail_dir"], resident.email) == 1
    assert _emails_to(worker["mail_dir"], other_resident.email) == 1
    twice.refresh_from_db()
    assert (twice.status, twice.attempts) == (DeliveryStatus.SENT, 1)
    # The duplicate really reached the worker, and found nothing left to send.
    assert "'nothing to do'" in worker["log"].read_text()
