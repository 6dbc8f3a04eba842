/**
 * Helpers of the Payments API sandbox specs (spec/e2e/sandbox-payments-*.spec.ts): raw calls under `/api/v1` with
 * the demo API key, EUR deposit accounts of the demo tenant made through API v2, and their balances read back
 * through API v2.
 */
import { randomUUID } from "node:crypto";
import fetch from "node-fetch";
import type { Sandbox } from "../../lib/sandbox";
import { call } from "./sandbox-helpers";

/** The demo tenant's API key (the Payments API authenticates by apikey only). */
export const DEMO_API_KEY = "demo-api-key";

/** A parsed Payments API answer. */
export interface PayAnswer {
  status: number;
  headers: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/**
 * Calls `${sb.url}/api/v1${path}`: a JSON `body`, or an `xml` document (`application/xml`), with the demo apikey and
 * a fresh `X-Request-ID` (a v4 UUID; required on the four initiations, D31) unless `headers` says otherwise (an
 * empty value removes a header).
 */
export async function payCall(
  sb: Pick<Sandbox, "url">,
  method: string,
  path: string,
  opts: { body?: unknown; xml?: string; headers?: Record<string, string> } = {},
): Promise<PayAnswer> {
  const headers: Record<string, string> = { apikey: DEMO_API_KEY, Accept: "application/json", "X-Request-ID": randomUUID() };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["Content-Type"] = "application/json";
  }
  if (opts.xml !== undefined) {
    body = opts.xml;
    headers["Content-Type"] = "application/xml";
  }
  Object.assign(headers, opts.headers ?? {});
  for (const k of Object.keys(headers)) if (headers[k] === "") delete headers[k];
  const res = await fetch(`${sb.url}/api/v1${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const h: Record<string, string> = {};
  res.headers.forEach((v, k) => (h[k] = v));
  return { status: res.status, headers: h, body: parsed, text };
}

/** Lets the demo SAVINGS product hold EUR accounts (once per sandbox). */
export function allowEur(sb: Sandbox): void {
  const product = sb.store.find("depositproducts", "SAVINGS")!;
  const settings = product.currencySettings as { currencies: Array<{ code: string }> };
  if (settings.currencies.some((c) => c.code === "EUR")) return;
  sb.store.replace("depositproducts", { ...product, currencySettings: { ...settings, currencies: [...settings.currencies, { code: "EUR" }] } });
}

/** Opens an EUR savings account `id` of the demo client through API v2, with `opening` (a decimal string) paid in when not "0". */
export async function openEurAccount(sb: Sandbox, id: string, opening: string): Promise<void> {
  allowEur(sb);
  const created = await call(sb, "POST", "/deposits", {
    body: { id, name: `EUR ${id}`, accountHolderKey: "8a099a673f1f25a0013f1fd0a1c318a5", accountHolderType: "CLIENT", productTypeKey: sb.store.find("depositproducts", "SAVINGS")!.encodedKey, accountType: "REGULAR_SAVINGS", currencyCode: "EUR" },
  });
  if (created.status !== 201) throw new Error(`POST /deposits ${id}: ${created.status} ${created.text}`);
  const approved = await call(sb, "POST", `/deposits/${id}:changeState`, { body: { action: "APPROVE" } });
  if (approved.status !== 200) throw new Error(`approve ${id}: ${approved.status} ${approved.text}`);
  if (opening !== "0") {
    const paid = await call(sb, "POST", `/deposits/${id}/deposit-transactions`, { body: { amount: Number(opening) } });
    if (paid.status !== 201) throw new Error(`deposit into ${id}: ${paid.status} ${paid.text}`);
  }
}

/** The total balance of a deposit account as API v2 answers it. */
export async function v2Balance(sb: Sandbox, id: string): Promise<number> {
  const a = await call(sb, "GET", `/deposits/${id}`);
  if (a.status !== 200) throw new Error(`GET /deposits/${id}: ${a.status} ${a.text}`);
  return a.body.balances.totalBalance as number;
}

/** The transactions of a deposit account as the sandbox's API v2 answers them: oldest first. */
export async function v2Transactions(sb: Sandbox, id: string): Promise<Array<Record<string, unknown>>> {
  const a = await call(sb, "GET", `/deposits/${id}/transactions?detailsLevel=FULL`);
  if (a.status !== 200) throw new Error(`GET /deposits/${id}/transactions: ${a.status} ${a.text}`);
  return a.body as Array<Record<string, unknown>>;
}
