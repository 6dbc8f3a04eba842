/**
 * The effective configuration as shown by `mambu config` and the REPL's `.config`: every key, its
 * value (secrets masked, a URL's userinfo masked) and where it came from.
 */
import { MambuConfig, mambuconfig, MASK } from "../config";
import type { ConfigEntry } from "../config";
import { renderTable } from "./table";

/** Masks the userinfo of a URL-looking value (`https://u:p@host` → `https://****@host`). */
export function maskUrl(v: string): string {
  return v.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, `$1${MASK}@`);
}

/** `describe()` of a configuration, safe to print. */
export function configEntries(config: MambuConfig = mambuconfig): ConfigEntry[] {
  return config.describe().map((r) => ({ ...r, value: r.value === undefined ? undefined : maskUrl(r.value) }));
}

/** The configuration as an aligned `key value source` table. */
export function configTable(config: MambuConfig = mambuconfig): string {
  return renderTable(configEntries(config), [
    { header: "key", value: (r) => r.key },
    { header: "value", value: (r) => r.value ?? "" },
    { header: "source", value: (r) => r.source },
  ]);
}
