/**
 * Personal data in plans and messages: the plan's `personal` syntax is checked; a JSON line that does
 * not parse is located without quoting it (Node's parser quotes the line); a number's hint is dropped
 * under a personal key; Mambu's errorSource is kept when it names a field and withheld when it
 * repeats submitted data.
 */
import { MambuError } from "../../lib/errors";
import { parsePlan, PlanError } from "../../lib/migrate";
import { describeJsonError } from "../../lib/migrate/jsonl";
import { writeFailures } from "../../lib/migrate/failures";
import type { Book, SourceRow } from "../../lib/migrate";
import { safeErrorMessage, scrub } from "../../lib/migrate/personal";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const dir = mkdtempSync(join(tmpdir(), "mig-personal-unit-"));
writeFileSync(join(dir, "clients.csv"), "client_id,first_name\n");

function problems(yaml: string): string[] {
  try {
    parsePlan(yaml, join(dir, "plan.yaml"));
    return [];
  } catch (e) {
    if (e instanceof PlanError) return e.problems.map((p) => p.message);
    throw e;
  }
}

describe("the plan's personal data syntax", () => {
  const base = "id: p\nsources: { clients: { file: clients.csv } }\n";
  it("takes personal: true/false on a rule and a list of columns per source", () => {
    expect(problems(`${base}mapping: { clients: { id: client_id, firstName: { column: first_name, personal: true } } }\npersonal: { clients: [spouse] }\n`)).toEqual([]);
  });
  it("refuses anything else, saying what to write", () => {
    expect(problems(`${base}mapping: { clients: { id: client_id, firstName: { column: first_name, personal: yes } } }\n`)).toEqual(["mapping.clients.firstName.personal: expected true or false"]);
    expect(problems(`${base}mapping: { clients: { id: client_id } }\npersonal: { clients: spouse }\n`)).toEqual(["personal.clients: expected a list of column names"]);
    expect(problems(`${base}mapping: { clients: { id: client_id } }\npersonal: { loans: [notes], people: [x] }\n`)).toEqual([
      "personal.loans: no such source in sources",
      "personal.people: unknown source (known: clients, groups, loans, schedules, fees, repayments, deposits, depositTransactions, loanTransactions, documents, groupMembers)",
    ]);
    expect(problems(`${base}mapping: { clients: { id: client_id } }\npersonal: [spouse]\n`)).toEqual(["personal: expected a map of source name → list of columns holding personal data"]);
  });
});

describe("messages about malformed JSON lines", () => {
  it("never quote the line Node's parser quotes", () => {
    const line = '{"name": Jose Garcia}';
    let message = "";
    try {
      JSON.parse(line);
    } catch (e) {
      message = (e as Error).message;
    }
    const d = describeJsonError(line, message);
    expect(d.reason).toMatch(/^invalid JSON: /);
    expect(d.reason).not.toMatch(/Garcia/);
  });
  it("drop a number's rewrite under a personal key, and keep it elsewhere", () => {
    const line = '{"id": "C1", "phone": 0612345678}';
    const message = "Unexpected number in JSON at position 23";
    expect(describeJsonError(line, message, (k) => k === "phone").reason).toBe('invalid JSON: the number of "phone" is not written as JSON allows (quote it)');
    expect(describeJsonError(line, message).reason).toMatch(/0612345678 has a leading zero/);
  });
});

describe("failure reasons built from Mambu's answers", () => {
  const err = (source: string): MambuError =>
    new MambuError(MambuError.formatMessage(400, { errorCode: 4, errorReason: "INVALID_PARAMETERS", errorSource: source }), { status: 400, errors: [{ errorCode: 4, errorReason: "INVALID_PARAMETERS", errorSource: source }] });
  it("keep an errorSource naming a field", () => {
    expect(safeErrorMessage(err("firstName"), ["Ana", "Lopez"], ["Ana", "Lopez"])).toBe("4 (400) - INVALID_PARAMETERS (firstName)");
  });
  it("withhold one that repeats submitted data, or is not a field name", () => {
    expect(safeErrorMessage(err("Lopez"), ["Ana", "Lopez"], ["Ana", "Lopez"])).toBe("4 (400) - INVALID_PARAMETERS (error source withheld: it repeats submitted data)");
    expect(safeErrorMessage(err("value 'x@y.example' is not valid"), [], [])).toBe("4 (400) - INVALID_PARAMETERS (error source withheld: it repeats submitted data)");
  });
  it("scrub personal values from any other message, whole words only", () => {
    expect(scrub("firstName: expected a string, got Ana (Analysis)", ["Ana"])).toBe("firstName: expected a string, got (withheld) (Analysis)");
  });
});

describe("--redact on JSON lines failures files", () => {
  it("masks personal keys, nested ones too, and keeps the rest exactly (numbers as written)", () => {
    writeFileSync(join(dir, "groups.jsonl"), "");
    const plan = parsePlan("id: p\nsources: { groups: { file: groups.jsonl } }\nmapping: { groups: { id: id, groupName: name, notes: notes, \"addresses[0].city\": address.city } }\n", join(dir, "plan.yaml"));
    const text = '{"id":"G1","name":"Las Rosas","notes":"meets at Ana Lopez\'s house","address":{"city":"Oaxaca","zip":"06000"},"rate":1.50}';
    const row: SourceRow = { source: "groups", file: "groups.jsonl", line: 1, values: {}, columns: {}, raw: { kind: "jsonl", text } };
    const book = { layouts: new Map([["groups.jsonl", { format: "jsonl" }]]), personal: new Map([["groups", new Set(["notes", "address.city"])]]) } as unknown as Book;
    const out = mkdtempSync(join(tmpdir(), "mig-redact-"));
    writeFailures(out, { ...plan, files: plan.files.map((f) => ({ ...f, shown: "groups.jsonl" })) }, book, [{ unit: "group:G1", rows: [row], reason: "invalid" }], { redact: true });
    expect(readFileSync(join(out, "groups.jsonl"), "utf8")).toBe('{"id":"G1","name":"Las Rosas","notes":"[redacted]","address":{"city":"[redacted]","zip":"06000"},"rate":1.50,"migrate_error":"invalid"}\n');
    expect(statSync(join(out, "groups.jsonl")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, "PERSONAL-DATA.txt"), "utf8")).toContain("  groups.jsonl: notes, address.city");
  });
});
