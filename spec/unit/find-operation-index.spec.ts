/**
 * findOperation looks only at the templates a path can match (same segment count, same literal first segment, or
 * a parameter there): what it finds must be what a scan of every template, most specific first, finds — for every
 * operation of the contract, with parameters that look like other templates' literals, encoded slashes, `/api`,
 * queries and trailing slashes.
 */
import { SCHEMA, findOperation, type OperationSpec } from "../../lib/contract/schema";
import { compareSpecificity, compilePathTemplate, type CompiledPathTemplate } from "../../lib/contract/path-template";

type Scanned = CompiledPathTemplate & { resource: string; op: OperationSpec };

/** Every template of a method, most specific first (the documented order), scanned one by one. */
function scan(method: string, path: string): { resource: string; path: string; params: Record<string, string> } | undefined {
  const list: Scanned[] = [];
  for (const resource of Object.keys(SCHEMA.resources).sort()) {
    for (const op of SCHEMA.resources[resource].operations) {
      if (op.method === method) list.push({ resource, op, ...compilePathTemplate(op.path) });
    }
  }
  list.sort((a, b) => compareSpecificity(a, b) || b.op.path.length - a.op.path.length);
  for (const r of list) {
    const m = r.re.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.names.forEach((n, i) => {
      params[n] = decodeURIComponent(m[i + 1]);
    });
    return { resource: r.resource, path: r.op.path, params };
  }
  return undefined;
}

const found = (method: string, path: string) => {
  const m = findOperation(method, path);
  return m && { resource: m.resource, path: m.op.path, params: m.params };
};

describe("findOperation (templates looked up by the path's shape)", () => {
  const values = ["X1", "a%2Fb", "search", "transactions", "loans", "12"];
  const cases: Array<[string, string]> = [];
  for (const r of Object.values(SCHEMA.resources)) {
    for (const op of r.operations) {
      for (const v of values) cases.push([op.method, op.path.replace(/\{[^}]+\}/g, v)]);
    }
  }

  it("finds, for every operation's path, what a scan of every template most specific first finds", () => {
    expect(cases.length).toBeGreaterThan(1000);
    const differ = cases.filter(([m, p]) => JSON.stringify(found(m, p)) !== JSON.stringify(scan(m, p)));
    expect(differ).toEqual([]);
  });

  it("finds each operation by its own path, with its parameters decoded", () => {
    for (const r of Object.values(SCHEMA.resources)) {
      for (const op of r.operations) {
        const p = op.path.replace(/\{[^}]+\}/g, "Q%2F1");
        const m = findOperation(op.method, p);
        expect(m && m.op.method).toBe(op.method);
        expect(m && Object.values(m.params).every((v) => v === "Q/1")).toBe(true);
      }
    }
  });

  it("reads /api, a query and a trailing slash as before, and finds nothing for unknown shapes", () => {
    expect(found("POST", "/api/loans/L1/repayment-transactions?x=1")).toEqual(scan("POST", "/loans/L1/repayment-transactions"));
    expect(found("get", "/clients/C1/")!.path).toBe("/clients/{clientId}");
    expect(found("GET", "clients")!.path).toBe("/clients");
    expect(found("GET", "/nowhere/at/all")).toBeUndefined();
    expect(found("GET", "/clients/a/b/c/d/e/f")).toBeUndefined();
    expect(found("GET", "//clients")).toBeUndefined();
  });
});
