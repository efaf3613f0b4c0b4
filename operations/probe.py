"""The container's health probe: `python -m operations.probe` exits 0 when /health/ answers 200.

It asks gunicorn on this host for /health/ as the reverse proxy would (a host name from ALLOWED_HOSTS, HTTPS
forwarded), so neither the host check nor the HTTPS redirect gets in the way. No Django import: it is cheap.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    port = os.environ.get("PORT", "8000")
    host = (os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip() or "localhost").lstrip(".")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/health/", headers={"Host": host, "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a fixed local URL
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as exc:
        try:
            failing = json.loads(exc.read()).get("failing", [])
        except ValueError:
            failing = []
        print(f"unhealthy ({exc.code}): {', '.join(failing) or 'no details'}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"no answer from the web server: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
