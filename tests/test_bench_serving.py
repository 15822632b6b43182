"""The serving benchmark reads wrk's report correctly and only ever targets loopback."""

from __future__ import annotations

import pytest

from bench import serving

WRK_REPORT = """\
Running 10s test @ http://127.0.0.1:40123/healthz
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.02ms    2.11ms  41.50ms   88.12%
    Req/Sec     3.21k   150.00     3.50k    70.00%
  Latency Distribution
     50%  950.00us
     75%   10.80ms
     90%   12.10ms
     99%    1.20s
  32012 requests in 10.01s, 9.87MB read
  Socket errors: connect 2, read 31990, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   3198.40
Transfer/sec:      0.99MB
"""


def test_it_reads_throughput_latency_percentiles_and_errors_from_wrk():
    figures = serving.parse_wrk(WRK_REPORT)
    assert figures["requests_per_second"] == pytest.approx(3198.40)
    assert figures["p50_ms"] == pytest.approx(0.95)
    assert figures["p99_ms"] == pytest.approx(1200.0)
    assert figures["requests"] == 32012
    assert figures["non_2xx"] == 4
    # Read errors are sync workers closing each connection after answering, not failures.
    assert figures["socket_errors"] == 5


def test_every_server_binds_to_loopback_only():
    for name, argv in serving.SERVERS.items():
        rendered = [part.format(bind=f"{serving.HOST}:8000", port=8000, wsgi="w", asgi="a") for part in argv]
        hosts = [part.rsplit(":", 1)[0] for part in rendered if part.startswith(("127.", "0.", "["))]
        assert hosts == ["127.0.0.1"], name


def test_it_refuses_an_unbounded_run(capsys):
    with pytest.raises(SystemExit):
        serving.main(["--duration", "600"])
    assert "between 1 and 60 seconds" in capsys.readouterr().err
