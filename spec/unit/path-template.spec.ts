/** Path templates of the contracts, shared by the library's operation lookup and the sandbox's router. */
import { compareSpecificity, compilePathTemplate } from "../../lib/contract/path-template";

test("a template compiles to a whole-path matcher with its parameter names and segment ranks", () => {
  const t = compilePathTemplate("/loans/{loanAccountId}:writeOff");
  expect(t.names).toEqual(["loanAccountId"]);
  expect(t.rank).toEqual([2, 1]);
  expect(t.re.exec("/loans/A-1:writeOff")?.slice(1)).toEqual(["A-1"]);
  expect(t.re.test("/loans/A/1:writeOff")).toBe(false); // a parameter never spans a slash
  expect(t.re.test("/loans/A:writeOffX")).toBe(false);
  expect(compilePathTemplate("/a.b/{x}").re.test("/aXb/1")).toBe(false); // literals are escaped
});

test("the most specific template that matches a path comes first (a literal beats a parameter)", () => {
  const templates = ["/loans/{id}", "/{resource}:search", "/loans:search", "/loans/{id}:approve"].map((p) => ({ p, ...compilePathTemplate(p) }));
  const sorted = [...templates].sort((a, b) => compareSpecificity(a, b) || b.rank.length - a.rank.length);
  const first = (path: string): string | undefined => sorted.find((t) => t.re.test(path))?.p;
  expect(first("/loans/L1:approve")).toBe("/loans/{id}:approve"); // "/loans/{id}" would match it too
  expect(first("/loans/L1")).toBe("/loans/{id}");
  expect(first("/loans:search")).toBe("/loans:search"); // "/{resource}:search" would match it too
  expect(first("/clients:search")).toBe("/{resource}:search");
});
