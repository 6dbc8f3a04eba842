/**
 * What a journal is bound to: where it ran (the tenant's API base URL and who it ran as, or the
 * rehearsal sandbox and its state file) and what it ran (the plan's and source files' content).
 * Nothing secret: a user name is kept, an API key only as a short SHA-256 fingerprint, and
 * passwords never.
 */
import { createHash } from "crypto";
import { createReadStream } from "fs";
import { basename, relative } from "path";
import type { MambuConfig } from "../config";
import { resolveBaseUrl } from "../transport";
import { errorCode, fsError } from "./fserrors";
import type { Plan } from "./types";

/** Where a run writes: a tenant (by API base URL, and who) or the embedded sandbox of a rehearsal. */
export type TenantBinding =
  | {
      target: "tenant";
      /** The API base, normalised: `https://tenant.mambu.com/api`. */
      url: string;
      /** The API user, when it runs as one. */
      user?: string;
      /** `sha256:` and 12 hex digits of the API key, when it runs with one. */
      apiKey?: string;
    }
  | {
      target: "sandbox";
      /** Absolute path of the `--sandbox-state` file; absent: a sandbox that is not kept. */
      state?: string;
    };

/** Credentials and host as given to the run (any left out come from `config`). */
export interface ConnectionSettings {
  apiurl?: string;
  apiuser?: string;
  apipwd?: string;
  apikey?: string;
}

/** The short, non-reversible fingerprint of an API key. */
export function keyFingerprint(apikey: string): string {
  return `sha256:${createHash("sha256").update(apikey).digest("hex").slice(0, 12)}`;
}

/** The binding of a run against a tenant, with the connector's precedence (explicit settings, then config). */
export function tenantBinding(c: ConnectionSettings, config: Pick<MambuConfig, "apiurl" | "apiuser" | "apikey">): TenantBinding {
  const url = resolveBaseUrl(c.apiurl ?? config.apiurl).href;
  const apikey = c.apikey ?? (c.apiuser !== undefined || c.apipwd !== undefined ? undefined : config.apikey);
  if (apikey) return { target: "tenant", url, apiKey: keyFingerprint(apikey) };
  const user = c.apiuser ?? config.apiuser;
  return { target: "tenant", url, ...(user ? { user } : {}) };
}

/** `tenant https://x.mambu.com/api (user alice)`, `the rehearsal sandbox kept in /s.json`, ... */
export function describeBinding(b: TenantBinding): string {
  if (b.target === "sandbox") return b.state ? `the rehearsal sandbox kept in ${b.state}` : "a rehearsal sandbox that was not kept (no --sandbox-state)";
  const who = b.user ? ` (user ${b.user})` : b.apiKey ? ` (API key ${b.apiKey})` : "";
  return `tenant ${b.url}${who}`;
}

/** Whether two bindings are the same place (the identity may differ: another user of one tenant). */
export function samePlace(a: TenantBinding, b: TenantBinding): boolean {
  if (a.target === "tenant" && b.target === "tenant") return a.url === b.url;
  if (a.target === "sandbox" && b.target === "sandbox") return a.state !== undefined && a.state === b.state;
  return false;
}

/** Who a binding runs as (`user alice`, `API key sha256:…`), for notes. */
export function identityOf(b: TenantBinding): string | undefined {
  if (b.target !== "tenant") return undefined;
  return b.user ? `user ${b.user}` : b.apiKey ? `API key ${b.apiKey}` : undefined;
}

/** The content a run executes: the plan file and each source file, by name, as SHA-256 hashes. */
export interface PlanFingerprint {
  /** One hash of them all. */
  content: string;
  /** Name (the plan's file name; sources relative to the plan) → SHA-256 of the file. */
  files: Record<string, string>;
}

/** SHA-256 (hex) of a file's bytes, or "absent" when there is no such file. */
export function fileHash(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (d) => h.update(d))
      .on("end", () => resolve(h.digest("hex")))
      .on("error", (e) => (errorCode(e) === "ENOENT" ? resolve("absent") : reject(fsError("read", "the file", path, e))));
  });
}

/** The fingerprint of a plan: its text and the bytes of every source file. */
export async function planFingerprint(plan: Plan): Promise<PlanFingerprint> {
  const files: Record<string, string> = { [basename(plan.file)]: plan.hash };
  for (const f of plan.files) files[relative(plan.dir, f.path) || f.path] = await fileHash(f.path);
  const h = createHash("sha256");
  for (const name of Object.keys(files).sort()) h.update(`${name}\u0000${files[name]}\n`);
  return { content: h.digest("hex"), files };
}

/** What changed between two fingerprints' files: `loans.csv changed`, `fees.csv added`, ... */
export function fingerprintChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, hash] of Object.entries(after)) {
    if (!(name in before)) out.push(`${name} added`);
    else if (before[name] !== hash) out.push(`${name} changed`);
  }
  for (const name of Object.keys(before)) if (!(name in after)) out.push(`${name} removed`);
  return out;
}
