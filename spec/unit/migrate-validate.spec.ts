/**
 * Validation before any write: a table of broken rows, each reported with file, line and column, all
 * at once; plan-level problems; `skipInvalid`; and what valid rows map to (exact amounts, dates in the
 * tenant's offset, references by id → encodedKeys, custom fields).
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { RawNumber, stringifyExact } from "../../lib/core/json";
import nock from "nock";
import { buildBook, formatProblem, loadPlan, PlanError, ReferenceData } from "../../lib/migrate";
import { mambu, testConnector } from "../helpers/mambu";

const refs: ReferenceData = {
  branches: new Map([["CCAZ", "kb1"], ["MTY", "kb2"]]),
  centres: new Map([["TribeAZ-1", { encodedKey: "kc1", branchKey: "kb1" }]]),
  users: new Map([["a.alas", "ku1"], ["2", "ku1"]]),
  loanProducts: new Map([
    [
      "FLAT-MICRO",
      {
        id: "FLAT-MICRO", encodedKey: "kp1", currency: "MXN", minAmount: "500", maxAmount: "50000", minInstallments: 1, maxInstallments: 24,
        allowArbitraryFees: true, fees: new Map([["LATE", "kf1"], ["kf1", "kf1"]]), feeAmounts: new Map([["kf1", "50"]]),
      },
    ],
  ]),
  depositProducts: new Map([["SAVINGS", { id: "SAVINGS", encodedKey: "kd1" }]]),
  customFieldSets: new Map([
    [
      "CLIENT",
      new Map([
        ["_OtherDetails", { id: "_OtherDetails", availableFor: "CLIENT", grouped: false, fields: new Map([["Age", { id: "Age", type: "NUMBER" }], ["EmployerName", { id: "EmployerName", type: "FREE_TEXT" }]]) }],
        ["_Assets", { id: "_Assets", availableFor: "CLIENT", grouped: true, fields: new Map([["ASSETYPE", { id: "ASSETYPE", type: "FREE_TEXT" }], ["ASSETVALUE", { id: "ASSETVALUE", type: "NUMBER" }]]) }],
      ]),
    ],
  ]),
};

/** A connector whose tenant has nothing but client "EXT1" (nock: every other client or group is a 404). */
const conn = testConnector();
beforeEach(() => {
  mambu().persist().get("/api/clients/EXT1").query(true).reply(200, { id: "EXT1", encodedKey: "kext1" });
  mambu().persist().get(/^\/api\/(clients|groups)\/[^/?]+(\?.*)?$/).reply(404, { errors: [{ errorCode: 301, errorReason: "INVALID_CLIENT_ID" }] });
});
afterEach(() => nock.cleanAll());

const PLAN = `
id: unit-plan
sources:
  clients: { file: clients.csv }
  groups: { file: groups.csv }
  loans: { file: loans.csv }
  schedules: { file: schedules.csv }
  fees: { file: fees.csv }
  repayments: { file: repayments.csv }
mapping:
  clients:
    id: id
    firstName: first
    lastName: last
    gender: gender
    birthDate: birth
    assignedBranchKey: branch
    assignedUserKey: officer
    _OtherDetails.Age: age
    _Assets[0].ASSETYPE: asset
    _Assets[0].ASSETVALUE: asset_value
  groups:
    id: id
    groupName: name
    members: members
  loans:
    account:
      id: id
      accountHolderId: holder
      accountHolderType: holder_type
      productTypeKey: product
      loanAmount: amount
      interestSettings.interestRate: rate
      scheduleSettings.repaymentInstallments: n
    settlement:
      id: settlement
      productTypeKey: { value: SAVINGS }
      name: { value: Settlement }
    disburse:
      valueDate: disbursed
      firstRepaymentDate: first_due
  schedules: { loanId: loan, number: no, dueDate: due, principal: principal }
  fees: { loanId: loan, valueDate: date, predefinedFeeKey: fee, amount: amount }
  repayments: { loanId: loan, externalId: id, valueDate: date, amount: amount }
defaults:
  clients: { state: ACTIVE }
  loans:
    account: { scheduleSettings.gracePeriod: 0 }
`;

type Table = { header: string; rows: string[] };
const base: Record<string, Table> = {
  "clients.csv": {
    header: "id,first,last,gender,birth,branch,officer,age,asset,asset_value",
    rows: ["C1,Ana,Lopez,FEMALE,1980-01-31,CCAZ,a.alas,45,Land,965000.50", "C2,Juan,Perez,MALE,1975-06-01,MTY,2,,,", "C3,Rosa,Cruz,FEMALE,1990-02-02,CCAZ,a.alas,,,"],
  },
  "groups.csv": { header: "id,name,members", rows: ["G1,Grupo,C1;C2"] },
  "loans.csv": {
    header: "id,holder,holder_type,product,amount,rate,n,settlement,disbursed,first_due",
    rows: ["L1,C1,CLIENT,FLAT-MICRO,1500.50,36,3,S1,2025-01-10,2025-02-10", "L2,C2,,FLAT-MICRO,2000.00,36,6,,,", "L3,G1,GROUP,FLAT-MICRO,3000.00,36,2,,2025-03-01,", "L4,EXT1,,FLAT-MICRO,900.00,36,3,,2025-03-01,"],
  },
  "schedules.csv": { header: "loan,no,due,principal", rows: ["L3,1,2025-04-01,1500.00", "L3,2,2025-05-01,1500.00"] },
  "fees.csv": { header: "loan,date,fee,amount", rows: ["L1,2025-03-01,LATE,", "L1,2025-03-02,,12.25"] },
  "repayments.csv": { header: "id,loan,date,amount", rows: ["R1,L1,2025-02-10,500.00", "R2,L1,2025-03-10,500.00", "R3,L3,2025-04-01,1500.00"] },
};

function planDir(extra: Record<string, string[]> = {}, plan = PLAN): string {
  const dir = mkdtempSync(join(tmpdir(), "mig-val-"));
  writeFileSync(join(dir, "plan.yaml"), plan);
  for (const [file, t] of Object.entries(base)) writeFileSync(join(dir, file), [t.header, ...t.rows, ...(extra[file] ?? [])].join("\n") + "\n");
  return dir;
}

const opts = { refs, conn, offset: "+02:00", now: "2026-11-01T12:00:00+02:00" };
/** Problems as text, files relative to the plan's directory. */
const texts = (dir: string, problems: Parameters<typeof formatProblem>[0][]): string[] => problems.map((p) => formatProblem(p).split(`${dir}/`).join(""));

describe("validation of a clean plan", () => {
  it("maps rows to exact bodies, with references and dates resolved", async () => {
    const dir = planDir();
    const book = await buildBook(loadPlan(join(dir, "plan.yaml")), opts);
    expect(texts(dir, book.problems)).toEqual([]);
    expect(book.units.map((u) => u.key)).toEqual(["client:C1", "client:C2", "client:C3", "client:EXT1", "group:G1"]);
    const c1 = book.units[0];
    expect(stringifyExact(c1.body)).toBe(
      '{"id":"C1","firstName":"Ana","lastName":"Lopez","gender":"FEMALE","birthDate":"1980-01-31","assignedBranchKey":"kb1","assignedUserKey":"ku1","_OtherDetails":{"Age":"45"},"_Assets":[{"ASSETYPE":"Land","ASSETVALUE":"965000.50"}],"state":"ACTIVE"}',
    );
    const l1 = c1.loans[0];
    expect(stringifyExact(l1.body)).toBe('{"id":"L1","productTypeKey":"kp1","loanAmount":1500.50,"interestSettings":{"interestRate":36},"scheduleSettings":{"repaymentInstallments":3,"gracePeriod":0},"accountHolderType":"CLIENT"}');
    expect(l1.body.loanAmount).toBeInstanceOf(RawNumber);
    expect(l1.disburse?.body).toMatchObject({ valueDate: "2025-01-10T00:00:00+02:00", firstRepaymentDate: "2025-02-10T00:00:00+02:00" });
    expect(l1.settlement).toEqual({ id: "S1", body: { id: "S1", productTypeKey: "kd1", name: "Settlement" } });
    // fees before repayments on the same day, then by date; the predefined fee's amount comes from the product
    expect(l1.transactions.map((t) => `${t.kind} ${t.valueDate.slice(0, 10)} ${t.amount}`)).toEqual([
      "repayment 2025-02-10 500.00",
      "fee 2025-03-01 50",
      "fee 2025-03-02 12.25",
      "repayment 2025-03-10 500.00",
    ]);
    expect(l1.transactions[1].body).toMatchObject({ predefinedFeeKey: "kf1" });
    expect(l1.transactions[1].externalId).toMatch(/^mig-[0-9a-f]{20}$/);
    expect(l1.transactions[0].externalId).toBe("R1");
    const g1 = book.units.find((u) => u.key === "group:G1")!;
    expect(g1.members).toEqual(["C1", "C2"]);
    expect(g1.loans[0].schedule?.installments).toEqual([
      { number: 1, dueDate: "2025-04-01", principal: { amount: { expected: new RawNumber("1500.00") } } },
      { number: 2, dueDate: "2025-05-01", principal: { amount: { expected: new RawNumber("1500.00") } } },
    ]);
    expect(book.external.get("EXT1")).toEqual({ kind: "client", encodedKey: "kext1" });
    expect(book.units.find((u) => u.key === "client:EXT1")).toMatchObject({ create: false });
    // C1: client, L1 (loan, approve, settlement, disburse, 2 fees, 2 repayments); C2: client, L2 (loan, approve);
    // C3: client; EXT1: L4 (loan, approve, disburse); G1: group, L3 (loan, approve, schedule, disburse, 1 repayment)
    expect(book.totalSteps).toBe(9 + 3 + 1 + 3 + 6);
  });
});

describe("validation errors: every broken row, with file, line and column, at once", () => {
  // [file, broken row, expected problem text]
  const table: Array<[string, string, string]> = [
    ["clients.csv", "C10,Eva,Diaz,FEMALE,1978-13-01,CCAZ,a.alas,,,", 'clients.csv:5:5 (birth): birthDate: expected a date (YYYY-MM-DD), got a value withheld (personal data)'],
    ["clients.csv", "C11,Eva,Diaz,female,1978-01-01,CCAZ,a.alas,,,", 'clients.csv:6:4 (gender): gender: expected one of MALE, FEMALE, got a value withheld (personal data)'],
    ["clients.csv", "C12,Eva,,FEMALE,1978-01-01,CCAZ,a.alas,,,", "clients.csv:7:3 (last): lastName: required field is missing"],
    ["clients.csv", "C13,Eva,Diaz,FEMALE,1978-01-01,NOPE,a.alas,,,", 'clients.csv:8:6 (branch): assignedBranchKey: no branch with id "NOPE" in the tenant'],
    ["clients.csv", "C1,Eva,Diaz,FEMALE,1978-01-01,CCAZ,a.alas,,,", 'clients.csv:9:1 (id): client id "C1" appears twice (first at line 2)'],
    ["clients.csv", "C15,Eva,Diaz,FEMALE,1978-01-01,CCAZ,a.alas,forty,,", 'clients.csv:10:8 (age): _OtherDetails.Age: custom field Age is a NUMBER, got "forty"'],
    ["clients.csv", "C16,Eva,Diaz,FEMALE,1978-01-01,CCAZ,nobody,,,", 'clients.csv:11:7 (officer): assignedUserKey: no user with id or username "nobody" in the tenant'],
    ["clients.csv", "C17,Eva,Diaz", "clients.csv:12: expected 10 fields (as the header), got 3"],
    ["loans.csv", "L10,C3,,FLAT-MICRO,\"1,500.00\",36,3,,,", 'loans.csv:6:5 (amount): loanAmount: expected an amount like 1500.00 (digits, one dot), got "1,500.00"'],
    ["loans.csv", "L11,C3,,FLAT-MICRO,1500.123,36,3,,,", 'loans.csv:7:5 (amount): loanAmount: "1500.123" has more than 2 decimals'],
    ["loans.csv", "L12,C3,,FLAT-MICRO,100.00,36,3,,,", "loans.csv:8:5 (amount): loanAmount 100.00 is below the minimum 500 of product FLAT-MICRO"],
    ["loans.csv", "L13,C3,,NOPE,1000.00,36,3,,,", 'loans.csv:9:4 (product): productTypeKey: no loan product with id "NOPE" in the tenant'],
    ["loans.csv", "L14,C404,,FLAT-MICRO,1000.00,36,3,,,", 'loans.csv:10:2 (holder): account holder "C404" is neither in the plan nor in the tenant'],
    ["loans.csv", "L15,C3,,FLAT-MICRO,1000.00,36,30,,,", "loans.csv:11:7 (n): repaymentInstallments 30 is outside 1..24 of product FLAT-MICRO"],
    ["loans.csv", "L16,C3,,FLAT-MICRO,1000.00,36,3,,2027-01-01,", "loans.csv:12:9 (disbursed): disbursement date 2027-01-01T00:00:00+02:00 is in the future"],
    ["loans.csv", "L17,C3,,FLAT-MICRO,1000.00,36,3,,2025-05-01,2025-04-01", "loans.csv:13:10 (first_due): firstRepaymentDate 2025-04-01T00:00:00+02:00 is not after the disbursement date 2025-05-01T00:00:00+02:00"],
    ["loans.csv", "L18,C3,,FLAT-MICRO,1000.00,abc,3,,,", 'loans.csv:14:6 (rate): interestSettings.interestRate: expected a number (digits, one dot), got "abc"'],
    ["loans.csv", "L19,C3,PERSON,FLAT-MICRO,1000.00,36,3,,,", 'loans.csv:15:3 (holder_type): accountHolderType: expected one of CLIENT, GROUP, got "PERSON"'],
    ["repayments.csv", "R10,L99,2025-02-10,10.00", 'repayments.csv:5:2 (loan): loan "L99" is not in the plan\'s loans'],
    ["repayments.csv", "R11,L1,2025-01-01,10.00", "repayments.csv:6:3 (date): valueDate 2025-01-01T00:00:00+02:00 is before the disbursement of loan L1 (2025-01-10T00:00:00+02:00)"],
    ["repayments.csv", "R12,L1,2025-02-11,-5.00", 'repayments.csv:7:4 (amount): amount: the amount must be positive, got "-5.00"'],
    ["repayments.csv", "R13,L1,2025-02-12,", "repayments.csv:8:4 (amount): amount: required field is missing"],
    ["repayments.csv", "R14,L2,2025-02-12,10.00", "repayments.csv:9:2 (loan): loan L2 is not disbursed by the plan (no disbursement date)"],
    ["repayments.csv", "R1,L1,2025-02-13,10.00", 'repayments.csv:10:1 (id): externalId "R1" appears twice on loan L1'],
    ["repayments.csv", "R16,L1,2025-02-30,10.00", 'repayments.csv:11:3 (date): valueDate: not a calendar date: "2025-02-30"'],
    ["fees.csv", "L1,2025-03-03,NOFEE,", 'fees.csv:4:3 (fee): product FLAT-MICRO has no fee "NOFEE"'],
    ["fees.csv", "L1,2025-03-04,,", "fees.csv:5:4 (amount): a fee needs an amount or a predefinedFeeKey"],
    ["schedules.csv", "L1,1,2025-02-01,100.00", "schedules.csv:4:4 (principal): loan L1: the installments' principal adds up to 100.00, not the loan amount 1500.50"],
    ["groups.csv", "G2,Otro,C1;C9", 'groups.csv:3:3 (members): group member "C9" is neither in the plan nor in the tenant'],
  ];

  it("reports each one", async () => {
    const extra: Record<string, string[]> = {};
    for (const [file, row] of table) (extra[file] ??= []).push(row);
    const dir = planDir(extra);
    const book = await buildBook(loadPlan(join(dir, "plan.yaml")), opts);
    const got = texts(dir, book.problems);
    for (const [, , expected] of table) expect(got).toContain(expected);
    // the schedule of L1 also has the wrong number of installments
    expect(got).toContain("schedules.csv:4:2 (no): loan L1: 1 schedule rows, but the loan has 3 installments (scheduleSettings.repaymentInstallments)");
    expect(got.filter((g) => !table.some(([, , e]) => e === g))).toEqual([
      "schedules.csv:4:2 (no): loan L1: 1 schedule rows, but the loan has 3 installments (scheduleSettings.repaymentInstallments)",
    ]);
  });

  it("with skipInvalid, leaves out the units of invalid rows (and groups of invalid members)", async () => {
    const dir = planDir({ "clients.csv": ["C2,Juan,Perez,MALE,1975-06-01,MTY,2,,,"], "repayments.csv": ["R20,L3,2025-04-02,-1.00", "R21,L99,2025-04-02,1.00"] });
    const book = await buildBook(loadPlan(join(dir, "plan.yaml")), { ...opts, skipInvalid: true });
    expect(texts(dir, book.problems)).toEqual([
      'clients.csv:5:1 (id): client id "C2" appears twice (first at line 3)',
      'repayments.csv:5:4 (amount): amount: the amount must be positive, got "-1.00"',
      'repayments.csv:6:2 (loan): loan "L99" is not in the plan\'s loans',
    ]);
    expect(book.units.map((u) => u.key)).toEqual(["client:C1", "client:C3", "client:EXT1"]);
    expect(book.skipped.map((s) => s.unit ?? `rows ${s.rows.map((r) => `${r.file.split(`${dir}/`).join("")}:${r.line}`).join(",")}`).sort()).toEqual(["client:C2", "group:G1", "rows repayments.csv:6"].sort());
    expect(book.skipped.find((s) => s.unit === "group:G1")?.reasons.join()).toMatch(/R20|amount must be positive|depends on client C2/);
  });
});

describe("numbers a legacy export writes badly: a message at the cell, never a crash", () => {
  // every numeric kind of cell: native amounts, decimals and integers, custom NUMBER fields (standard
  // and grouped sets), schedule specials, transaction amounts; and a thousands separator left unquoted
  const broken: Array<[string, string, string]> = [
    ["loans.csv", "L30,C3,,FLAT-MICRO,08703.00,36,3,,,", 'loans.csv:6:5 (amount): loanAmount: "08703.00" has a leading zero (write 8703.00)'],
    ["loans.csv", "L31,C3,,FLAT-MICRO,1000.00,046,3,,,", 'loans.csv:7:6 (rate): interestSettings.interestRate: "046" has a leading zero (write 46)'],
    ["loans.csv", "L32,C3,,FLAT-MICRO,1000.00,36,03,,,", 'loans.csv:8:7 (n): scheduleSettings.repaymentInstallments: "03" has a leading zero (write 3)'],
    ["loans.csv", "L33,C3,,FLAT-MICRO,13,000.00,36,3,,,", 'loans.csv:9:5 (amount): expected 10 fields (as the header), got 11: "13,000.00" looks like a number with a thousands separator (write 13000.00, or quote the cell)'],
    ["loans.csv", "L34,C3,,FLAT-MICRO,1,234,567.00,36,3,,,", 'loans.csv:10:5 (amount): expected 10 fields (as the header), got 12: "1,234,567.00" looks like a number with a thousands separator (write 1234567.00, or quote the cell)'],
    ["loans.csv", "L35,C3,,FLAT-MICRO,-0.00,36,3,,,", "loans.csv:11:5 (amount): loanAmount must be positive, got -0.00"],
    ["clients.csv", "C40,Eva,Diaz,FEMALE,1978-01-01,CCAZ,a.alas,045,,", 'clients.csv:5:8 (age): _OtherDetails.Age: "045" has a leading zero (write 45)'],
    ["clients.csv", "C41,Eva,Diaz,FEMALE,1978-01-01,CCAZ,a.alas,,Land,0965000.50", 'clients.csv:6:10 (asset_value): _Assets[0].ASSETVALUE: "0965000.50" has a leading zero (write 965000.50)'],
    ["clients.csv", "C42,Eva,Diaz,FEMALE,19780101,CCAZ,a.alas,,,", 'clients.csv:7:5 (birth): birthDate: expected a date (YYYY-MM-DD), got a value withheld (personal data)'],
    ["schedules.csv", "L3,02,2025-05-01,01500.00", 'schedules.csv:4:2 (no): number: "02" has a leading zero (write 2)'],
    ["schedules.csv", "L3,3,2025-06-01,01500.00", 'schedules.csv:5:4 (principal): principal: "01500.00" has a leading zero (write 1500.00)'],
    ["repayments.csv", "R40,L1,2025-02-11,0500.00", 'repayments.csv:5:4 (amount): amount: "0500.00" has a leading zero (write 500.00)'],
    ["fees.csv", "L1,2025-03-05,,007.50", 'fees.csv:4:4 (amount): amount: "007.50" has a leading zero (write 7.50)'],
  ];

  it("reports each cell with file, line and column", async () => {
    const extra: Record<string, string[]> = {};
    for (const [file, row] of broken) (extra[file] ??= []).push(row);
    const dir = planDir(extra);
    const book = await buildBook(loadPlan(join(dir, "plan.yaml")), opts);
    const got = texts(dir, book.problems);
    for (const [, , expected] of broken) expect(got).toContain(expected);
    // the cells of a row split by an unquoted separator are not trusted: only the shape is reported
    expect(got.filter((g) => /^loans\.csv:(9|10):/.test(g))).toHaveLength(2);
  });

  it("with skipInvalid, leaves those units out and migrates the rest", async () => {
    const dir = planDir({ "loans.csv": ["L30,C3,,FLAT-MICRO,08703.00,046,3,,,"] });
    const book = await buildBook(loadPlan(join(dir, "plan.yaml")), { ...opts, skipInvalid: true });
    expect(texts(dir, book.problems)).toEqual([
      'loans.csv:6:5 (amount): loanAmount: "08703.00" has a leading zero (write 8703.00)',
      'loans.csv:6:6 (rate): interestSettings.interestRate: "046" has a leading zero (write 46)',
    ]);
    expect(book.units.map((u) => u.key)).toEqual(["client:C1", "client:C2", "client:EXT1", "group:G1"]);
  });

  it("reports every JSON lines row that is not JSON, with the column of the bad number", async () => {
    const plan = PLAN.replace("groups: { file: groups.csv }", "groups: { file: groups.jsonl }");
    const dir = planDir({}, plan);
    writeFileSync(
      join(dir, "groups.jsonl"),
      ['{"id":"G1","name":"Grupo","members":"C1;C2"}', '{"id":"G2","name":"Otro","members":"C3","score":046}', '{"id":"G3","name":"Mas","members":"C3","amount":13,000.00}', '{"id":"G4","name":"Fin","members":"C3","amount":08703.00}'].join("\n") + "\n",
    );
    const err = await buildBook(loadPlan(join(dir, "plan.yaml")), opts).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PlanError);
    expect(texts(dir, (err as PlanError).problems)).toEqual([
      "groups.jsonl:2:49: invalid JSON: the number 046 has a leading zero (write 46, or quote it: \"046\")",
      "groups.jsonl:3:49: invalid JSON: 13,000.00 looks like a number with a thousands separator (write 13000.00, or quote it)",
      "groups.jsonl:4:49: invalid JSON: the number 08703.00 has a leading zero (write 8703.00, or quote it: \"08703.00\")",
    ]);
  });
});

describe("plan-level problems", () => {
  it("lists unknown fields, custom fields the tenant lacks and missing columns at once", async () => {
    const plan = PLAN.replace("firstName: first", "firstname: first\n    _Nope.x: first\n    _OtherDetails.Height: first\n    _Assets.ASSETYPE: asset\n    middleName: middle");
    const dir = planDir({}, plan);
    const err = await buildBook(loadPlan(join(dir, "plan.yaml")), opts).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PlanError);
    const msgs = (err as PlanError).problems.map((p) => p.message);
    expect(msgs).toEqual(
      expect.arrayContaining([
        'mapping.clients.firstname: "firstname" is not a field of Client',
        "mapping.clients._Nope.x: the tenant has no custom field set _Nope for CLIENT (has: _OtherDetails, _Assets)",
        "mapping.clients._OtherDetails.Height: custom field set _OtherDetails has no field Height (has: Age, EmployerName)",
        "mapping.clients._Assets.ASSETYPE: _Assets is a grouped set: write _Assets[0].ASSETYPE",
        "mapping.clients.firstName: required by Client but not mapped",
      ]),
    );
    expect(texts(dir, (err as PlanError).problems)).toContain('clients.csv:1: column "middle" (mapping.clients) is not in the header');
  });

  it("checks the plan's structure before reading anything", () => {
    const dir = planDir();
    writeFileSync(join(dir, "bad.yaml"), "id: 'x y'\nsources: { clients: { file: nowhere.csv }, planets: { file: p.csv } }\nsteps: [client, fly]\nmapping: { clients: { firstName: 3 } }\nextra: 1\n");
    try {
      loadPlan(join(dir, "bad.yaml"));
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(PlanError);
      const msgs = (e as PlanError).problems.map((p) => p.message);
      expect(msgs).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^unknown key "extra"/),
          expect.stringMatching(/^id: expected an identifier/),
          expect.stringMatching(/^sources.clients.file: nowhere.csv does not exist/),
          expect.stringMatching(/^sources.planets: unknown source/),
          expect.stringMatching(/^steps: expected a list of client, group/),
          expect.stringMatching(/^mapping.clients.firstName: expected a column name or/),
          'mapping.clients: "id" must be mapped (ids come from the source)',
        ]),
      );
    }
  });
});
