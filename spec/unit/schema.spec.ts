import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import {
  SCHEMA,
  definition,
  findOperation,
  operation,
  resource,
  resourceNames,
  validateAgainst,
  type FieldSpec,
} from "../../lib/contract/schema";

const ROOT = path.resolve(__dirname, "..", "..");
const GENERATED = path.join(ROOT, "lib", "generated");
const SWAGGER_DIR = process.env.MAMBU_OPENAPI_DIR
  ? path.resolve(process.env.MAMBU_OPENAPI_DIR)
  : path.resolve(ROOT, "..", "shared", "mambu-openapi");
const HAVE_SWAGGER = fs.existsSync(SWAGGER_DIR);

const LOAN: FieldSpec = { type: "object", ref: "LoanAccount" };

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]))
    .sort();
}

describe("gen-schema regeneration", () => {
  if (!HAVE_SWAGGER) {
    test.skip(`regenerating from the Swagger files is byte-identical (skipped: ${SWAGGER_DIR} not found; a user's clone has no ../shared)`, () => undefined);
    return;
  }

  test("regenerating into a temp dir reproduces the committed files byte for byte", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "gen-schema-"));
    try {
      execFileSync(process.execPath, [path.join(ROOT, "scripts", "gen-schema.js"), "--in", SWAGGER_DIR, "--out", out], {
        stdio: "pipe",
      });
      const generated = listFiles(out);
      expect(generated).toContain("schema.json");
      expect(generated).toContain("types/index.ts");
      expect(generated).toContain("types/loans.ts");
      expect(generated).toContain("operations/loans.ts");
      expect(generated).toContain("services/schema.json"); // the Services API, from lib/contract/openapi/services-v1.json
      const committed = listFiles(GENERATED).filter(
        (f) => f === "schema.json" || f.startsWith("types/") || f.startsWith("operations/") || f.startsWith("services/") || f.startsWith("payments/"),
      );
      expect(committed).toEqual(generated);
      for (const f of generated) {
        const a = fs.readFileSync(path.join(out, f));
        const b = fs.readFileSync(path.join(GENERATED, f));
        if (!a.equals(b)) throw new Error(`lib/generated/${f} differs from a fresh run: run \`npm run gen:schema\``);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("generated schema (committed JSON)", () => {
  test("has one resource per Swagger file, under the file's name (plus the supplement's resources newer than every file)", () => {
    const names = resourceNames();
    const supplement = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "scripts", "contract-supplement.json"), "utf8")) as {
      resources: Record<string, { "x-new-resource"?: unknown }>;
    };
    const newer = Object.keys(supplement.resources).filter((r) => supplement.resources[r]["x-new-resource"]).sort();
    expect(newer).toEqual(expect.arrayContaining(["configuration__accountingrules.yaml", "configuration__authorizationholds.yaml"]));
    expect(names).toHaveLength(46 + newer.length);
    expect(names).toEqual(expect.arrayContaining(newer));
    expect(names).toEqual(
      expect.arrayContaining(["loans", "clients", "loans_transactions", "deposits_transactions", "configuration__customfields"]),
    );
  });

  test("contains no prose", () => {
    const raw = fs.readFileSync(path.join(GENERATED, "schema.json"), "utf8");
    // Field names such as "description" or "notes" are legitimate; prose would be strings with several spaces.
    expect(raw.match(/"[^"]* [^"]* [^"]*"/)).toBeNull();
    expect(raw.match(/"(example|summary|responseSchema)":/)).toBeNull();
    expect(raw.includes("\n")).toBe(false);
  });

  test("LoanAccount: loanAmount decimal and required, accountState enum, disbursementDetails ref", () => {
    const la = definition("loans", "LoanAccount");
    expect(la.fields.loanAmount.type).toBe("decimal");
    expect(la.required).toContain("loanAmount");
    expect(la.fields.accountState.type).toBe("string");
    expect(la.fields.accountState.enum).toContain("ACTIVE_IN_ARREARS");
    expect(la.fields.disbursementDetails).toEqual({ type: "object", ref: "DisbursementDetails" });
    expect(definition("loans", "DisbursementDetails").fields.disbursementDate.type).toBe("datetime");
    expect(la.fields.encodedKey.readOnly).toBe(true);
  });

  test("Client.birthDate is a date", () => {
    expect(definition("clients", "Client").fields.birthDate.type).toBe("date");
  });

  test("POST /loans/{loanAccountId}:changeState body refs LoanAccountAction (action enum has APPROVE)", () => {
    const op = operation("loans", "POST", "/loans/{loanAccountId}:changeState");
    expect(op).toBeDefined();
    expect(op!.pathParams).toEqual(["loanAccountId"]);
    expect(op!.headers).toContain("Idempotency-Key");
    expect(op!.body).toEqual({ type: "object", ref: "LoanAccountAction" });
    expect(op!.bodyRequired).toBe(true);
    expect(op!.responses["200"]).toEqual({ type: "object", ref: "LoanAccount" });
    expect(definition("loans", "LoanAccountAction").fields.action.enum).toContain("APPROVE");
  });

  test("GET /loans query parameters include detailsLevel BASIC/FULL", () => {
    const op = operation("loans", "get", "/loans");
    const dl = op!.query.find((q) => q.name === "detailsLevel");
    expect(dl).toMatchObject({ type: "string", enum: ["BASIC", "FULL"] });
    expect(op!.responses["200"]).toEqual({ type: "array", items: { type: "object", ref: "LoanAccount" } });
  });

  test("LoanAccountFilterCriteria.operator includes BETWEEN and STARTS_WITH", () => {
    const e = definition("loans", "LoanAccountFilterCriteria").fields.operator.enum;
    expect(e).toEqual(expect.arrayContaining(["BETWEEN", "STARTS_WITH"]));
  });

  test("shared large enums are expanded in place (RestError.errorReason)", () => {
    for (const r of resourceNames()) {
      const reasons = SCHEMA.resources[r].definitions.RestError.fields.errorReason;
      expect(reasons.enum!.length).toBeGreaterThan(1000);
      expect(reasons).not.toHaveProperty("enumRef");
    }
    expect(SCHEMA).not.toHaveProperty("enums");
  });

  test("multipart operations keep their form data", () => {
    const op = operation("clients_documents", "POST", "/clients/{clientId}/documents")!;
    expect(op.consumes).toEqual(["multipart/form-data"]);
    expect(op.formData).toEqual(expect.arrayContaining([{ name: "file", type: "binary", required: true }]));
  });

  test("definition() and resource() throw clear errors", () => {
    expect(() => definition("loans", "NoSuchThing")).toThrow(/"NoSuchThing".*"loans"/);
    expect(() => definition("nosuchresource", "LoanAccount")).toThrow(/"LoanAccount".*"nosuchresource"/);
    expect(() => resource("nosuchresource")).toThrow(/nosuchresource/);
    expect(operation("loans", "GET", "/nope")).toBeUndefined();
  });
});

describe("validateAgainst", () => {
  const goodLoan = () => ({
    accountHolderKey: "8a8e87a0",
    accountHolderType: "CLIENT",
    productTypeKey: "8a8e8e07",
    loanName: "Agriculture loan",
    loanAmount: "1500.50",
    accountState: "PENDING_APPROVAL",
    interestSettings: { interestRate: 12.5 },
    scheduleSettings: { gracePeriod: 0, repaymentInstallments: 12, repaymentPeriodCount: 1, repaymentPeriodUnit: "MONTHS" },
    disbursementDetails: {
      expectedDisbursementDate: "2021-01-01T00:00:00+01:00",
      firstRepaymentDate: "2021-02-01T00:00:00Z",
      fees: [{ amount: 10, predefinedFeeEncodedKey: "8a8e" }],
    },
    notes: null,
    _Loan_Extra: { purpose: "tractor", anything: [1, 2, 3] },
  });

  test("accepts a correct loan body (decimals as numbers or strings, _ custom field sets, null optionals)", () => {
    expect(validateAgainst("loans", LOAN, goodLoan())).toEqual([]);
    expect(validateAgainst("loans", LOAN, { ...goodLoan(), loanAmount: 1500 })).toEqual([]);
  });

  test("accepts the body of POST /loans via the operation spec", () => {
    const op = operation("loans", "POST", "/loans")!;
    expect(validateAgainst("loans", op.body!, goodLoan())).toEqual([]);
  });

  test("reports a missing required field", () => {
    const body: Record<string, unknown> = goodLoan();
    delete body.loanAmount;
    expect(validateAgainst("loans", LOAN, body)).toEqual(["body.loanAmount: required field is missing"]);
    expect(validateAgainst("loans", LOAN, { ...goodLoan(), productTypeKey: null })).toEqual([
      "body.productTypeKey: required field is null",
    ]);
  });

  test("reports a bad enum value", () => {
    const problems = validateAgainst("loans", LOAN, { ...goodLoan(), accountState: "OPEN" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^body\.accountState: expected one of .*ACTIVE_IN_ARREARS.*, got "OPEN"$/);
  });

  test("reports a date-time without offset", () => {
    const body = goodLoan();
    (body.disbursementDetails as Record<string, unknown>).disbursementDate = "2021-01-01";
    (body.disbursementDetails as Record<string, unknown>).firstRepaymentDate = "2021-02-01T00:00:00";
    expect(validateAgainst("loans", LOAN, body).sort()).toEqual([
      'body.disbursementDetails.disbursementDate: expected date-time with offset, got "2021-01-01"',
      'body.disbursementDetails.firstRepaymentDate: expected date-time with offset, got "2021-02-01T00:00:00"',
    ]);
  });

  test("reports an unknown field", () => {
    expect(validateAgainst("loans", LOAN, { ...goodLoan(), loanAmmount: 5 })).toEqual([
      "body.loanAmmount: unknown field (not in LoanAccount)",
    ]);
  });

  test("reports wrong types", () => {
    const body = {
      ...goodLoan(),
      loanAmount: true,
      loanName: 12,
      scheduleSettings: { gracePeriod: "0", repaymentInstallments: 1.5 },
      disbursementDetails: { fees: { amount: 1 } },
      interestSettings: { interestRate: "12%" },
    };
    expect(validateAgainst("loans", LOAN, body)).toEqual([
      "body.loanName: expected string, got number 12",
      "body.loanAmount: expected decimal (number or numeric string), got boolean true",
      "body.interestSettings.interestRate: expected decimal (number or numeric string), got \"12%\"",
      'body.scheduleSettings.gracePeriod: expected integer, got "0"',
      "body.scheduleSettings.repaymentInstallments: expected integer, got number 1.5",
      "body.disbursementDetails.fees: expected array, got object",
    ]);
    expect(validateAgainst("loans", LOAN, [goodLoan()])).toEqual(["body: expected object (LoanAccount), got array (length 1)"]);
  });

  test("checks dates, array items and nested paths", () => {
    expect(validateAgainst("clients", { type: "object", ref: "Client" }, { firstName: "A", lastName: "B", birthDate: "1990-02-30" })).toEqual([
      'body.birthDate: expected date (YYYY-MM-DD), got "1990-02-30"',
    ]);
    expect(
      validateAgainst("clients", { type: "object", ref: "Client" }, { firstName: "A", lastName: "B", birthDate: "1990-02-28T00:00:00Z" }),
    ).toHaveLength(1);
    const search = operation("loans", "POST", "/loans:search")!;
    const problems = validateAgainst("loans", search.body!, {
      filterCriteria: [
        { field: "accountState", operator: "EQUALS", value: "ACTIVE" },
        { field: "loanAmount", operator: "BETWEEN", value: "1", secondValue: "2" },
        { field: "accountState", operator: "LIKE", value: "A" },
      ],
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^body\.filterCriteria\[2\]\.operator: expected one of .*, got "LIKE"$/);
  });

  test("allows custom field set keys starting with _ in nested objects, and honours options.path", () => {
    const body = goodLoan();
    (body.disbursementDetails as Record<string, unknown>)._Nested = { whatever: true };
    expect(validateAgainst("loans", LOAN, body)).toEqual([]);
    expect(validateAgainst("loans", LOAN, { ...goodLoan(), bogus: 1 }, { path: "loan" })).toEqual([
      "loan.bogus: unknown field (not in LoanAccount)",
    ]);
  });

  test("PatchOperation.value takes any JSON value; array definitions validate their items", () => {
    const patch = operation("loans", "PATCH", "/loans/{loanAccountId}")!;
    expect(
      validateAgainst("loans", patch.body!, [
        { op: "REPLACE", path: "/loanName", value: "x" },
        { op: "REPLACE", path: "/loanAmount", value: 10 },
        { op: "REMOVE", path: "/notes" },
      ]),
    ).toEqual([]);
    expect(validateAgainst("loans", { type: "object", ref: "PatchOperationsList" }, [{ op: "COPY", path: "/x" }])).toEqual([
      'body[0].op: expected one of ADD, REPLACE, REMOVE, MOVE, got "COPY"',
    ]);
  });

  test("accepts a range of ISO 8601 offsets and rejects invalid date-times", () => {
    const spec: FieldSpec = { type: "datetime" };
    for (const ok of ["2021-01-01T00:00:00Z", "2021-01-01T10:20:30.123+05:30", "2021-12-31T23:59:59-0800", "2020-02-29T00:00+00:00"]) {
      expect(validateAgainst("loans", spec, ok)).toEqual([]);
    }
    for (const bad of ["2021-01-01T00:00:00", "2021-13-01T00:00:00Z", "2021-01-01 00:00:00Z", "2021-01-01T24:00:00Z", "x"]) {
      expect(validateAgainst("loans", spec, bad)).toHaveLength(1);
    }
  });

  test("throws on an unknown resource or definition", () => {
    expect(() => validateAgainst("nosuch", LOAN, {})).toThrow(/nosuch/);
    expect(() => validateAgainst("loans", { type: "object", ref: "Nope" }, {})).toThrow(/"Nope".*"loans"/);
  });
});

describe("findOperation", () => {
  test("matches a concrete percent-encoded path to its template", () => {
    const m = findOperation("POST", "/loans/AB%2FC:changeState");
    expect(m).toBeDefined();
    expect(m!.resource).toBe("loans");
    expect(m!.op.path).toBe("/loans/{loanAccountId}:changeState");
    expect(m!.params).toEqual({ loanAccountId: "AB/C" });
  });

  test("prefers literal segments over parameters and ignores base path and query string", () => {
    expect(findOperation("post", "/api/loans:search?limit=5")!.op.path).toBe("/loans:search");
    expect(findOperation("POST", "/loans/transactions:search")!.op.path).toBe("/loans/transactions:search");
    expect(findOperation("GET", "/loans/transactions/T1")).toMatchObject({
      resource: "loans_transactions",
      params: { loanTransactionId: "T1" },
    });
    expect(findOperation("GET", "/loans/L1/transactions")).toMatchObject({
      resource: "loans_transactions",
      params: { loanAccountId: "L1" },
    });
    expect(findOperation("GET", "/loans/L1")!.op.operationId).toBe("getById");
    expect(findOperation("GET", "https://tenant.mambu.com/api/clients/C%201")!.params).toEqual({ clientId: "C 1" });
    expect(findOperation("GET", "/configuration/branches.yaml")!.resource).toBe("configuration__branches.yaml");
  });

  test("returns undefined when nothing matches", () => {
    expect(findOperation("GET", "/nothing/here")).toBeUndefined();
    expect(findOperation("PUT", "/loans:search")).toBeUndefined();
  });
});
