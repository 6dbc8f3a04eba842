/**
 * Sandbox e2e: documents (multipart upload, metadata, download, delete), comments, fault injection (429 with
 * Retry-After, 503, dropped connections, latency, queued faults), TLS with the generated CA, persistence across
 * restarts, synthetic tenants, loopback-only binding.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fetch from "node-fetch";
import { Sandbox, SandboxStore, startSandbox } from "../../lib/sandbox";
import { call, DEMO_AUTH, V2 } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(async () => {
  await sb.stop();
});

function multipart(fields: Record<string, string>, file: { name: string; type: string; data: Buffer }): { body: Buffer; type: string } {
  const boundary = "----sandboxtest" + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`));
  parts.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

describe("documents", () => {
  it("uploads, lists metadata, downloads the exact bytes and deletes", async () => {
    const data = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0d, 0x0a, 0x42]);
    const mp = multipart({ ownerType: "CLIENT", id: "0512N0025", name: "Contract", notes: "signed" }, { name: "contract.pdf", type: "application/pdf", data });
    const up = await call(sb, "POST", "/documents", { raw: mp.body, headers: { "Content-Type": mp.type } });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ name: "Contract", notes: "signed", fileName: "contract.pdf", fileSize: data.length, type: "pdf", ownerType: "CLIENT", ownerKey: "8a099a673f1f25a0013f1fd0a1c318a5" });
    expect(typeof up.body.id).toBe("number");
    const list = await call(sb, "GET", "/documents/documentsMetadata?entity=CLIENT&ownerKey=0512N0025&paginationDetails=ON");
    expect(list.body.map((d: { encodedKey: string }) => d.encodedKey)).toEqual([up.body.encodedKey]);
    expect(list.headers.get("items-total")).toBe("1");
    const viaClient = await call(sb, "GET", "/clients/0512N0025/documentsMetadata");
    expect(viaClient.body).toEqual(list.body);
    const res = await fetch(`${sb.url}/api/documents/${up.body.id}`, { headers: { Authorization: DEMO_AUTH, Accept: "application/vnd.mambu.v2+file" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain("contract.pdf");
    expect(Buffer.from(await res.arrayBuffer())).toEqual(data);
    const del = await call(sb, "DELETE", `/documents/${up.body.encodedKey}`);
    expect(del.status).toBe(204);
    expect((await call(sb, "GET", `/documents/${up.body.id}`)).status).toBe(404);
    expect((await call(sb, "GET", "/documents/documentsMetadata?entity=CLIENT&ownerKey=0512N0025")).body).toEqual([]);
  });

  it("uploads through /clients/{id}/documents and answers 404 for unknown owners, 400 without a file", async () => {
    const mp = multipart({ name: "Photo" }, { name: "me.png", type: "image/png", data: Buffer.from("png") });
    const up = await call(sb, "POST", "/clients/24N12345/documents", { raw: mp.body, headers: { "Content-Type": mp.type } });
    expect(up.status).toBe(201);
    const meta = await call(sb, "GET", `/clients/documents/${up.body.id}/metadata`);
    expect(meta.body.name).toBe("Photo");
    const unknown = multipart({ ownerType: "CLIENT", id: "nobody" }, { name: "a.txt", type: "text/plain", data: Buffer.from("a") });
    const nf = await call(sb, "POST", "/documents", { raw: unknown.body, headers: { "Content-Type": unknown.type } });
    expect(nf.status).toBe(404);
    expect(nf.body.errors[0].errorCode).toBe(301);
    const noFile = await call(sb, "POST", "/documents", { body: { ownerType: "CLIENT", id: "24N12345" } });
    expect(noFile.status).toBe(400);
  });
});

describe("comments", () => {
  it("posts and lists comments of a client", async () => {
    const c = await call(sb, "POST", "/comments", { body: { text: "Called the client", ownerType: "CLIENT", ownerKey: "0512N0025" } });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ text: "Called the client", ownerType: "CLIENT", ownerKey: "8a099a673f1f25a0013f1fd0a1c318a5", creationDate: "2026-01-15T10:00:00+02:00" });
    expect(c.body.userKey).toBe((await call(sb, "GET", "/users/demo")).body.encodedKey);
    const list = await call(sb, "GET", "/comments?ownerType=CLIENT&ownerKey=8a099a673f1f25a0013f1fd0a1c318a5");
    expect(list.body.map((x: { text: string }) => x.text)).toEqual(["Client visited the branch to ask about a new loan.", "Called the client"]);
    expect((await call(sb, "POST", "/comments", { body: { ownerType: "CLIENT", ownerKey: "0512N0025" } })).status).toBe(400);
    expect((await call(sb, "GET", "/comments?ownerType=CLIENT&ownerKey=nobody")).status).toBe(404);
    expect((await call(sb, "GET", "/comments?ownerType=CLIENT")).status).toBe(400);
  });
});

describe("faults", () => {
  afterEach(() => sb.faults.clear());

  it("X-Sandbox-Fault: 429 answers with Retry-After, 503 with an error body; nothing is processed", async () => {
    const before = sb.store.count("clients");
    const r429 = await call(sb, "POST", "/clients", { body: { firstName: "A", lastName: "B" }, headers: { "X-Sandbox-Fault": "429, retry-after=3" } });
    expect(r429.status).toBe(429);
    expect(r429.headers.get("retry-after")).toBe("3");
    const r503 = await call(sb, "GET", "/clients", { headers: { "X-Sandbox-Fault": "503" } });
    expect(r503.status).toBe(503);
    expect(r503.body.errors[0].errorReason).toBe("INTERNAL_ERROR");
    expect(sb.store.count("clients")).toBe(before);
  });

  it("times=n fails only the first n identical requests (so retries succeed)", async () => {
    const h = { "X-Sandbox-Fault": "502, times=2" };
    expect((await call(sb, "GET", "/branches/CCAZ", { headers: h })).status).toBe(502);
    expect((await call(sb, "GET", "/branches/CCAZ", { headers: h })).status).toBe(502);
    expect((await call(sb, "GET", "/branches/CCAZ", { headers: h })).status).toBe(200);
  });

  it("drop destroys the connection", async () => {
    await expect(call(sb, "GET", "/clients", { headers: { "X-Sandbox-Fault": "drop" } })).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it("drop-after processes the request, then drops: a retry with the same idempotency key replays", async () => {
    const key = "6f1e3c0a-9b7d-4c5a-8e6f-1b2a3c4d5e6f";
    const before = sb.store.count("clients");
    const body = { firstName: "LOST", lastName: "ANSWER" };
    await expect(call(sb, "POST", "/clients", { body, headers: { "X-Sandbox-Fault": "drop-after", "Idempotency-Key": key } })).rejects.toThrow();
    expect(sb.store.count("clients")).toBe(before + 1);
    const retry = await call(sb, "POST", "/clients", { body, headers: { "Idempotency-Key": key } });
    expect(retry.status).toBe(201);
    expect(sb.store.count("clients")).toBe(before + 1);
  });

  it("latency and slow bodies delay the answer", async () => {
    let t = Date.now();
    expect((await call(sb, "GET", "/branches", { headers: { "X-Sandbox-Fault": "latency=150" } })).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    sb.faults.set({ latencyMs: 100, jitterMs: 20 });
    t = Date.now();
    await call(sb, "GET", "/branches");
    expect(Date.now() - t).toBeGreaterThanOrEqual(75);
    sb.faults.clear();
    t = Date.now();
    const slow = await call(sb, "GET", "/clients", { headers: { "X-Sandbox-Fault": "slow=200" } });
    expect(slow.status).toBe(200);
    expect(slow.body.length).toBeGreaterThan(0);
    expect(Date.now() - t).toBeGreaterThanOrEqual(150);
  });

  it("run options: a share of 429s (seeded), and injectNext for the next requests", async () => {
    sb.faults.set({ rate429: 0.5, retryAfterSeconds: 2, seed: 7 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await call(sb, "GET", "/branches")).status);
    const n429 = statuses.filter((s) => s === 429).length;
    expect(n429).toBeGreaterThan(8);
    expect(n429).toBeLessThan(32);
    expect(statuses.filter((s) => s !== 429).every((s) => s === 200)).toBe(true);
    sb.faults.clear();
    sb.faults.injectNext("503", 2, { method: "GET", path: "/centres" });
    expect((await call(sb, "GET", "/branches")).status).toBe(200);
    expect((await call(sb, "GET", "/centres")).status).toBe(503);
    expect((await call(sb, "GET", "/centres")).status).toBe(503);
    expect((await call(sb, "GET", "/centres")).status).toBe(200);
  });

  it("counts requests", async () => {
    const before = sb.requests;
    await call(sb, "GET", "/branches");
    expect(sb.requests).toBe(before + 1);
  });
});

describe("TLS", () => {
  it("serves https with a CA that clients can trust", async () => {
    const tls = await startSandbox({ port: 0, tls: true, data: "empty" });
    try {
      expect(tls.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(tls.caCertPath && existsSync(tls.caCertPath)).toBe(true);
      expect(readFileSync(tls.caCertPath!, "utf8")).toBe(tls.caCert);
      const agent = new https.Agent({ ca: tls.caCert });
      const r = await call(tls, "GET", "/branches", { agent });
      expect(r.status).toBe(200);
      expect(r.body).toEqual([]);
      await expect(call(tls, "GET", "/branches", { agent: new https.Agent() })).rejects.toThrow(/certificate/i);
    } finally {
      await tls.stop();
    }
  });
});

describe("persistence", () => {
  it("writes the state on stop and resumes from it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-persist-"));
    const file = join(dir, "state.json");
    try {
      const a = await startSandbox({ port: 0, persist: file, clock: { start: "2026-01-15T10:00:00+02:00" } });
      const created = await call(a, "POST", "/clients", { body: { firstName: "PERSIST", lastName: "ME", _OtherDetails: { Age: "33" } } });
      const mp = multipart({ ownerType: "CLIENT", id: created.body.id }, { name: "a.txt", type: "text/plain", data: Buffer.from("hello") });
      const doc = await call(a, "POST", "/documents", { raw: mp.body, headers: { "Content-Type": mp.type } });
      await a.stop();
      expect(existsSync(file)).toBe(true);
      const b = await startSandbox({ port: 0, persist: file });
      try {
        const again = await call(b, "GET", `/clients/${created.body.id}?detailsLevel=FULL`);
        expect(again.body).toEqual(created.body);
        const res = await fetch(`${b.url}/api/documents/${doc.body.id}`, { headers: { Authorization: DEMO_AUTH, Accept: V2 } });
        expect(await res.text()).toBe("hello");
        const next = await call(b, "POST", "/clients", { body: { firstName: "NEXT", lastName: "ONE" } });
        expect(next.body.id).not.toBe(created.body.id);
      } finally {
        await b.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("startup", () => {
  it("generates 5,000 clients in work linear in their number (each stored once, no scan of the store per client)", async () => {
    // Not timed (machine speeds differ): a generator that is quadratic reads the store once per client.
    const store = { insert: jest.spyOn(SandboxStore.prototype, "insert"), find: jest.spyOn(SandboxStore.prototype, "find"), all: jest.spyOn(SandboxStore.prototype, "all") };
    let big: Sandbox;
    try {
      big = await startSandbox({ port: 0, data: "empty", generate: { clients: 5000 } });
      expect(store.insert.mock.calls.filter(([coll]) => coll === "clients")).toHaveLength(5000);
      const scanned = store.all.mock.results.reduce((n, r) => n + (r.value as unknown[]).length, 0);
      expect(scanned + store.find.mock.calls.length).toBeLessThan(5000);
    } finally {
      for (const spy of Object.values(store)) spy.mockRestore();
    }
    try {
      const r = await call(big, "GET", "/clients?limit=1000&offset=4500&paginationDetails=ON");
      expect(r.headers.get("items-total")).toBe("5000");
      expect(r.body).toHaveLength(500);
      const s = await call(big, "POST", "/clients:search?limit=5", { body: { filterCriteria: [{ field: "id", operator: "EQUALS", value: "GC004999" }] } });
      expect(s.body.map((c: { id: string }) => c.id)).toEqual(["GC004999"]);
    } finally {
      await big.stop();
    }
  });

  it("binds loopback only and starts empty on request", async () => {
    await expect(startSandbox({ host: "0.0.0.0" })).rejects.toThrow(/loopback/);
    const empty = await startSandbox({ data: "empty", users: [{ username: "u", password: "p" }] });
    try {
      const r = await fetch(`${empty.url}/api/clients`, { headers: { Authorization: `Basic ${Buffer.from("u:p").toString("base64")}` } });
      expect(await r.json()).toEqual([]);
    } finally {
      await empty.stop();
    }
  });
});
