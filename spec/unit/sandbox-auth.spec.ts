/**
 * The sandbox's authentication (lib/sandbox/auth.ts) with API consumers' keys (lib/sandbox/platform/api-keys.ts),
 * below the HTTP layer: who a key authenticates as, what never matches, and what the store keeps.
 */
import { authenticate, authenticateRequest, DEFAULT_USERS } from "../../lib/sandbox/auth";
import { SandboxClock } from "../../lib/sandbox/clock";
import { findLiveKey, issueKey, keyDigest } from "../../lib/sandbox/platform/api-keys";
import type { SandboxContext } from "../../lib/sandbox/router";
import { SandboxStore } from "../../lib/sandbox/store";
import { SandboxError } from "../../lib/sandbox/types";

function tenant(): SandboxContext {
  return { store: new SandboxStore(), clock: new SandboxClock({ start: "2026-01-15T10:00:00+02:00" }) };
}

function consumer(ctx: SandboxContext, encodedKey: string, name: string): string {
  ctx.store.insert("apiconsumers", { encodedKey, id: encodedKey.slice(0, 5), name, type: "MAMBU_API" });
  return encodedKey;
}

/** The 401 reason of a call, or "ok". */
function outcome(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    if (e instanceof SandboxError) return `${e.status} ${e.errorReason}`;
    throw e;
  }
}

test("a consumer's key authenticates as a caller named after the consumer; two consumers of one name stay two callers", () => {
  const ctx = tenant();
  const a = issueKey(ctx, consumer(ctx, "a".repeat(32), "demo"), "API_KEY", 0).plain;
  const b = issueKey(ctx, consumer(ctx, "b".repeat(32), "demo"), "API_KEY", 0).plain;
  const ua = authenticate(DEFAULT_USERS, { apikey: a }, ctx).username;
  const ub = authenticate(DEFAULT_USERS, { apikey: b }, ctx).username;
  expect(ua).toBe(`demo (API consumer ${"a".repeat(32)})`);
  expect(new Set([ua, ub, "demo"]).size).toBe(3); // idempotency keys are per caller: no sharing with the demo user
  expect(authenticate(DEFAULT_USERS, { apikey: "demo-api-key" }, ctx).username).toBe("demo");
});

test("the store keeps the digest and a 4-character prefix, never the key", () => {
  const ctx = tenant();
  const { plain, record } = issueKey(ctx, consumer(ctx, "c".repeat(32), "C"), "API_KEY", 60);
  expect(record.encodedKey).toBe(keyDigest(plain));
  expect(record.prefix).toBe(plain.slice(0, 4));
  expect(JSON.stringify(ctx.store.snapshot())).not.toContain(plain);
});

test("never matches: an unknown, empty, oversized or prototype-named key, a secret key as API key, an expired key", () => {
  const ctx = tenant();
  const owner = consumer(ctx, "d".repeat(32), "D");
  const secret = issueKey(ctx, owner, "SECRET_KEY", 0).plain;
  const shortLived = issueKey(ctx, owner, "API_KEY", 60).plain;
  for (const presented of ["", "nope", "x".repeat(100_000), "__proto__", "constructor", secret]) {
    expect({ presented: presented.slice(0, 20), found: findLiveKey(ctx, presented, "API_KEY") }).toEqual({ presented: presented.slice(0, 20), found: undefined });
    expect(outcome(() => authenticate(DEFAULT_USERS, { apikey: presented }, ctx))).toBe("401 INVALID_CREDENTIALS");
  }
  expect(outcome(() => authenticate(DEFAULT_USERS, { apikey: shortLived }, ctx))).toBe("ok");
  ctx.clock.advance({ minutes: 1 });
  expect(outcome(() => authenticate(DEFAULT_USERS, { apikey: shortLived }, ctx))).toBe("401 INVALID_CREDENTIALS");
});

test("POST /apikey/rotation authenticates with a live secret key only; other paths never take a secret key", () => {
  const ctx = tenant();
  const owner = consumer(ctx, "e".repeat(32), "E");
  const secret = issueKey(ctx, owner, "SECRET_KEY", 0).plain;
  const key = issueKey(ctx, owner, "API_KEY", 0).plain;
  const basic = `Basic ${Buffer.from("demo:demo").toString("base64")}`;
  const rotation = (headers: Record<string, string>, path = "/apikey/rotation"): string =>
    outcome(() => authenticateRequest(DEFAULT_USERS, headers, ctx, "POST", path));
  expect(rotation({ secretkey: secret })).toBe("ok");
  expect(rotation({ secretkey: secret }, "/apikey/rotation/")).toBe("ok");
  expect(rotation({ authorization: basic })).toBe("401 INVALID_CREDENTIALS");
  expect(rotation({ apikey: key })).toBe("401 INVALID_CREDENTIALS");
  expect(rotation({ secretkey: key })).toBe("401 INVALID_CREDENTIALS");
  expect(rotation({ secretkey: secret }, "/branches")).toBe("401 INVALID_CREDENTIALS");
  expect(outcome(() => authenticateRequest(DEFAULT_USERS, { authorization: basic }, ctx, "GET", "/branches"))).toBe("ok");
  ctx.store.remove("apiconsumers", owner);
  expect(rotation({ secretkey: secret })).toBe("401 INVALID_CREDENTIALS");
});
