"""Runs the MambuPy cookbook's recipes against a Mambu API v2 (the mambu-ts sandbox) and prints
one JSON line per recipe: {"recipe": ..., "ok": bool, "detail": ...}.

MambuPy reads MAMBUPY_APIURL / MAMBUPY_APIUSER / MAMBUPY_APIPWD; REQUESTS_CA_BUNDLE points
requests at the sandbox's CA. This file is the project's own; MambuPy itself is not part of it.
"""
import json
import sys
import traceback


def report(recipe, ok, detail=""):
    print(json.dumps({"recipe": recipe, "ok": bool(ok), "detail": str(detail)[:300]}), flush=True)


def run(recipe, fn):
    try:
        ok, detail = fn()
        report(recipe, ok, detail)
    except Exception as e:  # noqa: BLE001 - every failure is a finding to report
        report(recipe, False, "%s: %s | %s" % (type(e).__name__, e, traceback.format_exc(limit=2).splitlines()[-1]))


def cf_value(x):
    return getattr(x, "value", x)


def main():
    from MambuPy.api.mambuclient import MambuClient
    from MambuPy.api.mambuloan import MambuLoan
    from MambuPy.mambuutil import MambuError

    run("get client by id", lambda: (lambda c: (c.firstName == "JOSEFA" and c["id"] == "0512N0025", c.firstName))(MambuClient.get("0512N0025")))
    run("get client by encodedKey", lambda: (lambda c: (c.id == "0512N0025", c.id))(MambuClient.get("8a099a673f1f25a0013f1fd0a1c318a5")))

    def full():
        c = MambuClient.get("0512N0025", detailsLevel="FULL")
        age = cf_value(c.Age)
        return (str(age) == "47" and len(c.addresses) > 0, "Age=%r addresses=%d" % (age, len(c.addresses)))
    run("FULL details with custom fields", full)

    def get_all():
        cs = MambuClient.get_all(filters={"firstName": "JOSEFA", "state": "ACTIVE"}, limit=5)
        return (len(cs) >= 1 and all(c.firstName == "JOSEFA" for c in cs), "%d clients" % len(cs))
    run("get_all with filters", get_all)

    def get_all_paginated():
        cs = MambuClient.get_all()
        return (len(cs) >= 10, "%d clients in pages of 3 (no limit: every page)" % len(cs))
    run("get_all without limit (pagination)", get_all_paginated)

    def search():
        cs = MambuClient.search(filterCriteria=[{"field": "firstName", "operator": "EQUALS", "value": "JOSEFA"}])
        return (len(cs) >= 1, "%d found" % len(cs))
    run("search", search)

    def loan_search():
        ls = MambuLoan.search(
            filterCriteria=[{"field": "accountState", "operator": "EQUALS", "value": "ACTIVE_IN_ARREARS"}], limit=20
        )
        return (len(ls) >= 1 and all(l.accountState == "ACTIVE_IN_ARREARS" for l in ls), "%d loans" % len(ls))
    run("loan search", loan_search)

    def schedule():
        loan = MambuLoan.get("54321")
        loan.get_schedule()
        total = sum(float(i.principal["amount"]["expected"]) for i in loan.schedule)
        return (len(loan.schedule) > 0 and abs(total - float(loan.loanAmount)) < 0.005, "%d installments, principal %.2f of %.2f" % (len(loan.schedule), total, float(loan.loanAmount)))
    run("loan get_schedule", schedule)

    def transactions():
        loan = MambuLoan.get("54321")
        loan.get_transactions()
        types = sorted({t.type for t in loan.transactions})
        return ("DISBURSEMENT" in types, "types %s" % types)
    run("loan get_transactions", transactions)

    def holder():
        loan = MambuLoan.get("54321")
        h = loan.get_accountHolder()
        return (h is not None and getattr(h, "id", None) is not None, "holder %s" % getattr(h, "id", None))
    run("loan get_accountHolder", holder)

    def patch_cf():
        c = MambuClient.get("0512N0025", detailsLevel="FULL")
        cf = c.EmployerName
        if hasattr(cf, "value"):
            cf.value = "Compat Test"
        else:
            c.EmployerName = "Compat Test"
        c.patch(["EmployerName"])
        again = MambuClient.get("0512N0025", detailsLevel="FULL")
        v = cf_value(again.EmployerName)
        return (v == "Compat Test", "EmployerName=%r" % v)
    run("patch of a custom field", patch_cf)

    def missing():
        try:
            MambuClient.get("I DONT EXIST")
        except MambuError as e:
            return (str(e) == "301 (404) - INVALID_CLIENT_ID", str(e))
        return (False, "no error")
    run("error for a missing client", missing)


if __name__ == "__main__":
    try:
        main()
    except ImportError as e:
        print(json.dumps({"recipe": "import MambuPy", "ok": False, "detail": str(e)}), flush=True)
        sys.exit(2)
