/**
 * The catalogue end to end against the embedded sandbox (127.0.0.1, demo tenant): relations, roles,
 * tasks, custom field definitions and link fields, documents (the multipart body as the sandbox
 * parses it), comments and reassignment — the same calls as the nock specs, against a server that
 * checks requests as Mambu would.
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import {
  clearCustomFieldDefinitions, clearCustomFieldTypes, Decimal, loadCustomFieldDefinitions, MambuBranch, MambuCentre, MambuClient,
  MambuConnector, MambuCustomFieldSet, MambuGroup, MambuRole, MambuTask, MambuUser,
} from "../../lib";
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { demoConnector } from "../helpers/sandbox-connector";

let sandbox: Sandbox;
let conn: MambuConnector;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  conn = demoConnector(sandbox);
  dir = mkdtempSync(join(tmpdir(), "mambu-ts-sandbox-docs-"));
});
afterAll(async () => {
  conn.close();
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
  clearCustomFieldDefinitions();
  clearCustomFieldTypes();
});

test("relations: groups of a client, members of a group, a user's role, a task's link", async () => {
  const group = await MambuGroup.get("24G23446", { detailsLevel: "FULL", connector: conn });
  const members = await group.getMembers();
  expect(members.map((c) => c.id)).toEqual(["0512N0025", "0512N0026", "0512N0027"]);
  const created = await new MambuGroup({
    groupName: "Tejedoras", assignedBranchKey: members[0].assignedBranchKey, groupMembers: [{ clientKey: members[0].encodedKey }],
  }).create({ connector: conn });
  const groups = await (await MambuClient.get("0512N0025", { connector: conn })).getGroups();
  expect(groups.map((g) => g.id)).toContain(created.id);

  const user = await MambuUser.get("a.alas", { detailsLevel: "FULL", connector: conn });
  expect(await user.getRole()).toBeInstanceOf(MambuRole);
  expect((user.role as MambuRole).id).toBe("CO");
  expect((await MambuUser.getAll({ filters: { branchId: "CCAZ" }, branchIdType: "MANAGE", connector: conn })).map((u) => u.username)).toContain("a.alas");

  const [task] = await MambuTask.getAll({ filters: { username: "a.alas", status: "OPEN" }, connector: conn });
  expect(await task.getTaskLink()).toBeInstanceOf(MambuClient);
  const centre = await MambuCentre.get("TribeAZ-1", { connector: conn });
  expect((await centre.getAssignedBranch()).id).toBe("CCAZ");
});

test("custom field definitions and a CLIENT_LINK field", async () => {
  const sets = await MambuCustomFieldSet.getAll({ availableFor: "CLIENT", connector: conn });
  expect(sets.map((s) => s.id)).toEqual(expect.arrayContaining(["_OtherDetails", "_Assets", "_Guarantor"]));
  await loadCustomFieldDefinitions({ connector: conn });
  const josefa = await MambuClient.get("0512N0025", { detailsLevel: "FULL", connector: conn });
  expect(Decimal.isDecimal(josefa.Age)).toBe(true);
  const other = await MambuClient.get("24N12345", { connector: conn });
  josefa.GuarantorClient = other.encodedKey;
  await josefa.patch();
  const again = await MambuClient.get("0512N0025", { detailsLevel: "FULL", connector: conn });
  const guarantor = await (again.getGuarantorClient as () => PromiseLike<MambuClient>)();
  expect(guarantor.id).toBe("24N12345");
});

test("documents: attach, list, download, delete by name", async () => {
  const client = await MambuClient.get("0512N0025", { connector: conn });
  const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 255, 13, 10, 45, 45, 200]);
  writeFileSync(join(dir, "contract.pdf"), bytes);
  const doc = await client.attachDocument(join(dir, "contract.pdf"), { title: "Contrato firmado", notes: "línea 1\r\nlínea 2" });
  expect([doc.name, doc.fileName, doc.notes, doc.fileSize]).toEqual(["Contrato firmado", "contract.pdf", "línea 1\r\nlínea 2", bytes.length]);
  const docs = await client.getAttachmentsMetadata();
  expect(docs.map((d) => d.name)).toContain("Contrato firmado");
  expect((await client.downloadAttachment({ documentName: "Contrato firmado" })).equals(bytes)).toBe(true);
  await client.deleteAttachment({ documentName: "Contrato firmado" });
  expect((await client.getAttachmentsMetadata()).map((d) => d.name)).not.toContain("Contrato firmado");
});

test("comments: read every page, post one", async () => {
  const client = await MambuClient.get("0512N0025", { connector: conn });
  const before = await client.getComments({});
  const created = await client.comment("Llamó para preguntar por un nuevo crédito");
  expect(created.ownerKey).toBe(client.encodedKey);
  expect((await client.getComments()).length).toBe(before.length + 1);
  const branch = await MambuBranch.get("MTY", { connector: conn });
  await branch.comment("Abre el sábado");
  expect((await branch.getComments()).map((c) => c.text)).toEqual(["Abre el sábado"]);
});

test("reassignment: a client to another branch and centre, then to another credit officer", async () => {
  const client = await MambuClient.get("24N12345", { connector: conn });
  await client.reassign({ centre: "TribeMTY-1", creditOfficer: null });
  const moved = await MambuClient.get("24N12345", { connector: conn });
  const mty = await MambuBranch.get("MTY", { connector: conn });
  expect([moved.assignedBranchKey, moved.assignedUserKey]).toEqual([mty.encodedKey, undefined]);
  await moved.reassign({ creditOfficer: "j.lopez" });
  expect((await MambuClient.get("24N12345", { connector: conn }).getAssignedUser()).username).toBe("j.lopez");
});
