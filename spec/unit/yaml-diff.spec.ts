/**
 * The structural diff of configuration documents (`mambu config-as-code diff`): changed, added and removed
 * paths; list items matched by id (or the document's other key fields), not by position; scalar lists by value;
 * numbers by value (a Decimal equals a number of the same value); nothing for equal documents.
 */
import { parse } from "yaml";
import { Decimal } from "../../lib";
import { parseConfigYaml } from "../../lib/core/yaml-config";
import { diffDocuments, formatDiff, showValue } from "../../lib/cli/yaml-diff";

const BEFORE = parse(`
branches:
- id: CCAZ
  name: Centro Comercial AZ
  state: ACTIVE
- id: MTY
  name: Monterrey
  state: ACTIVE
  address: {city: Monterrey, country: Mexico}
`);

test("equal documents have no differences, whatever the order of keys", () => {
  const same = parse(`branches:\n- {state: ACTIVE, name: Centro Comercial AZ, id: CCAZ}\n- {id: MTY, state: ACTIVE, name: Monterrey, address: {country: Mexico, city: Monterrey}}\n`);
  expect(diffDocuments(BEFORE, same)).toEqual([]);
});

test("a changed field is named by the item's id, with the values before and after", () => {
  const after = structuredClone(BEFORE);
  after.branches[1].name = "Monterrey Centro";
  expect(formatDiff(diffDocuments(BEFORE, after))).toEqual(['~ branches[id=MTY].name: "Monterrey" → "Monterrey Centro"']);
});

test("items are matched by id, not by position: a new item first is one addition, not a cascade of changes", () => {
  const after = structuredClone(BEFORE);
  after.branches.unshift({ id: "GDL", name: "Guadalajara", state: "ACTIVE" });
  after.branches.splice(1, 1); // CCAZ removed
  after.branches[1].address.city = "San Pedro";
  expect(formatDiff(diffDocuments(BEFORE, after))).toEqual([
    '- branches[id=CCAZ]: {"id":"CCAZ","name":"Centro Comercial AZ","state":"ACTIVE"}',
    '~ branches[id=MTY].address.city: "Monterrey" → "San Pedro"',
    '+ branches[id=GDL]: {"id":"GDL","name":"Guadalajara","state":"ACTIVE"}',
  ]);
});

test("added and removed fields; other key fields (customFieldId, index) identify items without an id", () => {
  const before = parse(`centres:\n- id: T1\n  name: T\n  state: ACTIVE\n  notes: old\n  customFieldValueSets:\n  - id: _s\n    standardCustomFieldValues:\n    - {customFieldId: a, value: "1"}\n    - {customFieldId: b, value: "2"}\n`);
  const after = parse(`centres:\n- id: T1\n  name: T\n  state: ACTIVE\n  meetingDay: FRIDAY\n  customFieldValueSets:\n  - id: _s\n    standardCustomFieldValues:\n    - {customFieldId: b, value: "3"}\n    - {customFieldId: a, value: "1"}\n`);
  expect(formatDiff(diffDocuments(before, after))).toEqual([
    '- centres[id=T1].notes: "old"',
    '~ centres[id=T1].customFieldValueSets[id=_s].standardCustomFieldValues[customFieldId=b].value: "2" → "3"',
    '+ centres[id=T1].meetingDay: "FRIDAY"',
  ]);
});

test("lists of scalars compare by value: an added permission is one line; a reorder is one change", () => {
  const before = { roles: [{ id: "CO", permissions: ["VIEW_CLIENT_DETAILS", "CREATE_CLIENT"] }] };
  const added = { roles: [{ id: "CO", permissions: ["MAKE_DEPOSIT", "VIEW_CLIENT_DETAILS", "CREATE_CLIENT"] }] };
  expect(formatDiff(diffDocuments(before, added))).toEqual(['+ roles[id=CO].permissions[]: "MAKE_DEPOSIT"']);
  const reordered = { roles: [{ id: "CO", permissions: ["CREATE_CLIENT", "VIEW_CLIENT_DETAILS"] }] };
  expect(diffDocuments(before, reordered)).toEqual([
    { kind: "changed", path: "roles[id=CO].permissions", before: before.roles[0].permissions, after: reordered.roles[0].permissions },
  ]);
});

test("lists without a key field compare by position", () => {
  expect(formatDiff(diffDocuments({ xs: [{ a: 1 }, { a: 2 }] }, { xs: [{ a: 1 }, { a: 3 }, { a: 4 }] }))).toEqual(["~ xs[1].a: 2 → 3", '+ xs[2]: {"a":4}']);
});

test("numbers compare by value and exactly: 0.10 equals 0.1, 0.1000000000000000001 does not", () => {
  const a = parseConfigYaml("score: 0.10\nn: 7\n");
  expect(diffDocuments(a, parseConfigYaml("score: 0.1\nn: 7.0\n"))).toEqual([]);
  const entries = diffDocuments(a, parseConfigYaml("score: 0.1000000000000000001\nn: 7\n"));
  expect(formatDiff(entries)).toEqual(["~ score: 0.1 → 0.1000000000000000001"]);
  expect(diffDocuments({ x: new Decimal("2") }, { x: 2 })).toEqual([]);
});

test("a type change is a change; ids that are not plain words are quoted", () => {
  expect(formatDiff(diffDocuments({ a: "1" }, { a: 1 }))).toEqual(['~ a: "1" → 1']);
  expect(formatDiff(diffDocuments({ bs: [{ id: "a b", v: 1 }] }, { bs: [{ id: "a b", v: 2 }] }))).toEqual(['~ bs[id="a b"].v: 1 → 2']);
});

test("long values are cut", () => {
  expect(showValue("x".repeat(500))).toHaveLength(160);
});
