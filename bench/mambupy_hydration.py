"""MambuPy's side of the hydration benchmark (run by bench/hydration.js; prints one JSON line).

Builds MambuLoan entities from the same JSON bytes mambu-ts reads, through MambuPy's own list path:
`MambuLoan._get_several(get_func, connector)` is what `MambuLoan.get_all()` runs after its connector
has fetched (and concatenated) the pages; here `get_func` hands it the bytes instead of calling
Mambu, so the timing is json.loads + building every entity (values converted eagerly, custom
fields extracted, value objects built) and nothing else.

Usage: python3 mambupy_hydration.py <loans.json> [repeats]
MambuPy is imported from PYTHONPATH (MAMBUPY_SRC) or from the installed package.
"""

import json
import sys
import time

# MambuPy reads sys.argv with argparse.parse_known_args at import: keep our arguments away from it.
ARGS = sys.argv[1:]
sys.argv = sys.argv[:1]

from MambuPy.api.mambuloan import MambuLoan  # noqa: E402


def main():
    path = ARGS[0]
    repeats = int(ARGS[1]) if len(ARGS) > 1 else 1
    with open(path, "rb") as f:
        data = f.read()

    def get_func(prefix, **params):
        return data

    # json.loads alone, for reference (Python's own floor)
    t0 = time.perf_counter()
    count = len(json.loads(data.decode()))
    json_s = time.perf_counter() - t0

    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        loans = MambuLoan._get_several(get_func, None, detailsLevel="FULL")
        times.append(time.perf_counter() - t0)
        assert len(loans) == count
        sample = loans[-1]
        del loans
    times.sort()
    # A glance at what MambuPy made of the values (for the report's notes).
    seen = {
        "loanAmount": repr(sample["loanAmount"]),
        "creationDate": repr(sample["creationDate"]),
        "riskScore": repr(sample["riskScore"]),
        "approvedLimit": repr(sample["approvedLimit"]),
    }
    print(json.dumps({
        "count": count,
        "bytes": len(data),
        "seconds": times[len(times) // 2],
        "all_seconds": times,
        "json_loads_seconds": json_s,
        "python": sys.version.split()[0],
        "sample": seen,
    }))


if __name__ == "__main__":
    main()
