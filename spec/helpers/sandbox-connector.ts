/** The connector of the ORM specs that run against a sandbox: the demo user, no waiting between retries. */
import { MambuConfig, MambuConnector, MambuError } from "../../lib";
import type { Sandbox } from "../../lib/sandbox";

/** A connector to `sandbox` as the demo user (`over` sets more configuration keys, e.g. `{ retries: 0 }`). */
export function demoConnector(sandbox: Pick<Sandbox, "url">, over: Record<string, string | number> = {}): MambuConnector {
  const config = new MambuConfig({ env: {}, rcFiles: [] });
  config.apiurl = sandbox.url;
  config.apiuser = "demo";
  config.apipwd = "demo";
  for (const [k, v] of Object.entries(over)) config.set(k, v);
  return new MambuConnector({ config, sleep: async () => {} });
}

/** The Mambu error reason (else the message) of the MambuError that `p` rejects with; fails when it resolves. */
export async function reasonOf(p: PromiseLike<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MambuError) return e.errors?.[0]?.errorReason ?? e.message;
    throw e;
  }
  throw new Error("expected a MambuError");
}

/** The HTTP status of the MambuError that `p` rejects with; fails when it resolves or rejects otherwise. */
export async function statusOf(p: PromiseLike<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MambuError) return e.status;
    throw e;
  }
  throw new Error("expected a MambuError");
}
