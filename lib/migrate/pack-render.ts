/** The onboarding pack as Markdown (`pack.md`): the same content as `pack.json`, for people. */
import { randomUUID } from "crypto";
import { RawNumber } from "../core/json";
import type { Pack, PackCalls } from "./pack";

/** JSON indented by 2, with the exact numbers of a request body (`RawNumber`s: `35700.00`) written as they are sent. */
export function exactJson(value: unknown): string {
  const nonce = randomUUID();
  // (the replacer sees what toJSON made of a RawNumber: the holder's own value says what it was)
  const text = JSON.stringify(
    value,
    function (this: Record<string, unknown>, k: string, v: unknown) {
      const own = this[k];
      return own instanceof RawNumber ? `${nonce}:${own.text}` : v;
    },
    2,
  );
  return text.split(`"${nonce}:`).map((part, i) => (i === 0 ? part : part.replace(/^([^"]*)"/, "$1"))).join("");
}

/** A duration in seconds as `1 h 2 min 3 s`. */
export function durationWords(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [h ? `${h} h` : "", m ? `${m} min` : "", s % 60 || (!h && !m) ? `${s % 60} s` : ""].filter(Boolean);
  return parts.join(" ");
}

const cell = (v: unknown): string => String(v).replace(/\|/g, "\\|").replace(/\n/g, " ");
const table = (head: string[], rows: unknown[][]): string[] => [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)];

function endpoints(c: PackCalls, other: PackCalls): unknown[][] {
  const keys = [...new Set([...Object.keys(c.byEndpoint), ...Object.keys(other.byEndpoint)])].sort();
  return keys.map((k) => [`\`${k}\``, c.byEndpoint[k] ?? 0, other.byEndpoint[k] ?? 0]);
}

/** Renders a pack as Markdown. */
export function renderPack(p: Pack): string {
  const out: string[] = [];
  out.push(`# Migration onboarding pack: ${p.plan.id}`, "");
  if (p.plan.description) out.push(p.plan.description, "");
  out.push(`Plan file: \`${p.plan.file}\`. Built without writing to the tenant: it read ${p.tenantReads}.`, "");

  out.push("## 1. Amount of data", "");
  out.push(...table(["Entity", "Count"], Object.entries(p.volumes.entities)), "");
  out.push(...table(["Source", "Rows"], Object.entries(p.volumes.rows)), "");
  if (p.volumes.skippedRows) out.push(`${p.volumes.skippedRows} rows are left out (invalid, --skip-invalid).`, "");

  out.push("## 2. Steps per client", "", "In the order the plan runs them for each client or group:", "");
  out.push(...table(["#", "Step", "What", "Times"], p.steps.map((s, i) => [i + 1, s.step, s.what, s.count])), "");

  out.push("## 3. Sample API calls", "");
  out.push(
    "One per endpoint, built by the migration's own code: the requests of the first client whose steps reach the most endpoints, then of the first client or group reaching each other one. Personal data is masked as `[redacted]`; the credentials are `****`. The `Idempotency-Key` is a v4 UUID derived from the plan, the row, the step and the run.",
    "",
  );
  for (const s of p.samples) {
    out.push(`### ${s.step}: \`${s.method} ${s.endpoint}\`${s.flows === "earlier" ? " (earlier flow only)" : ""}`, "");
    out.push(`From ${s.unit}.`, "", "```http", `${s.method} ${s.path}`);
    for (const [k, v] of Object.entries(s.headers)) out.push(`${k}: ${v}`);
    if (s.body !== undefined) out.push("", exactJson(s.body));
    out.push("```", "");
  }

  const c = p.calls;
  out.push("## 4. API calls", "");
  out.push(
    `For ${c.clients} clients (${c.units} clients and groups), a first run into a tenant that holds none of them. The default flow sends no look-up before a creation and creates each loan linked to its settlement account; the earlier flow (\`lookups: "always"\`, \`fold: false\`) looks each record up first and links with a PATCH.`,
    "",
  );
  out.push(
    ...table(
      ["", "Default flow", "Earlier flow"],
      [
        ["Requests", c.default.total, c.earlier.total],
        ["Writes", c.default.writes, c.earlier.writes],
        ["Requests per client", c.default.perClient.toFixed(2), c.earlier.perClient.toFixed(2)],
        ["Most requests for one client or group", c.default.maxPerUnit, c.earlier.maxPerUnit],
      ],
    ),
    "",
    `The default flow saves ${c.saved} requests.`,
    "",
  );
  out.push(...table(["Endpoint", "Default flow", "Earlier flow"], endpoints(c.default, c.earlier)), "");
  if (c.bulk.rows > 0) {
    out.push(`Bulk deposits (\`${c.bulk.endpoint}\`): not used, ${c.bulk.saved} requests saved for the ${c.bulk.rows} deposits. ${c.bulk.reason}`, "");
  }

  out.push("## 5. Timing", "");
  out.push(...table(["Rate", "Default flow", "Earlier flow"], p.durations.map((d) => [d.rate, durationWords(d.defaultSeconds), durationWords(d.earlierSeconds)])), "");
  out.push("Besides the reference data read once at the start, and retries of throttled or failed requests.", "");

  out.push("## 6. Reconciliation", "");
  out.push(`${p.reconciliation.report}. Checks per client or group and in total:`, "");
  out.push(...table(["Figure", "Source", "Tenant", "Source total"], p.reconciliation.checks.map((k) => [k.metric, k.source, k.tenant, k.total])), "");
  out.push(`Requests (${p.reconciliation.requestCount} in all, all GET):`, "", ...p.reconciliation.requests.map((r) => `- \`${r}\``), "");

  out.push("## 7. Personal data", "");
  const cols = Object.entries(p.personalData.columns);
  if (cols.length) out.push(...table(["Source", "Personal columns"], cols.map(([s, l]) => [s, l.join(", ")])), "");
  out.push(p.personalData.note, "");
  return out.join("\n");
}
