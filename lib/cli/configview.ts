/**
 * The effective configuration as shown by `mambu config` and the REPL's `.config`: every key, its
 * value (secrets masked, a URL's userinfo masked) and where it came from.
 */
import { MambuConfig, mambuconfig, maskUserinfo } from "../config";
import type { ConfigEntry } from "../config";
import { renderTable } from "./table";

/**
 * Masks the userinfo of a URL-looking value, up to its last `@` (`https://u:p@ss@host` →
 * `https://****@host`); a bare `user:pwd@host` too, since this is used for `apiurl`.
 */
export function maskUrl(v: string): string {
  return maskUserinfo(v, true);
}

/** `describe()` of a configuration, safe to print (secrets and URL userinfo masked by `describe()`). */
export function configEntries(config: MambuConfig = mambuconfig): ConfigEntry[] {
  return config.describe().map((r) => ({ ...r, value: r.value === undefined ? undefined : maskUserinfo(r.value) }));
}

/** The configuration as an aligned `key value source` table, fitted to `width` when given (long values wrapped). */
export function configTable(config: MambuConfig = mambuconfig, width?: number): string {
  return renderTable(configEntries(config), [
    { header: "key", value: (r) => r.key },
    { header: "value", value: (r) => r.value ?? "", overflow: "wrap" },
    { header: "source", value: (r) => r.source, overflow: "wrap" },
  ], { width });
}
