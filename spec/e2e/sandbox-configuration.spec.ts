/**
 * Configuration as code in the sandbox: each `configuration/*.yaml` endpoint over HTTP — GET answers a YAML
 * document that follows its definition and says what the tenant has; PUT applies a document (creates, updates,
 * deletes or deactivates, as Mambu does) and the JSON API sees the change; a document that does not parse, does
 * not follow its definition, or is an alias bomb is refused with Mambu's error and changes nothing.
 */
import { parse } from "yaml";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { Answer, call, contractProblems as answerProblems } from "./sandbox-helpers";

const YAML_ACCEPT = "application/vnd.mambu.v2+yaml";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00-06:00" } });
});
afterAll(() => sb.stop());

/** GET of a document: YAML, parsed. */
async function getDoc(path: string): Promise<{ r: Answer; doc: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await call(sb, "GET", path, { headers: { Accept: YAML_ACCEPT } });
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toBe(YAML_ACCEPT);
  return { r, doc: parse(r.text) };
}

/** PUT of YAML text. */
async function putYaml(path: string, text: string): Promise<Answer> {
  return call(sb, "PUT", path, { raw: text, headers: { "Content-Type": "application/yaml", Accept: YAML_ACCEPT } });
}

/** Problems of a document against the 200 response schema of the GET operation. */
function contractProblems(resource: string, path: string, doc: unknown): string[] {
  return answerProblems("GET", path, 200, doc, { resource, strict: true });
}

describe("branches.yaml", () => {
  it("GET lists the branches by id with address, in the contract's shape", async () => {
    const { doc } = await getDoc("/configuration/branches.yaml");
    expect(contractProblems("configuration__branches.yaml", "/configuration/branches.yaml", doc)).toEqual([]);
    expect(doc.branches.map((b: { id: string }) => b.id)).toEqual(["CCAZ", "MTY"]);
    expect(doc.branches[1]).toEqual({
      id: "MTY",
      name: "Monterrey",
      state: "ACTIVE",
      phoneNumber: "+52 81 8765 4321",
      emailAddress: "mty@demo.invalid",
      address: { line1: "Calle Morelos 45", city: "Monterrey", postcode: "64000", country: "Mexico" },
    });
  });

  it("PUT updates, creates and deletes branches; the JSON API sees it", async () => {
    const { doc } = await getDoc("/configuration/branches.yaml");
    doc.branches[1].name = "Monterrey Centro";
    doc.branches[1].holidays = [{ id: 1, name: "Dia de la Independencia", dayOfMonth: 16, monthOfYear: 9, year: 2026, isAnnuallyRecurring: true }];
    doc.branches.push({ id: "TMP", name: "Temporary", state: "ACTIVE" });
    const put = await putYaml("/configuration/branches.yaml", `# edited\n${JSON.stringify(doc)}`);
    expect(put.status).toBe(200);
    expect(parse(put.text)).toEqual({ warnings: [] });
    const mty = await call(sb, "GET", "/branches/MTY?detailsLevel=FULL");
    expect(mty.body.name).toBe("Monterrey Centro");
    expect(mty.body.branchHolidays).toEqual([expect.objectContaining({ id: 1, name: "Dia de la Independencia", date: "2026-09-16", isAnnuallyRecurring: true })]);
    expect((await call(sb, "GET", "/branches/TMP")).status).toBe(200);

    doc.branches.pop(); // TMP has nothing assigned: deleted
    expect((await putYaml("/configuration/branches.yaml", JSON.stringify(doc))).status).toBe(200);
    expect((await call(sb, "GET", "/branches/TMP")).status).toBe(404);
    const again = (await getDoc("/configuration/branches.yaml")).doc;
    expect(again).toEqual(doc);
  });

  it("a branch left out that an active centre uses is refused (CANNOT_DEACTIVATE_BRANCH), nothing changed", async () => {
    const { doc } = await getDoc("/configuration/branches.yaml");
    const put = await putYaml("/configuration/branches.yaml", `branches:\n  - id: MTY\n    name: Only Monterrey\n    state: ACTIVE\n`);
    expect(put.status).toBe(400);
    expect(put.body.errors[0].errorReason).toBe("CANNOT_DEACTIVATE_BRANCH");
    expect(put.body.errors[0].errorSource).toMatch(/CCAZ.*TribeAZ-1/);
    expect((await getDoc("/configuration/branches.yaml")).doc).toEqual(doc);
  });

  it("refuses duplicate ids and an empty document", async () => {
    const dup = await putYaml("/configuration/branches.yaml", "branches:\n- {id: A, name: A, state: ACTIVE}\n- {id: A, name: B, state: ACTIVE}\n");
    expect(dup.body.errors[0].errorReason).toBe("DUPLICATE_BRANCH_ID");
    const empty = await putYaml("/configuration/branches.yaml", "branches: []\n");
    expect(empty.body.errors[0].errorReason).toBe("BRANCHES_CONFIGURATION_EMPTY");
  });
});

describe("centres.yaml", () => {
  it("GET names each centre's branch by id; PUT deactivates a centre in use that the document leaves out", async () => {
    const { doc } = await getDoc("/configuration/centres.yaml");
    expect(contractProblems("configuration__centres.yaml", "/configuration/centres.yaml", doc)).toEqual([]);
    expect(doc.centres).toEqual([
      { id: "TribeAZ-1", name: "Tribe AZ 1", state: "ACTIVE", meetingDay: "MONDAY", assignedBranchId: "CCAZ" },
      { id: "TribeMTY-1", name: "Tribe Monterrey 1", state: "ACTIVE", meetingDay: "THURSDAY", assignedBranchId: "MTY" },
    ]);
    const put = await putYaml(
      "/configuration/centres.yaml",
      "centres:\n- id: TribeAZ-1\n  name: Tribe AZ Uno\n  state: ACTIVE\n  meetingDay: FRIDAY\n  assignedBranchId: CCAZ\n- id: NEW-1\n  name: Nuevo\n  state: ACTIVE\n  assignedBranchId: MTY\n",
    );
    expect(put.status).toBe(200);
    expect(parse(put.text)).toEqual({ warnings: ["Centre [id = TribeMTY-1] could not be deleted and was deactivated"] });
    const mty = await call(sb, "GET", "/centres/TribeMTY-1");
    expect(mty.body.state).toBe("INACTIVE");
    const az = await call(sb, "GET", "/centres/TribeAZ-1");
    expect([az.body.name, az.body.meetingDay]).toEqual(["Tribe AZ Uno", "FRIDAY"]);
    const created = await call(sb, "GET", "/centres/NEW-1");
    const branch = await call(sb, "GET", "/branches/MTY");
    expect(created.body.assignedBranchKey).toBe(branch.body.encodedKey);
  });

  it("refuses a centre of a branch that does not exist", async () => {
    const put = await putYaml("/configuration/centres.yaml", "centres:\n- {id: X, name: X, state: ACTIVE, assignedBranchId: NOPE}\n");
    expect(put.status).toBe(400);
    expect(put.body.errors[0].errorReason).toBe("BRANCH_DOES_NOT_EXIST");
  });
});

describe("customfields.yaml", () => {
  it("GET lists sets with their fields; availableFor keeps those entity types; the template is a valid document", async () => {
    const { doc } = await getDoc("/configuration/customfields.yaml");
    expect(contractProblems("configuration__customfields", "/configuration/customfields.yaml", doc)).toEqual([]);
    const assets = doc.customFieldSets.find((s: { id: string }) => s.id === "_Assets");
    expect(assets).toMatchObject({ name: "Assets", type: "GROUPED", availableFor: "CLIENT" });
    expect(assets.customFields.map((f: { id: string }) => f.id)).toEqual(["ASSETYPE", "ASSETAGE", "ASSETVALUE"]);
    const groups = (await getDoc("/configuration/customfields.yaml?availableFor=GROUP")).doc;
    expect(groups.customFieldSets.map((s: { id: string }) => s.id)).toEqual(["_group_details"]);
    expect(groups.customFieldSets[0].customFields[0].selectionOptions[0].availableOptions[0]).toEqual({ selectionId: "1", value: "agriculture", score: 1 });
    const template = (await getDoc("/configuration/customfields/template.yaml")).doc;
    expect(contractProblems("configuration__customfields", "/configuration/customfields/template.yaml", template)).toEqual([]);
  });

  it("PUT renames a field and adds a set; /customfieldsets and /customfields see them", async () => {
    const { doc } = await getDoc("/configuration/customfields.yaml");
    const age = doc.customFieldSets.find((s: { id: string }) => s.id === "_OtherDetails").customFields.find((f: { id: string }) => f.id === "Age");
    age.displaySettings.displayName = "Edad";
    doc.customFieldSets.push({
      id: "_branch_extra",
      name: "Branch extra",
      type: "SINGLE",
      availableFor: "BRANCH",
      customFields: [{ id: "region_code", type: "FREE_TEXT", state: "ACTIVE", displaySettings: { displayName: "Region code", fieldSize: "SHORT" } }],
    });
    const put = await putYaml("/configuration/customfields.yaml", JSON.stringify(doc));
    expect(put.status).toBe(200);
    expect((await call(sb, "GET", "/customfields/Age")).body.displaySettings.displayName).toBe("Edad");
    const sets = await call(sb, "GET", "/customfieldsets?availableFor=BRANCH");
    const set = { body: sets.body.find((s: { id: string }) => s.id === "_branch_extra") };
    expect(set.body).toMatchObject({ availableFor: "BRANCH", fieldSetType: "STANDARD", displaySettings: { displayName: "Branch extra" } });
    // a branch's values now follow the new set: an unknown field is refused, a known one kept
    const branches = (await getDoc("/configuration/branches.yaml")).doc;
    branches.branches[0].customFieldValueSets = [{ id: "_branch_extra", standardCustomFieldValues: [{ customFieldId: "nope", value: "x" }] }];
    const refused = await putYaml("/configuration/branches.yaml", JSON.stringify(branches));
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].errorSource).toContain("_branch_extra.nope");
    branches.branches[0].customFieldValueSets = [{ id: "_branch_extra", standardCustomFieldValues: [{ customFieldId: "region_code", value: "CDMX" }] }];
    expect((await putYaml("/configuration/branches.yaml", JSON.stringify(branches))).status).toBe(200);
    expect((await getDoc("/configuration/branches.yaml")).doc).toEqual(branches);
    expect((await call(sb, "GET", "/branches/CCAZ?detailsLevel=FULL")).body._branch_extra).toEqual({ region_code: "CDMX" });
    // sets come back ordered by id (code point order)
    doc.customFieldSets.sort((a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1));
    expect((await getDoc("/configuration/customfields.yaml")).doc).toEqual(doc);
  });
});

describe("organization.yaml and userroles.yaml", () => {
  it("organization: GET, PUT answers the new document", async () => {
    const { doc } = await getDoc("/configuration/organization.yaml");
    expect(contractProblems("configuration__organization", "/configuration/organization.yaml", doc)).toEqual([]);
    doc.institutionName = "Banco Demo";
    doc.decimalSeparator = "COMMA";
    const put = await putYaml("/configuration/organization.yaml", JSON.stringify(doc));
    expect(put.status).toBe(200);
    expect(parse(put.text)).toEqual(doc);
    expect((await getDoc("/configuration/organization.yaml")).doc).toEqual(doc);
    const setup = await call(sb, "GET", "/setup/organization");
    expect([setup.body.institutionName, setup.body.decimalSeparator]).toEqual(["Banco Demo", "COMMA"]);
    const bad = await putYaml("/configuration/organization.yaml", JSON.stringify({ ...doc, decimalSeparator: "SPACE" }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ errorReason: "INVALID_PARAMETERS", errorSource: expect.stringContaining("decimalSeparator") });
  });

  it("userroles: GET maps access flags; PUT adds a role; removing a role users have is ROLE_IN_USE", async () => {
    const { doc } = await getDoc("/configuration/userroles.yaml");
    expect(contractProblems("configuration__userroles", "/configuration/userroles.yaml", doc)).toEqual([]);
    expect(doc.roles.find((r: { id: string }) => r.id === "CO")).toMatchObject({ creditOfficer: true, administrator: false, accessRights: ["MAMBU", "APIS"] });
    doc.roles.push({ id: "TELLER", name: "Teller", teller: true, accessRights: ["MAMBU"], permissions: ["MAKE_DEPOSIT", "MAKE_WITHDRAWAL"] });
    expect((await putYaml("/configuration/userroles.yaml", JSON.stringify(doc))).status).toBe(200);
    const teller = await call(sb, "GET", "/userroles/TELLER");
    expect(teller.body.access).toMatchObject({ tellerAccess: true, mambuAccess: true, apiAccess: false, permissions: ["MAKE_DEPOSIT", "MAKE_WITHDRAWAL"] });
    const inUse = await putYaml("/configuration/userroles.yaml", JSON.stringify({ roles: doc.roles.filter((r: { id: string }) => r.id !== "CO") }));
    expect(inUse.status).toBe(400);
    expect(inUse.body.errors[0].errorReason).toBe("ROLE_IN_USE");
    expect((await call(sb, "GET", "/userroles/CO")).status).toBe(200);
  });
});

describe("authorizationholds.yaml and accountingrules.yaml (newer than the Swagger files)", () => {
  it("authorization holds: default 7 days; PUT the reference's example; a non-positive expiry is refused", async () => {
    expect((await getDoc("/configuration/authorizationholds.yaml")).doc).toEqual({ defaultAuthorizationHold: { daysToExpiration: 7 }, authorizationHolds: [] });
    const example = [
      "---",
      "defaultAuthorizationHold:",
      "  daysToExpiration: 7",
      "authorizationHolds:",
      "- mcc: 123",
      "  daysToExpiration: 14",
      '  description: "bullseye brand - contractually agreed expiration"',
      "- mcc: 456",
      "  daysToExpiration: 1",
      "  description: \"widgets'r'us - short expiration\"",
      "",
    ].join("\n");
    const put = await putYaml("/configuration/authorizationholds.yaml", example);
    expect(put.status).toBe(200);
    const { doc } = await getDoc("/configuration/authorizationholds.yaml");
    expect(doc).toEqual(parse(example));
    expect(contractProblems("configuration__authorizationholds.yaml", "/configuration/authorizationholds.yaml", doc)).toEqual([]);
    const bad = await putYaml("/configuration/authorizationholds.yaml", "defaultAuthorizationHold:\n  daysToExpiration: 0\n");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ errorCode: 9957, errorReason: "INVALID_DAYS_TO_EXPIRE_FOR_AUTHORIZATION_HOLD" });
    expect((await getDoc("/configuration/authorizationholds.yaml")).doc).toEqual(doc);
  });

  it("accounting rules: PUT a custom inter-branch rule, GET it back; an unknown branch is refused", async () => {
    const gls = await call(sb, "GET", "/glaccounts?type=ASSET&limit=1000");
    const detail = Array.isArray(gls.body) ? gls.body.find((g: { usage?: string }) => g.usage === "DETAIL") : undefined;
    const code = detail ? String(detail.glCode) : "1100";
    const text = `defaultGlCode: "${code}"\nautomatedAccountingClosuresInterval: 7\ncustomRules:\n  - id: r1\n    leftBranchId: CCAZ\n    rightBranchId: MTY\n    glCode: "${code}"\n`;
    const put = await putYaml("/configuration/accountingrules.yaml", text);
    expect(put.status).toBe(200);
    const { doc } = await getDoc("/configuration/accountingrules.yaml");
    expect(doc).toEqual(parse(text));
    expect(contractProblems("configuration__accountingrules.yaml", "/configuration/accountingrules.yaml", doc)).toEqual([]);
    const bad = await putYaml("/configuration/accountingrules.yaml", text.replace("rightBranchId: MTY", "rightBranchId: NOPE"));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].errorSource).toContain("NOPE");
    expect(detail).toBeDefined(); // the demo tenant has a chart of accounts
    const noGl = await putYaml("/configuration/accountingrules.yaml", text.replace(`glCode: "${code}"`, 'glCode: "99999"'));
    expect(noGl.status).toBe(400);
    expect(noGl.body.errors[0]).toMatchObject({ errorReason: "INVALID_GL_ACCOUNT_ID", errorSource: expect.stringContaining("99999") });
    expect((await getDoc("/configuration/accountingrules.yaml")).doc).toEqual(doc);
  });
});

describe("documents that are refused before anything changes", () => {
  it("YAML that does not parse: 400 INVALID_YAML_SYNTAX (10000) with line and column", async () => {
    const put = await putYaml("/configuration/branches.yaml", "branches:\n  - id: MTY\n    name: [unclosed\n    state: ACTIVE\n");
    expect(put.status).toBe(400);
    expect(put.body.errors[0]).toMatchObject({ errorCode: 10000, errorReason: "INVALID_YAML_SYNTAX" });
    expect(put.body.errors[0].errorSource).toMatch(/line \d+, column \d+/);
  });

  it("a duplicate key does not parse", async () => {
    const put = await putYaml("/configuration/organization.yaml", "institutionName: A\ninstitutionName: B\n");
    expect(put.body.errors[0].errorReason).toBe("INVALID_YAML_SYNTAX");
  });

  it("a document that does not follow its definition: 400 INVALID_PARAMETERS naming the field", async () => {
    const put = await putYaml("/configuration/branches.yaml", "branches:\n  - id: MTY\n    name: Monterrey\n    state: OPEN\n");
    expect(put.status).toBe(400);
    expect(put.body.errors[0].errorReason).toBe("INVALID_PARAMETERS");
    expect(put.body.errors[0].errorSource).toContain("document.branches[0].state");
    const unknown = await putYaml("/configuration/userroles.yaml", "roles:\n  - id: X\n    name: X\n    superpowers: true\n");
    expect(unknown.body.errors[0].errorSource).toContain("superpowers");
  });

  it("an alias bomb is refused, not expanded", async () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? "*a" : `*l${i - 1}`).join(", ")}]`);
    const put = await putYaml("/configuration/organization.yaml", `${levels.join("\n")}\n`);
    expect(put.status).toBe(400);
    expect(put.body.errors[0]).toMatchObject({ errorReason: "INVALID_YAML_SYNTAX", errorSource: expect.stringContaining("aliases") });
  });

  it("an Idempotency-Key replays the same document's answer and refuses another document (422)", async () => {
    const key = "5b0c7a4e-8f1d-4c3b-9a2e-6d7f8e9a0b1c";
    const headers = { "Content-Type": "application/yaml", Accept: YAML_ACCEPT, "Idempotency-Key": key };
    const doc = "defaultAuthorizationHold:\n  daysToExpiration: 9\n";
    const first = await call(sb, "PUT", "/configuration/authorizationholds.yaml", { raw: doc, headers });
    const again = await call(sb, "PUT", "/configuration/authorizationholds.yaml", { raw: doc, headers });
    expect([first.status, again.status]).toEqual([200, 200]);
    const other = await call(sb, "PUT", "/configuration/authorizationholds.yaml", { raw: doc.replace("9", "10"), headers });
    expect(other.status).toBe(422);
    expect((await getDoc("/configuration/authorizationholds.yaml")).doc.defaultAuthorizationHold).toEqual({ daysToExpiration: 9 });
  });

  it("a body that is not YAML at all (no body) is refused", async () => {
    const put = await putYaml("/configuration/centres.yaml", "");
    expect(put.body.errors[0].errorReason).toBe("INVALID_YAML_SYNTAX");
  });
});
