/** Helpers of the sandbox e2e specs: plain HTTP calls (node-fetch) against a running sandbox. */
import fetch, { RequestInit, Response } from "node-fetch";
import type { Sandbox } from "../../lib/sandbox";

/** Basic auth header of the demo user. */
export const DEMO_AUTH = `Basic ${Buffer.from("demo:demo").toString("base64")}`;
/** The v2 Accept header. */
export const V2 = "application/vnd.mambu.v2+json";

/** A parsed response. */
export interface Answer {
  status: number;
  headers: Response["headers"];
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** Calls `${sandbox.url}/api${path}` with the demo credentials and the v2 Accept header unless overridden. */
export async function call(
  sb: Sandbox,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; raw?: RequestInit["body"]; agent?: RequestInit["agent"] } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: DEMO_AUTH, Accept: V2, ...(opts.headers ?? {}) };
  for (const k of Object.keys(headers)) if (headers[k] === "") delete headers[k];
  let body: RequestInit["body"] = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await fetch(`${sb.url}/api${path}`, { method, headers, body, agent: opts.agent });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
