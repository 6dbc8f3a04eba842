/**
 * Documents attached to entities: upload (multipart/form-data `POST /documents`, every part checked
 * against the Swagger operation and the bytes of the file kept exactly), metadata (paginated),
 * download (bytes), delete by id or by name (checked to belong to the entity). A file that cannot be
 * read, a forbidden name or a type Mambu refuses fails before any request.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync, mkdirSync } from "fs";
import { createServer, IncomingMessage, Server } from "http";
import { AddressInfo } from "net";
import nock from "nock";
import { tmpdir } from "os";
import { join } from "path";
import {
  DateTime, DOCUMENT_EXTENSIONS, MambuBranch, MambuClient, MambuConnector, MambuDeposit, MambuDepositProduct, MambuDocument, MambuGroup,
  MambuLoan, MambuProduct, MambuTsError, MambuUser,
} from "../../lib";
import { definition, findOperation, validateAgainst } from "../../lib/contract/schema";
import { parseMultipart } from "../../lib/sandbox/documents";
import { fixture, fixtureJson, mambu, testConnector } from "../helpers/mambu";

type Bag = Record<string, unknown>;
const CLIENT_KEY = "8a099a673f1f25a0013f1fd0a1c318a5";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** One request seen by the raw server, its body as bytes. */
interface Raw { method: string; url: string; headers: IncomingMessage["headers"]; body: Buffer }

/** A loopback server that keeps request bodies as bytes (binary files must arrive unchanged). */
async function rawServer(handler: (req: Raw, n: number) => [number, unknown?]): Promise<{ requests: Raw[]; connector: MambuConnector; close(): Promise<void> }> {
  const requests: Raw[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Raw = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(r);
      const [status, body] = handler(r, requests.length);
      res.writeHead(status, { "content-type": "application/vnd.mambu.v2+json" });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    requests,
    connector: testConnector({ apiurl: url }),
    close: () => new Promise<void>((ok) => { server.close(() => ok()); server.closeAllConnections(); }),
  };
}

let dir: string;
let server: Awaited<ReturnType<typeof rawServer>> | undefined;
let seen: { method: string; path: string; accept?: string }[] = [];

function tenant(): nock.Scope {
  const scope = mambu();
  scope.on("request", (req: { method: string; path: string; headers: Record<string, string> }) => seen.push({ method: req.method, path: req.path, accept: req.headers.accept }));
  return scope;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mambu-ts-docs-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  await server?.close();
  server = undefined;
  const requests = seen;
  seen = [];
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  for (const r of requests) {
    const m = findOperation(r.method, r.path);
    expect([r.method, r.path, m !== undefined]).toEqual([r.method, r.path, true]);
    for (const [name, value] of new URL(r.path, "http://x").searchParams) {
      const q = m!.op.query.find((x) => x.name === name);
      expect([name, q !== undefined]).toEqual([name, true]);
      if (q?.enum) expect(q.enum).toContain(value);
    }
    for (const q of m!.op.query) if (q.required) expect(new URL(r.path, "http://x").searchParams.has(q.name)).toBe(true);
  }
});

const createdDoc = (over: Bag = {}): Bag => ({ ...fixtureJson<Bag[]>("documents-metadata.json")[0], ...over });
const readClient = (connector: MambuConnector = testConnector()): MambuClient => MambuClient.fromWire(fixtureJson("client-full.json"), connector);

/** The upload is the documented operation and its parts are the documented form fields. */
function expectUpload(r: Raw): ReturnType<typeof parseMultipart> {
  expect([r.method, r.url]).toEqual(["POST", "/api/documents"]);
  const op = findOperation("POST", r.url)!.op;
  expect(op.consumes).toContain("multipart/form-data");
  const ctype = String(r.headers["content-type"]);
  expect(ctype).toMatch(/^multipart\/form-data; boundary=[\w-]+$/);
  expect(String(r.headers["idempotency-key"])).toMatch(UUID_V4);
  expect(r.headers.accept).toBe("application/vnd.mambu.v2+json");
  expect(String(r.headers["content-length"])).toBe(String(r.body.length));
  const parts = parseMultipart(r.body, ctype);
  const names = (op.formData ?? []).map((f) => f.name);
  for (const k of [...Object.keys(parts.fields), ...Object.keys(parts.files)]) expect(names).toContain(k);
  for (const f of op.formData ?? []) if (f.required) expect(Object.keys(parts.files).concat(Object.keys(parts.fields))).toContain(f.name);
  expect(definition("documents", "Document").fields.ownerType.enum).toContain(parts.fields.ownerType);
  return parts;
}

describe("attachDocument", () => {
  test("uploads the file's exact bytes with ownerType, id, name (title) and notes; returns the metadata", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i)); // every byte value, CR/LF and "--" included
    const path = join(dir, "contract.pdf");
    writeFileSync(path, Buffer.concat([Buffer.from("%PDF-1.4\r\n--\r\n"), bytes]));
    server = await rawServer(() => [201, createdDoc()]);
    const client = readClient(server.connector);
    const doc = await client.attachDocument(path, { title: "Signed contract", notes: "Firmado el 1 de abril; \"original\"\r\nsegunda línea" });

    const parts = expectUpload(server.requests[0]);
    expect(parts.fields).toEqual({
      ownerType: "CLIENT", id: CLIENT_KEY, name: "Signed contract", notes: "Firmado el 1 de abril; \"original\"\r\nsegunda línea",
    });
    expect(parts.files.file.filename).toBe("contract.pdf");
    expect(parts.files.file.contentType).toBe("application/pdf");
    expect(parts.files.file.data.equals(Buffer.concat([Buffer.from("%PDF-1.4\r\n--\r\n"), bytes]))).toBe(true);

    expect(doc).toBeInstanceOf(MambuDocument);
    expect(validateAgainst("documents", { type: "object", ref: "Document" }, doc.toJSON())).toEqual([]);
    expect([doc.id, doc.name, doc.fileName, doc.ownerType]).toEqual([101, "contract", "contract.pdf", "CLIENT"]);
    expect(DateTime.isDateTime(doc.creationDate)).toBe(true);
  });

  test("without a title the file name's stem is sent; no notes part without notes; bytes given directly", async () => {
    server = await rawServer(() => [201, createdDoc({ name: "ine", fileName: "ine.png" })]);
    const client = readClient(server.connector);
    await client.attachDocument({ fileName: "ine.png", data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) });
    const parts = expectUpload(server.requests[0]);
    expect(parts.fields).toEqual({ ownerType: "CLIENT", id: CLIENT_KEY, name: "ine" });
    expect(parts.files.file).toMatchObject({ filename: "ine.png", contentType: "image/png" });
    expect([...parts.files.file.data]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  test("a retried upload sends the same bytes and the same Idempotency-Key", async () => {
    writeFileSync(join(dir, "notes.txt"), "hola\n");
    server = await rawServer((_r, n) => (n === 1 ? [503, { errors: [{ errorCode: 0, errorReason: "SERVICE_UNAVAILABLE" }] }] : [201, createdDoc()]));
    await readClient(server.connector).attachDocument(join(dir, "notes.txt"));
    const [a, b] = server.requests;
    expect(b.body.equals(a.body)).toBe(true);
    expect(b.headers["idempotency-key"]).toBe(a.headers["idempotency-key"]);
  });

  test("a caller's idempotency key, other owners (ownerType per entity), and entity.attachments kept up to date", async () => {
    server = await rawServer(() => [201, createdDoc()]);
    const owners: [MambuGroup | MambuLoan | MambuUser | MambuProduct | MambuDeposit | MambuDepositProduct, string][] = [
      [MambuGroup.fromWire(fixtureJson("group-full.json"), server.connector), "GROUP"],
      [MambuLoan.fromWire(fixtureJson("loan-full.json"), server.connector), "LOAN_ACCOUNT"],
      [MambuDeposit.fromWire({ id: "D1", encodedKey: "8a0000000000000000000000000dep01" }, server.connector), "DEPOSIT_ACCOUNT"],
      [MambuUser.fromWire(fixtureJson("user-full.json"), server.connector), "USER"],
      [MambuProduct.fromWire({ id: "P1", encodedKey: "8a0000000000000000000000000prd01" }, server.connector), "LOAN_PRODUCT"],
      [MambuDepositProduct.fromWire({ id: "DP1", encodedKey: "8a0000000000000000000000000dpr01" }, server.connector), "SAVINGS_PRODUCT"],
    ];
    for (const [owner, type] of owners) {
      await owner.attachDocument({ fileName: "a.txt", data: Buffer.from("x") }, { idempotencyKey: "0b6a6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b" });
      const r = server.requests[server.requests.length - 1];
      expect(r.headers["idempotency-key"]).toBe("0b6a6f5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b");
      expect(expectUpload(r).fields).toMatchObject({ ownerType: type, id: (owner.toJSON() as Bag).encodedKey });
    }
  });

  describe("refused before any request", () => {
    const refusals: [string, string | { fileName: string; data: Buffer }, Bag, RegExp | string][] = [
      ["a missing file", "missing.pdf", {}, /cannot read ".*missing\.pdf" \(ENOENT\)/],
      ["a directory", "sub.pdf", {}, /is not a file/],
      ["path traversal", "../../etc/passwd.txt", {}, /climbs directories with "\.\."/],
      ["an empty path", "", {}, "the path is empty"],
      ["control characters in the path", "a\u0000b.pdf", {}, /contains control characters/],
      ["a name with a path", { fileName: "../x.pdf", data: Buffer.from("x") }, {}, /not allowed by Mambu/],
      ["a name with a backslash", { fileName: "a\\b.pdf", data: Buffer.from("x") }, {}, /not allowed by Mambu/],
      ["a forbidden character", { fileName: "con:tract.pdf", data: Buffer.from("x") }, {}, /not allowed by Mambu/],
      ["a quote", { fileName: 'a"b.pdf', data: Buffer.from("x") }, {}, /not allowed by Mambu/],
      ["a newline in the name", { fileName: "a\nb.pdf", data: Buffer.from("x") }, {}, /control characters/],
      ["an empty name", { fileName: "", data: Buffer.from("x") }, {}, "the file name is empty"],
      ["two periods", { fileName: "contract.v2.pdf", data: Buffer.from("x") }, {}, /exactly one period/],
      ["no extension", { fileName: "contract", data: Buffer.from("x") }, {}, /exactly one period/],
      ["only an extension", { fileName: ".pdf", data: Buffer.from("x") }, {}, /exactly one period/],
      ["an executable", { fileName: "setup.exe", data: Buffer.from("x") }, {}, /Mambu does not accept \.exe files/],
      ["a script", { fileName: "app.js", data: Buffer.from("x") }, {}, /Mambu does not accept \.js files/],
      ["php", { fileName: "x.php", data: Buffer.from("x") }, {}, /Mambu does not accept \.php files/],
      ["xhtml", { fileName: "x.xhtml", data: Buffer.from("x") }, {}, /Mambu does not accept \.xhtml files/],
      ["an empty file", { fileName: "empty.txt", data: Buffer.alloc(0) }, {}, /is empty \(Mambu refuses empty files\)/],
      ["a fileName option breaking the rules", "ok.txt", { fileName: "ok.sh" }, /\.sh files/],
      ["a title that is not text", { fileName: "a.txt", data: Buffer.from("x") }, { title: 5 }, "title must be a string"],
      ["an unknown option", { fileName: "a.txt", data: Buffer.from("x") }, { description: "x" }, /unknown option "description"/],
      ["not a file nor bytes", { fileName: "a.txt", data: "x" as unknown as Buffer }, {}, /give a file path, or \{ fileName, data: Buffer \}/],
    ];
    test.each(refusals)("%s", async (_what, source, opts, message) => {
      mkdirSync(join(dir, "sub.pdf"), { recursive: true });
      writeFileSync(join(dir, "ok.txt"), "ok");
      const src = typeof source === "string" && source !== "" && !source.startsWith("..") && !source.includes("\u0000") ? join(dir, source) : source;
      const client = readClient(); // no mock: a request would fail the test
      const err = await client.attachDocument(src, opts as never).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(MambuTsError);
      expect((err as Error).message).toMatch(message);
      expect(seen).toEqual([]);
    });

    test("a file over Mambu's 50 MB (checked from its size, not read)", async () => {
      const big = join(dir, "big.zip");
      writeFileSync(big, "");
      truncateSync(big, 50 * 1024 * 1024 + 1);
      await expect(readClient().attachDocument(big)).rejects.toThrow("is larger than Mambu's 50 MB limit");
    });

    test("an entity that takes no documents, or is not in Mambu yet", async () => {
      const branch = MambuBranch.fromWire(fixtureJson("branch.json"), testConnector());
      await expect(branch.attachDocument({ fileName: "a.txt", data: Buffer.from("x") })).rejects.toThrow("MambuBranch cannot have documents in Mambu");
      await expect(new MambuClient({ firstName: "X" }).attachDocument({ fileName: "a.txt", data: Buffer.from("x") })).rejects.toThrow("MambuClient has no id or encodedKey yet (create() it first)");
    });
  });

  test("the accepted extensions are Mambu's documented list", () => {
    for (const ext of ["pdf", "docx", "xlsx", "odt", "txt", "csv", "rtf", "jpg", "jpeg", "png", "gif", "tif", "tiff", "bmp", "zip", "json"]) expect(DOCUMENT_EXTENSIONS).toContain(ext);
    for (const ext of ["exe", "js", "jsp", "php", "swf", "xhtml", "sh", "bat"]) expect(DOCUMENT_EXTENSIONS).not.toContain(ext);
  });
});

describe("getAttachmentsMetadata", () => {
  test("GET /documents/documentsMetadata?entity=&ownerKey=, every page; awaited, also entity.attachments", async () => {
    const docs = fixtureJson<Bag[]>("documents-metadata.json");
    const client = readClient(testConnector({ apipagination: 2 }));
    tenant().get("/api/documents/documentsMetadata").query({ entity: "CLIENT", ownerKey: CLIENT_KEY, offset: "0", limit: "2" }).reply(200, docs.slice(0, 2));
    tenant().get("/api/documents/documentsMetadata").query({ entity: "CLIENT", ownerKey: CLIENT_KEY, offset: "2", limit: "2" }).reply(200, docs.slice(2));
    const all = await client.getAttachmentsMetadata();
    expect(all.map((d) => [d.id, d.name, d.fileName])).toEqual([[101, "contract", "contract.pdf"], [102, "ine", "ine.png"], [103, "ine", "ine-back.png"]]);
    expect(all[0]).toBeInstanceOf(MambuDocument);
    expect(client.attachments).toBe(all);
    expect(Object.keys(client.toJSON())).not.toContain("attachments");
  });

  test("limit, offset and streaming; per owner type", async () => {
    const docs = fixtureJson<Bag[]>("documents-metadata.json");
    const loan = MambuLoan.fromWire(fixtureJson("loan-full.json"), testConnector());
    tenant().get("/api/documents/documentsMetadata").query({ entity: "LOAN_ACCOUNT", ownerKey: "8a0000000000000000000000000l5432", offset: "1", limit: "1" }).reply(200, docs.slice(1, 2));
    expect((await loan.getAttachmentsMetadata({ offset: 1, limit: 1 })).map((d) => d.id)).toEqual([102]);
    tenant().get("/api/documents/documentsMetadata").query({ entity: "GROUP", ownerKey: "8a000000000000000000000000009001", offset: "0", limit: "50" }).reply(200, docs);
    const ids: number[] = [];
    for await (const d of MambuGroup.fromWire(fixtureJson("group-full.json"), testConnector()).getAttachmentsMetadata()) ids.push(d.id as number);
    expect(ids).toEqual([101, 102, 103]);
    expect(() => loan.getAttachmentsMetadata({ detailsLevel: "FULL" } as never)).toThrow(/unknown option "detailsLevel"/);
  });
});

describe("downloadAttachment", () => {
  test("by id: GET /documents/{id} accepting Mambu's file type; the bytes as a Buffer", async () => {
    const bytes = Buffer.from([0, 255, 13, 10, 45, 45, 128]);
    tenant().get("/api/documents/101").reply(200, bytes, { "Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="contract.pdf"' });
    const got = await readClient().downloadAttachment(101);
    expect(Buffer.isBuffer(got) && got.equals(bytes)).toBe(true);
    expect(seen[0].accept).toBe("application/vnd.mambu.v2+file");
    expect(findOperation("GET", "/documents/101")?.op.produces).toContain("application/vnd.mambu.v2+file");
  });

  test("by name: looked up in the entity's metadata, then fetched by encodedKey", async () => {
    tenant().get("/api/documents/documentsMetadata").query(true).reply(200, fixture("documents-metadata.json"));
    tenant().get("/api/documents/8a0000000000000000000000000d0001").reply(200, Buffer.from("pdf"), { "Content-Type": "application/pdf" });
    expect((await readClient().downloadAttachment({ documentName: "contract" })).toString()).toBe("pdf");
    await expect(readClient().downloadAttachment("")).rejects.toThrow("give a document id");
  });
});

describe("deleteAttachment", () => {
  function metadata(): void {
    tenant().get("/api/documents/documentsMetadata").query({ entity: "CLIENT", ownerKey: CLIENT_KEY, offset: "0", limit: "50" }).reply(200, fixture("documents-metadata.json"));
  }

  test("by name: found in the metadata, deleted by encodedKey; entity.attachments follows", async () => {
    const client = readClient();
    metadata();
    await client.getAttachmentsMetadata();
    metadata();
    tenant().delete("/api/documents/8a0000000000000000000000000d0001").reply(204);
    await client.deleteAttachment({ documentName: "contract" });
    expect((client.attachments as MambuDocument[]).map((d) => d.id)).toEqual([102, 103]);
  });

  test("by id (or encodedKey), and by both when they agree", async () => {
    metadata();
    tenant().delete("/api/documents/8a0000000000000000000000000d0002").reply(204);
    await readClient().deleteAttachment({ documentId: 102 });
    metadata();
    tenant().delete("/api/documents/8a0000000000000000000000000d0003").reply(204);
    await readClient().deleteAttachment({ documentId: "8a0000000000000000000000000d0003", documentName: "ine" });
  });

  test("ambiguous or unknown names, another entity's document, nothing named: errors, nothing deleted", async () => {
    metadata();
    await expect(readClient().deleteAttachment({ documentName: "ine" })).rejects.toThrow(
      'MambuClient.deleteAttachment: 2 attachments of MambuClient(0512N0025) are named "ine" (ids 102, 103); give the documentId',
    );
    metadata();
    await expect(readClient().deleteAttachment({ documentName: "passport" })).rejects.toThrow('no attachment of MambuClient(0512N0025) is named "passport"');
    metadata();
    await expect(readClient().deleteAttachment({ documentId: 999 })).rejects.toThrow("document 999 is not an attachment of MambuClient(0512N0025)");
    metadata();
    await expect(readClient().deleteAttachment({ documentId: 101, documentName: "ine" })).rejects.toThrow('document 101 is not named "ine"');
    await expect(readClient().deleteAttachment({})).rejects.toThrow("give a documentId or a documentName");
    await expect(readClient().deleteAttachment({ documentTitle: "x" } as never)).rejects.toThrow(/unknown option "documentTitle"/);
    expect(seen.filter((r) => r.method === "DELETE")).toEqual([]);
  });
});
