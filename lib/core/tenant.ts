/**
 * Tenants, as per-tenant caches (custom field types and definitions) key them: a tenant is the API
 * base URL a connector talks to (`https://tenant.mambu.com/api`, see `MambuConnector.baseUrl()`),
 * so two connectors to one tenant (other credentials) share an entry. Without a configured (or
 * valid) apiurl the tenant is `""`: entities built before any tenant is configured have one too.
 *
 * Typing custom fields asks for an entity's tenant often (once per set); the answer is kept per
 * connector until the current synchronous run of code ends (a page of thousands of records costs
 * one config lookup). Registrations always resolve it afresh.
 */
import { MambuTsError } from "../errors";
import { MambuConnector } from "../transport";
import { CONN, ROOT, StructSlots } from "./symbols";

let memo = new WeakMap<MambuConnector, string>();
let forgetting = false;

function resolveNow(conn: MambuConnector): string {
  let tenant: string;
  try {
    tenant = conn.baseUrl();
  } catch {
    tenant = "";
  }
  memo.set(conn, tenant);
  if (!forgetting) {
    forgetting = true;
    queueMicrotask(() => {
      memo = new WeakMap();
      forgetting = false;
    });
  }
  return tenant;
}

/** The tenant a connector (default: the default connector) talks to now. @internal */
export function tenantOf(connector?: MambuConnector): string {
  return resolveNow(connector ?? MambuConnector.default());
}

/** The tenant of a struct: that of its entity's connector (the one it was read through), else the default connector's. @internal */
export function tenantOfStruct(s: StructSlots): string {
  const root = s[ROOT] ?? s;
  const conn = (root as { [CONN]?: unknown })[CONN];
  const c = conn instanceof MambuConnector ? conn : MambuConnector.default();
  return memo.get(c) ?? resolveNow(c);
}

/** Options of per-tenant registrations: the connector whose tenant they are for. */
export interface TenantOptions {
  /** The connector whose tenant this is for (default: that of each definition read through a connector, else the default connector's). */
  connector?: MambuConnector;
}

/**
 * For registrations: checks `{ connector }` and returns the tenant each definition is for — the
 * given connector's; else the connector a definition was read through (a `MambuCustomField` from
 * `MambuCustomField.getAll({ connector })`); else the default connector's. @internal
 */
export function tenantsOfDefinitions(where: string, opts: TenantOptions | undefined): (def: unknown) => string {
  if (opts !== undefined && (typeof opts !== "object" || opts === null)) throw new MambuTsError(`${where}: options must be an object`);
  for (const k of Object.keys(opts ?? {})) {
    if (k !== "connector") throw new MambuTsError(`${where}: unknown option "${k}" (known: connector)`);
  }
  const explicit = opts?.connector;
  if (explicit !== undefined) {
    if (!(explicit instanceof MambuConnector)) throw new MambuTsError(`${where}: connector must be a MambuConnector`);
    const tenant = tenantOf(explicit);
    return () => tenant;
  }
  const seen = new Map<MambuConnector | undefined, string>();
  return (def) => {
    const own = typeof def === "object" && def !== null ? (def as { [CONN]?: unknown })[CONN] : undefined;
    const conn = own instanceof MambuConnector ? own : undefined;
    let tenant = seen.get(conn);
    if (tenant === undefined) seen.set(conn, (tenant = tenantOf(conn)));
    return tenant;
  };
}
