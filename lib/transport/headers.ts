/** The headers every request carries: Accept, User-Agent and authentication. */
import * as fs from "fs";
import * as path from "path";
import { MambuTsError } from "../errors";

/** Mambu API v2's media type, the default `Accept`. */
export const MAMBU_V2_ACCEPT = "application/vnd.mambu.v2+json";

let cachedVersion: string | undefined;

/** This package's version, read once from package.json (`0.0.0` if it cannot be found). */
export function packageVersion(): string {
  if (cachedVersion === undefined) {
    cachedVersion = "0.0.0";
    // The same relative place from lib/transport (ts-jest) and from dist/transport (compiled).
    const file = path.join(__dirname, "..", "..", "package.json");
    try {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "mambu-ts" && typeof pkg.version === "string") cachedVersion = pkg.version;
    } catch {
      // keep 0.0.0
    }
  }
  return cachedVersion;
}

/** `mambu-ts/<version> node/<process.version>`. */
export function userAgent(): string {
  return `mambu-ts/${packageVersion()} node/${process.version}`;
}

/** Credentials of one connector, resolved at request time. */
export interface Credentials {
  apiuser?: string;
  apipwd?: string;
  apikey?: string;
}

/** The base64 token of `Authorization: Basic <token>` (`user:pwd`, UTF-8). */
export function basicToken(user: string, pwd: string): string {
  return Buffer.from(`${user}:${pwd}`, "utf8").toString("base64");
}

/**
 * The authentication header: `apiKey: <key>` when an API key is configured (it wins), otherwise
 * `Authorization: Basic base64(user:pwd)`.
 * @throws MambuTsError (naming no value) when neither an API key nor both user and password are set.
 */
export function authHeaders(c: Credentials): Record<string, string> {
  if (c.apikey) return { apiKey: c.apikey };
  if (c.apiuser && c.apipwd !== undefined && c.apipwd !== "") {
    return { Authorization: `Basic ${basicToken(c.apiuser, c.apipwd)}` };
  }
  const missing = c.apiuser ? "apipwd" : "apiuser and apipwd";
  throw new MambuTsError(
    `no Mambu credentials: ${missing} not configured (set MAMBU_API_USER and MAMBU_API_PWD, or MAMBU_API_KEY, ` +
      "or the same keys in ~/.mambupy.rc or mambuconfig)",
  );
}

/** Sets a header, replacing any header of the same name in another letter case. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) delete headers[k];
  headers[name] = value;
}

/** Reads a header by case-insensitive name. */
export function getHeader(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
