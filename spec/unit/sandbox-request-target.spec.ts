/**
 * The sandbox reads a request's path and query string without building a URL for a plain target
 * (request-target.ts): whatever the target, it must read what WHATWG `new URL` reads — the same path (which routes
 * the request) and the same query string — including targets that URL parsing changes (dot segments, characters
 * it percent-encodes, backslashes, fragments, tabs) and targets it rejects.
 */
import fc from "fast-check";
import { parseRequestTarget } from "../../lib/sandbox/request-target";

function viaUrl(target: string): { pathname: string; search: string } | "throws" {
  try {
    const u = new URL(target, "http://sandbox.invalid");
    return { pathname: u.pathname, search: u.search };
  } catch {
    return "throws";
  }
}

function viaTarget(target: string): { pathname: string; search: string } | "throws" {
  try {
    return parseRequestTarget(target);
  } catch {
    return "throws";
  }
}

describe("sandbox request target", () => {
  it("reads what URL reads for plain and unusual targets", () => {
    const targets = [
      "/", "/api", "/api/", "/api/clients", "/api/clients?", "/api/clients?limit=5&offset=10", "/api/clients?a=1?b=2/c",
      "/api/clients/GC%20001?detailsLevel=FULL", "/api/loans/L1/repayment-transactions", "/api/clients:search?limit=50",
      "/api/./clients", "/api/../clients", "/api/%2e%2E/clients", "/api/.%2e/x", "/api/clients/.hidden", "/api/a.b/c.",
      "/api/clients#frag", "/api/clients?x=1#frag", "/api\\clients", "/api/cli ents", "/api/cli\tents", "/api/cli\nents",
      "/api/clients?q='x'", "/api/clients?q=\"x\"", "/api/<x>", "/api/{id}", "/api/`x`", "/api/x|y^z[0]", "/api/ü?ü=ü",
      "//evil.example/api/clients", "///x", "api/clients", "", "?a=1", " /api/clients", "/api/clients ", "/api/%zz?%zz",
      "/api/clients?limit=5&limit=6", "/api/x?%2e%2e", "/api/x/%2e", "/api/%2F..%2F", "http://other.example/api/x",
    ];
    for (const t of targets) expect({ t, r: viaTarget(t) }).toEqual({ t, r: viaUrl(t) });
  });

  it("reads what URL reads for any target built of URL-relevant characters", () => {
    const chars = fc.constantFrom(..."/?.%2eE#\\ \t'\"<>`{}|^[]:@!$&()*+,;=-_~aZ09ü".split(""));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }), (cs) => {
        const t = `/${cs.join("")}`;
        expect(viaTarget(t)).toEqual(viaUrl(t));
      }),
      { numRuns: 5000, seed: 19 },
    );
  });
});
