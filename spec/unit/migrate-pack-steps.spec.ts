/**
 * The onboarding pack's step of each recorded request: a deposit account's creation, approval and
 * deposits belong to the standalone account's own steps (deposit, opening, depositTransaction) when
 * the account is one of the plan's savings, and to the settlement step otherwise.
 */
import { stepOf } from "../../lib/migrate/pack";
import type { RecordedCall } from "../../lib/migrate/pack-dry-run";

const call = (method: string, path: string, template: string, body?: unknown): RecordedCall => ({ method, path, template, headers: {}, body, unit: "client:C1" });
const savings = { standalone: new Set(["D1"]), openings: new Set(["mig-open"]) };

describe("stepOf (onboarding pack)", () => {
  it("labels a standalone savings account's creation and approval as the deposit step, a settlement account's as the settlement step", () => {
    expect(stepOf(call("POST", "/api/deposits", "/api/deposits", { id: "D1" }), savings)).toBe("deposit");
    expect(stepOf(call("POST", "/api/deposits", "/api/deposits", { id: "S1" }), savings)).toBe("settlement");
    expect(stepOf(call("POST", "/api/deposits/{encodedKey of deposit D1}:changeState", "/api/deposits/{id}:changeState", { action: "APPROVE" }), savings)).toBe("deposit");
    expect(stepOf(call("POST", "/api/deposits/D1:changeState", "/api/deposits/{id}:changeState", { action: "APPROVE" }), savings)).toBe("deposit");
    expect(stepOf(call("POST", "/api/deposits/{encodedKey of deposit S1}:changeState", "/api/deposits/{id}:changeState", { action: "APPROVE" }), savings)).toBe("settlement");
    expect(stepOf(call("PATCH", "/api/loans/L1", "/api/loans/{id}", []), savings)).toBe("settlement");
  });

  it("tells the opening deposit from the account's later deposits and withdrawals by its externalId", () => {
    expect(stepOf(call("POST", "/api/deposits/D1/deposit-transactions", "/api/deposits/{id}/deposit-transactions", { externalId: "mig-open" }), savings)).toBe("opening");
    expect(stepOf(call("POST", "/api/deposits/D1/deposit-transactions", "/api/deposits/{id}/deposit-transactions", { externalId: "mig-later" }), savings)).toBe("depositTransaction");
    expect(stepOf(call("POST", "/api/deposits/D1/withdrawal-transactions", "/api/deposits/{id}/withdrawal-transactions", { externalId: "mig-w" }), savings)).toBe("depositTransaction");
    expect(stepOf(call("GET", "/api/deposits/D1", "/api/deposits/{id}"), savings)).toBe("lookup");
  });
});
