/**
 * getConfiguration / putConfiguration against a mocked Mambu: the requests (path, Accept, Content-Type, body),
 * the YAML answers parsed with exact numbers, documents checked against their definition before anything is
 * sent (with line and column when they come as YAML), unknown names and unsafe YAML refused.
 */
import nock from "nock";
import { parse } from "yaml";
import {
  CONFIGURATION_NAMES, ConfigurationDocumentError, ConfigurationDocuments, Decimal, getConfiguration, MambuError, MambuTsError, putConfiguration, YamlDocumentError,
} from "../../lib";
import { parseConfigYaml, stringifyConfigYaml } from "../../lib/core/yaml-config";
import { capture, Captured, mambu, testConnector } from "../helpers/mambu";

const YAML_TYPE = { "Content-Type": "application/vnd.mambu.v2+yaml" };

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const BRANCHES = `branches:
- id: "MTY"
  name: "Monterrey"
  state: "ACTIVE"
  holidays:
  - id: 12
    name: "only maputo holiday day"
    dayOfMonth: 30
    monthOfYear: 7
    year: 2020
    isAnnuallyRecurring: true
`;

describe("getConfiguration", () => {
  test("GETs the YAML document with the YAML Accept header and parses it", async () => {
    const seen: Captured = {};
    mambu().get("/api/configuration/branches.yaml").reply(function (uri, body) {
      capture(seen, 200).call(this, uri, body);
      return [200, BRANCHES, YAML_TYPE];
    });
    const doc = await getConfiguration("branches", { connector: testConnector() });
    expect(seen.headers?.accept).toBe("application/vnd.mambu.v2+yaml");
    expect(doc).toEqual({
      branches: [{ id: "MTY", name: "Monterrey", state: "ACTIVE", holidays: [{ id: 12, name: "only maputo holiday day", dayOfMonth: 30, monthOfYear: 7, year: 2020, isAnnuallyRecurring: true }] }],
    });
  });

  test("decimal fields (and any fractional number) come back as Decimal with their digits; integers as numbers", async () => {
    const yaml = "customFieldSets:\n- id: _s\n  name: S\n  type: SINGLE\n  availableFor: GROUP\n  customFields:\n  - id: f\n    type: SELECTION\n    state: ACTIVE\n    displaySettings: {displayName: F, fieldSize: SHORT}\n    selectionOptions:\n    - availableOptions:\n      - {selectionId: '1', value: a, score: 0.10}\n      - {selectionId: '2', value: b, score: 12345678901234567890.5}\n      - {selectionId: '3', value: c, score: 3}\n";
    mambu().get("/api/configuration/customfields.yaml").query({ availableFor: ["GROUP", "CLIENT"] }).reply(200, yaml, YAML_TYPE);
    const doc = (await getConfiguration("customfields", { availableFor: ["GROUP", "CLIENT"], connector: testConnector() })) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const scores = doc.customFieldSets[0].customFields[0].selectionOptions[0].availableOptions.map((o: { score: unknown }) => o.score);
    expect(Decimal.isDecimal(scores[0])).toBe(true);
    expect(scores[0].toFixed()).toBe("0.1");
    expect(scores[1].toFixed()).toBe("12345678901234567890.5");
    expect(Decimal.isDecimal(scores[2]) && scores[2].toFixed()).toBe("3"); // score is a decimal field of the contract
    expect(doc.customFieldSets[0].customFields[0].selectionOptions[0].availableOptions[2].selectionId).toBe("3");
  });

  test("an unknown name is refused before any request, naming the known ones", async () => {
    await expect(getConfiguration("products" as never, { connector: testConnector() })).rejects.toThrow(
      new MambuTsError(`unknown configuration "products"; configurations: ${CONFIGURATION_NAMES.join(", ")}`),
    );
  });

  test("an alias bomb in an answer is refused, not expanded", async () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? "*a" : `*l${i - 1}`).join(", ")}]`);
    mambu().get("/api/configuration/organization.yaml").reply(200, levels.join("\n"), YAML_TYPE);
    await expect(getConfiguration("organization", { connector: testConnector() })).rejects.toThrow(/too many aliases/);
  });

  test("Mambu's error comes back typed", async () => {
    mambu()
      .get("/api/configuration/userroles.yaml")
      .reply(403, { errors: [{ errorCode: 15, errorSource: "not authorized", errorReason: "INVALID_PERMISSIONS" }] });
    const e = await getConfiguration("userroles", { connector: testConnector() }).catch((x) => x);
    expect(e).toBeInstanceOf(MambuError);
    expect([e.status, e.errorReason]).toEqual([403, "INVALID_PERMISSIONS"]);
  });
});

describe("putConfiguration", () => {
  test("PUTs an object as YAML with Content-Type application/yaml and returns Mambu's warnings", async () => {
    const seen: Captured = {};
    mambu()
      .put("/api/configuration/centres.yaml")
      .reply(function (uri, body) {
        capture(seen, 200).call(this, uri, body);
        return [200, "---\nwarnings:\n- \"Centre [id = DT1] could not be deleted and was deactivated\"\n", YAML_TYPE];
      });
    const doc: ConfigurationDocuments["centres"] = { centres: [{ id: "MP1", name: "Market Place", state: "ACTIVE", assignedBranchId: "2", meetingDay: "FRIDAY" }] };
    const result = await putConfiguration("centres", doc, { connector: testConnector() });
    expect(seen.headers?.["content-type"]).toBe("application/yaml");
    expect(seen.headers?.accept).toBe("application/vnd.mambu.v2+yaml");
    expect(parse(seen.body!)).toEqual(doc);
    expect(result.warnings).toEqual(["Centre [id = DT1] could not be deleted and was deactivated"]);
  });

  test("YAML text is sent as written (comments kept) once it validates", async () => {
    const seen: Captured = {};
    mambu().put("/api/configuration/authorizationholds.yaml").reply(function (uri, body) {
      capture(seen, 200).call(this, uri, body);
      return [200, "warnings: []\n", YAML_TYPE];
    });
    const text = "# hold expiries\ndefaultAuthorizationHold:\n  daysToExpiration: 7\nauthorizationHolds:\n- mcc: 123\n  daysToExpiration: 14\n";
    expect(await putConfiguration("authorizationholds", text, { connector: testConnector() })).toEqual({ warnings: [], answer: { warnings: [] } });
    expect(seen.body).toBe(text);
  });

  test("Decimals are written as plain numbers with every digit", () => {
    const text = stringifyConfigYaml({ score: new Decimal("12345678901234567890.10"), n: 3 });
    expect(text).toBe("score: 12345678901234567890.1\nn: 3\n");
    expect((parseConfigYaml(text) as { score: Decimal }).score.toFixed()).toBe("12345678901234567890.1");
  });

  test("a document that does not follow its definition is refused before sending, naming line and column", async () => {
    const text = "branches:\n  - id: MTY\n    name: Monterrey\n    state: OPEN\n";
    const e = await putConfiguration("branches", text, { connector: testConnector() }).catch((x) => x);
    expect(e).toBeInstanceOf(ConfigurationDocumentError);
    expect(e.problems).toEqual([{ message: expect.stringContaining("document.branches[0].state: expected one of ACTIVE, INACTIVE"), line: 4, column: 12 }]);
    expect(e.message).toContain("branches.yaml:4:12: document.branches[0].state");
    const obj = await putConfiguration("userroles", { roles: [{ id: "X" }] } as never, { connector: testConnector() }).catch((x) => x);
    expect(obj.problems.map((p: { message: string }) => p.message)).toEqual(["document.roles[0].name: required field is missing"]);
  });

  test("YAML that does not parse is refused with its line and column", async () => {
    const e = await putConfiguration("organization", "institutionName: A\ninstitutionName: B\n", { connector: testConnector() }).catch((x) => x);
    expect(e).toBeInstanceOf(YamlDocumentError);
    expect(e.problems[0]).toMatchObject({ line: 2, column: 1 });
    expect(e.message).toMatch(/^organization\.yaml:2:1: /);
  });

  test("an unknown name is refused", async () => {
    await expect(putConfiguration("loans" as never, {} as never, { connector: testConnector() })).rejects.toThrow('unknown configuration "loans"');
  });
});
