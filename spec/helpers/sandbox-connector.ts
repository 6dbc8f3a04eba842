/** The connector of the ORM specs that run against a sandbox: the demo user, no waiting between retries. */
import { MambuConfig, MambuConnector } from "../../lib";
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
