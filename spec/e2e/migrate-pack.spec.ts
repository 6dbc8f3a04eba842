/**
 * The onboarding pack (issue 17, item 1): `runMigration(plan, { pack })` writes pack.md and pack.json —
 * volumes, steps, a sample call per endpoint, calls per client and in total in both flows, durations,
 * the reconciliation's checks — sending no write to the tenant; its counts are those a real run sends;
 * it holds no personal value of the source and no credential; an existing pack is kept unless `force`.
 */
import { createServer, request, Server } from "http";
import { AddressInfo } from "net";
import { existsSync, readFileSync, statSync, writeFileSync } from "fs";
import { join } from "path";
import { parseCsvText, runMigration } from "../../lib/migrate";
import type { Pack } from "../../lib/migrate";
import { startSandbox, Sandbox } from "../../lib/sandbox";
import { main } from "../../lib/cli/migrate-command";
import { demoTarget, quiet, runBothFlows, startSandboxes } from "./migrate-book-helpers";
import { copyExample, subsetExample, tenantPicture } from "./migrate-helpers";

jest.setTimeout(300_000);


/** A proxy in front of the sandbox counting the requests by method. */
async function countingProxy(target: string): Promise<{ url: string; methods: Map<string, number>; server: Server }> {
  const methods = new Map<string, number>();
  const t = new URL(target);
  const server = createServer((req, res) => {
    methods.set(req.method ?? "?", (methods.get(req.method ?? "?") ?? 0) + 1);
    const up = request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, methods, server };
}

describe("the onboarding pack", () => {
  const dir = copyExample();
  const plan = join(dir, "plan.yaml");
  // a custom field the plan marks personal: masked in the samples as the names are
  writeFileSync(plan, readFileSync(plan, "utf8").replace("_OtherDetails.EmployerName: employer", "_OtherDetails.EmployerName: { column: employer, personal: true }"));
  const packDir = join(dir, "pack");
  let sb: Sandbox;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let pack: Pack;
  let md: string;
  let json: string;
  let out = "";
  beforeAll(async () => {
    sb = await startSandbox({ port: 0 });
    proxy = await countingProxy(sb.url);
    const before = tenantPicture(sb);
    const stdout = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream;
    const r = await runMigration(plan, { stdout, progress: "none", connection: { apiurl: proxy.url, apiuser: "demo", apipwd: "demo" }, tenantOffset: sb.clock.offset, pack: packDir, rate: "20/s", workdir: join(dir, "w") });
    expect(r.exitCode).toBe(0);
    expect(tenantPicture(sb)).toEqual(before);
    pack = r.pack!.content;
    md = readFileSync(join(packDir, "pack.md"), "utf8");
    json = readFileSync(join(packDir, "pack.json"), "utf8");
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy?.server.close(resolve));
    await sb?.stop();
  });

  it("reads the tenant's reference data only: no request that writes, no journal", () => {
    expect([...proxy.methods.keys()]).toEqual(["GET"]);
    expect(proxy.methods.get("GET")).toBeGreaterThan(0);
    expect(existsSync(join(dir, "w"))).toBe(false);
    expect(out).toMatch(/onboarding pack: .*pack\.md, .*pack\.json \(nothing was written to the tenant\)/);
  });

  it("writes pack.md and pack.json: volumes, steps in order, a sample call per endpoint, durations at the rate, reconciliation checks", () => {
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(pack)));
    // amounts as sent: the source's exact text
    expect(json).toMatch(/"loanAmount": \d+\.\d{2},/);
    expect(pack).toMatchObject({ kind: "mambu-migrate onboarding pack", version: 1, plan: { id: "demo-book-2025", file: "plan.yaml" } });
    expect(pack.volumes.entities).toMatchObject({ clients: 300, groups: 4, loans: 304 });
    expect(pack.volumes.rows).toMatchObject({ clients: 300, loans: 304 });
    expect(pack.steps.map((s) => s.step)).toEqual(["client", "group", "loan", "approve", "settlement", "schedule", "disburse", "fee", "repayment"]);
    expect(pack.steps.find((s) => s.step === "loan")!.count).toBe(304);
    // every endpoint of both flows has its sample; the look-ups and the link's PATCH are the earlier flow's only
    const endpoints = new Set([...Object.keys(pack.calls.default.byEndpoint), ...Object.keys(pack.calls.earlier.byEndpoint)]);
    expect(new Set(pack.samples.map((s) => `${s.method} ${s.endpoint}`))).toEqual(endpoints);
    const sample = (m: string, e: string) => pack.samples.find((s) => s.method === m && s.endpoint === e)!;
    // one client's flow: its creation, its loan created linked to its settlement account, its transactions
    const unit = sample("POST", "/api/clients").unit;
    expect(unit).toMatch(/^client:MIG-C\d{4}$/);
    for (const e of ["/api/loans", "/api/deposits", "/api/loans/{id}/disbursement-transactions", "/api/loans/{id}/repayment-transactions"]) expect(sample("POST", e).unit).toBe(unit);
    expect(sample("POST", "/api/clients")).toMatchObject({ step: "client", flows: "both", path: "/api/clients" });
    expect(sample("POST", "/api/clients").body).toMatchObject({ id: unit.slice(7), firstName: "[redacted]", lastName: "[redacted]", birthDate: "[redacted]", mobilePhone: "[redacted]" });
    expect(sample("POST", "/api/loans").body).toMatchObject({ settlementAccountKey: expect.any(String), accountHolderType: "CLIENT" });
    expect(sample("POST", "/api/clients").body).toMatchObject({ _OtherDetails: { EmployerName: "[redacted]" } });
    expect(sample("POST", "/api/loans").body).toMatchObject({ accountHolderKey: `{encodedKey of client ${unit.slice(7)}}` });
    expect(sample("POST", "/api/loans/{id}:changeState").path).toMatch(/^\/api\/loans\/\{encodedKey of loan MIG-L\d+\}:changeState$/);
    expect(sample("PATCH", "/api/loans/{id}")).toMatchObject({ step: "settlement", flows: "earlier" });
    expect(sample("GET", "/api/clients/{id}")).toMatchObject({ step: "lookup", flows: "earlier" });
    for (const s of pack.samples.filter((x) => x.method !== "GET")) {
      expect(s.headers.Authorization).toBe("****");
      expect(s.headers["Idempotency-Key"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(s.headers["Content-Type"]).toBe("application/json");
    }
    expect(pack.durations).toEqual([{ rate: "20/s", perSecond: 20, defaultSeconds: Math.ceil(pack.calls.default.total / 20), earlierSeconds: Math.ceil(pack.calls.earlier.total / 20) }]);
    expect(pack.reconciliation.checks.map((c) => c.metric)).toEqual(["holders", "loans", "loanAmount", "disbursed", "fees", "feeCount", "repaid", "repaymentCount", "paid"]);
    expect(pack.reconciliation.checks[0].total).toBe("304");
    for (const heading of ["## 1. Amount of data", "## 2. Steps per client", "## 3. Sample API calls", "## 4. API calls", "## 5. Timing", "## 6. Reconciliation", "## 7. Personal data"]) expect(md).toContain(heading);
    expect(md).toContain("| Requests | " + `${pack.calls.default.total} | ${pack.calls.earlier.total} |`);
  });

  it("holds no personal value of the source and no credential", () => {
    const rows = parseCsvText(readFileSync(join(dir, "clients.csv"), "utf8").replace(/^\ufeff/, ""));
    const head = rows[0].fields;
    const personal = ["first_name", "last_name", "birth_date", "email", "mobile", "street", "id_document", "employer"].map((c) => head.indexOf(c));
    const values = new Set(rows.slice(1).flatMap((r) => personal.map((i) => r.fields[i])).filter((v) => v !== ""));
    expect(values.size).toBeGreaterThan(1000);
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    for (const text of [md, json]) {
      const found = [...values].filter((v) => new RegExp(`(?<![\\p{L}\\p{N}])${esc(v)}(?![\\p{L}\\p{N}])`, "u").test(text));
      expect(found).toEqual([]);
      expect(text).not.toContain("demo:demo");
      expect(text).not.toContain(Buffer.from("demo:demo").toString("base64"));
      expect(text).not.toMatch(/Basic [A-Za-z0-9+/=]{4,}/);
    }
    // no personal data: the usual modes
    expect(statSync(join(packDir, "pack.json")).isFile()).toBe(true);
  });

  it("keeps an existing pack unless force", async () => {
    writeFileSync(join(packDir, "pack.md"), "mine\n");
    const r = await runMigration(plan, { ...quiet, connection: { apiurl: sb.url, apiuser: "demo", apipwd: "demo" }, pack: packDir });
    expect(r.exitCode).toBe(2);
    expect(r.refused).toMatch(/pack\.md and .*pack\.json already exist: choose another --pack directory, or --force/);
    expect(readFileSync(join(packDir, "pack.md"), "utf8")).toBe("mine\n");
  });

  it("goes without --resume and --reconcile", async () => {
    const r = await runMigration(plan, { ...quiet, connection: { apiurl: proxy.url, apiuser: "demo", apipwd: "demo" }, pack: join(dir, "other"), reconcile: true });
    expect(r.refused).toMatch(/--pack writes nothing to the tenant/);
    expect(existsSync(join(dir, "other"))).toBe(false);
  });

  it("mambu-migrate --pack --target sandbox writes the pack of a rehearsal's tenant", async () => {
    const small = subsetExample(2);
    const out: string[] = [];
    const o = jest.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
    const e = jest.spyOn(process.stderr, "write").mockImplementation((s) => (out.push(String(s)), true));
    try {
      expect(await main([join(small, "plan.yaml"), "--pack", join(small, "pack"), "--target", "sandbox", "--rate", "1200/min", "--progress", "none", "--workdir", join(small, "w")])).toBe(0);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    const p = JSON.parse(readFileSync(join(small, "pack", "pack.json"), "utf8")) as Pack;
    expect(p.volumes.entities.clients).toBe(2);
    expect(p.durations).toEqual([{ rate: "1200/min", perSecond: 20, defaultSeconds: Math.ceil(p.calls.default.total / 20), earlierSeconds: Math.ceil(p.calls.earlier.total / 20) }]);
    expect(out.join("")).toMatch(/calls: \d+ requests, \d+\.\d{2} per client \(earlier flow: \d+, \d+\.\d{2} per client\)/);
    expect(existsSync(join(small, "w"))).toBe(false);
  });

  it("counts exactly the requests a real run sends, in both flows", async () => {
    // on a fraction of the book with every kind of step: its first 50 clients, the groups, their members and loans
    const small = subsetExample(50, { groups: true });
    const smallPlan = join(small, "plan.yaml");
    const [a, b] = await startSandboxes(2);
    try {
      const dry = await runMigration(smallPlan, { ...quiet, ...demoTarget(a), pack: join(small, "pack") });
      expect(dry.exitCode).toBe(0);
      const smallPack = dry.pack!.content;
      expect(smallPack.volumes.entities).toMatchObject({ clients: 66, groups: 4, loans: 67 });
      expect(smallPack.steps.map((s) => s.step)).toEqual(pack.steps.map((s) => s.step));
      for (const [run, calls] of await runBothFlows(smallPlan, small, a, b, smallPack.calls, { concurrency: 8 })) {
        expect(run.failed).toEqual([]);
        const s = run.summary!;
        expect(s.retries).toBe(0);
        expect({ total: calls.total, writes: calls.writes, perClient: calls.perClient }).toEqual({ total: s.requests, writes: s.writes, perClient: s.requestsPerClient });
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
