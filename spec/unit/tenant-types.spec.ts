/**
 * The text `mambu types` writes (renderTenantTypes): the edges a real tenant has — names that are
 * the entity's own, ids that are not identifiers, link fields in grouped sets, sets for records
 * without an entity class, prose that would close a comment.
 */
import * as ts from "typescript";
import { renderTenantTypes, SetDefinition } from "../../lib/cli/tenant-types";

const CLIENT = { name: "MambuClientCustomFields", taken: new Set(["id", "state", "refresh", "getAssignedBranch"]) };

function parses(text: string): string[] {
  const sf = ts.createSourceFile("t.d.ts", text, ts.ScriptTarget.ES2022, true);
  return ((sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
}

test("a field named like the entity's own field or method is left to its set, and listed", () => {
  const sets: SetDefinition[] = [{ id: "_Extra", availableFor: "CLIENT", fieldSetType: "STANDARD", fields: [{ id: "state", type: "FREE_TEXT" }, { id: "Nick", type: "FREE_TEXT" }] }];
  const text = renderTenantTypes(sets, { CLIENT: [CLIENT] });
  expect(text).toContain("get _Extra(): { Nick?: string; state?: string } | undefined;");
  expect(text).toContain("get Nick(): string | undefined;");
  expect(text).not.toContain("get state()");
  expect(text).toContain("//   MambuClientCustomFields: state (in _Extra)");
  expect(parses(text)).toEqual([]);
});

test("ids that are not identifiers are quoted; a grouped set gets its rows, its fields by row and its link getters by row", () => {
  const sets: SetDefinition[] = [{
    id: "_Refs", availableFor: "CLIENT", fieldSetType: "GROUPED", name: "References */ sneaky", description: "who\nvouches",
    fields: [{ id: "ref-name", type: "FREE_TEXT" }, { id: "RefOfficer", type: "USER_LINK" }, { id: "Since", type: "DATE" }, { id: "Ok", type: "CHECKBOX" }],
  }];
  const text = renderTenantTypes(sets, { CLIENT: [CLIENT] });
  expect(text).toContain('import type { Chain, DateTime, MambuUser } from "mambu-ts";');
  expect(text).toContain('get Refs(): Array<{ Ok?: boolean; RefOfficer?: string; Since?: DateTime; "ref-name"?: string }> | undefined;');
  expect(text).toContain('set _Refs(value: Array<{ Ok?: boolean | "TRUE" | "FALSE"; RefOfficer?: string; Since?: DateTime | string; "ref-name"?: string }> | undefined);');
  expect(text).toContain("[row: `ref-name_${number}`]: string | undefined;");
  expect(text).toContain("[row: `Since_${number}`]: DateTime | undefined;");
  expect(text).toContain("getRefOfficer(row: number): Chain<MambuUser>;");
  expect(text).not.toContain("*/ sneaky");
  expect(parses(text)).toEqual([]);
});

test("SELECTION is the union of its values (a string without any); sets for records without an entity are listed, untyped", () => {
  const sets: SetDefinition[] = [
    { id: "_G", availableFor: "GUARANTOR", fieldSetType: "STANDARD", fields: [{ id: "X", type: "FREE_TEXT" }] },
    { id: "_S", availableFor: "CLIENT", fieldSetType: "STANDARD", fields: [{ id: "Tier", type: "SELECTION", options: ["gold", "silver", "gold"] }, { id: "Free", type: "SELECTION", options: [] }] },
  ];
  const text = renderTenantTypes(sets, { CLIENT: [CLIENT] });
  expect(text).toContain('get Tier(): "gold" | "silver" | undefined;');
  expect(text).toContain("get Free(): string | undefined;");
  expect(text).toContain("// Sets on records mambu-ts has no entity for (not typed):\n//   _G (GUARANTOR)");
  expect(text).not.toContain("get X()");
  expect(text).toBe(renderTenantTypes([...sets].reverse(), { CLIENT: [CLIENT] })); // the same text whatever the order Mambu lists them in
});
