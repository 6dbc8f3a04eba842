"""MambuPy's side of the bulk-read benchmark (run by bench/bulk-read.js; prints one JSON line).

`MambuLoan.get_all(detailsLevel="FULL")` against the benchmark's sandbox over TLS, configured the
way MambuPy is configured — environment variables read at import:
  MAMBUPY_APIURL=127.0.0.1:PORT (MambuPy builds https://{apiurl}/api/...), MAMBUPY_APIUSER,
  MAMBUPY_APIPWD, MAMBUPY_APIPAGINATION=1000, MAMBUPY_ACTIVATE_REQUEST_SESSION_OBJECTS=true (its
  keep-alive session), and REQUESTS_CA_BUNDLE=<the sandbox's CA file> (requests trusts it).
MambuPy fetches pages one after the other (it has no concurrent pagination), concatenates them,
then builds every entity.

Usage: python3 mambupy_bulk_read.py
"""

import json
import sys
import time

sys.argv = sys.argv[:1]  # MambuPy parses sys.argv at import

from MambuPy.api.connector.rest import MambuConnectorREST  # noqa: E402
from MambuPy.api.mambuloan import MambuLoan  # noqa: E402


def main():
    # Warm-up: one small request (TLS session, imports), as the mambu-ts side does.
    MambuLoan.get_all(limit=10, detailsLevel="FULL")

    t0 = time.perf_counter()
    raw = MambuConnectorREST().mambu_get_all("loans", detailsLevel="FULL")
    fetch_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    loans = MambuLoan.get_all(detailsLevel="FULL")
    total_s = time.perf_counter() - t0

    print(json.dumps({
        "count": len(loans),
        "seconds": total_s,
        "fetch_only_seconds": fetch_s,
        "bytes": len(raw),
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
