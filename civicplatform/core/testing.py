"""Helpers shared by the test suites of several apps."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def race(target: Callable[[int], object], count: int) -> list:
    """Run `target(number)` in `count` threads released together, each on its own database
    connection; return what each returned or raised, in thread order. For tests that show a
    database constraint or lock holds when many requests arrive at once."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(number: int) -> None:
        try:
            barrier.wait()
            outcomes[number] = target(number)
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            outcomes[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
