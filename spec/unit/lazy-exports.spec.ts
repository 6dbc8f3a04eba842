/**
 * `require("mambu-ts")` does not load the Services and Payments APIs (their modules, contracts and the XML and IBAN
 * parsers) until a program uses them (issue 19: less memory for a program that never does): `services`, `Services`,
 * `payments` and `Payments` are getters on the package's exports that load their module on first use, and give the
 * very objects the modules export. Their types are the namespaces of lib/index.ts, which alias every export of
 * lib/entities/services and lib/entities/payments: checked here against the barrels' export lists.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const LIB = join(__dirname, "../../lib");
const LAZY = ["../../lib/core/services", "../../lib/entities/services", "../../lib/core/payments", "../../lib/entities/payments"];

/** The names a barrel exports (`export { a, type B } from`, `export type { C } from`). */
function barrelNames(file: string): string[] {
  const text = readFileSync(join(LIB, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const names: string[] = [];
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) {
      const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/).pop()!.trim();
      if (name) names.push(name);
    }
  }
  return names;
}

/** The members of `export declare namespace <ns> { ... }` in lib/index.ts. */
function namespaceMembers(ns: string): string[] {
  const text = readFileSync(join(LIB, "index.ts"), "utf8");
  const body = new RegExp(`export declare namespace ${ns} \\{([^}]*)\\}`).exec(text)?.[1];
  if (body === undefined) throw new Error(`no namespace ${ns} in lib/index.ts`);
  return [...body.matchAll(/export (?:import|type) (\w+) = /g)].map((m) => m[1]!);
}

describe("lazy Services and Payments exports", () => {
  afterEach(() => {
    for (const m of LAZY) jest.dontMock(m);
  });

  it("loading the package loads none of the Services and Payments modules", () => {
    jest.isolateModules(() => {
      for (const m of LAZY) {
        jest.doMock(m, () => {
          throw new Error(`${m} loaded`);
        });
      }
      const lib = require("../../lib") as typeof import("../../lib");
      expect(typeof lib.MambuLoan.getAll).toBe("function");
      expect(() => lib.Services).toThrow("entities/services loaded");
      expect(() => lib.payments).toThrow("core/payments loaded");
    });
  });

  it("gives the modules' own objects on first use, and lists them among the exports", () => {
    jest.isolateModules(() => {
      const lib = require("../../lib") as typeof import("../../lib");
      const services = require("../../lib/entities/services") as typeof import("../../lib/entities/services");
      const payments = require("../../lib/entities/payments") as typeof import("../../lib/entities/payments");
      expect(lib.Services).toBe(services);
      expect(lib.Services.Card).toBe(services.Card);
      expect(lib.Payments).toBe(payments);
      expect(lib.Payments.checkIban).toBe(payments.checkIban);
      expect(lib.services).toBe((require("../../lib/core/services") as typeof import("../../lib/core/services")).services);
      expect(lib.payments).toBe((require("../../lib/core/payments") as typeof import("../../lib/core/payments")).payments);
      expect(Object.keys(lib)).toEqual(expect.arrayContaining(["services", "Services", "payments", "Payments", "MambuLoan"]));
    });
  });

  it("the namespaces' types alias every export of the Services and Payments barrels", () => {
    expect(namespaceMembers("Services").sort()).toEqual(barrelNames("entities/services/index.ts").sort());
    expect(namespaceMembers("Payments").sort()).toEqual(barrelNames("entities/payments/index.ts").sort());
  });
});
