/**
 * Authentication of sandbox requests, as Mambu does it: `Authorization: Basic base64(user:password)` or an
 * `apiKey` header, checked against the configured API users and then against the live API keys of the tenant's
 * API consumers (platform/api-keys.ts: looked up by SHA-256 digest, compared in constant time; an expired or
 * deleted key, or one whose consumer was deleted, no longer matches). `POST /apikey/rotation` is the exception:
 * it authenticates with its `secretkey` header alone (a live secret key of a consumer), nothing else.
 * Anything else answers 401 with Mambu's body
 * `{"errors":[{"errorCode":2,"errorSource":"credentials","errorReason":"INVALID_CREDENTIALS"}]}` — which never
 * repeats what was presented.
 */
import { timingSafeEqual } from "node:crypto";
import { findLiveKey, KeyRecord } from "./platform/api-keys";
import { ROTATION_PATH } from "./platform/key-rotation";
import { SandboxError } from "./types";
import type { AuthUser, SandboxContext } from "./router";
import { Headers, headerValue } from "./request";

/** An API user of the sandbox (not a Mambu `users` record). */
export interface SandboxUser {
  username: string;
  password?: string;
  apiKey?: string;
}

/** The demo tenant's API users: `demo`/`demo` and the API key `demo-api-key` (sandbox only). */
export const DEFAULT_USERS: SandboxUser[] = [{ username: "demo", password: "demo", apiKey: "demo-api-key" }];

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** An API user's credentials that authenticated: the user, and the username and secret they matched then. */
interface Verdict {
  user: SandboxUser;
  username: string;
  secret: string;
}

/**
 * The last credentials that authenticated as API users, per list of users, by header ("k" + apiKey value, "b" +
 * Authorization value): a request sending them again is not decoded and compared again. Only successes are kept
 * (a wrong secret always goes through the constant-time comparison), at most {@link MAX_VERDICTS} per list; a hit
 * counts only while the user is still in the list with the same username and secret. API consumers' keys are not
 * kept (they expire and are deleted).
 */
const VERDICTS = new WeakMap<SandboxUser[], Map<string, Verdict>>();
const MAX_VERDICTS = 64;

function remembered(users: SandboxUser[], header: string, apiKey: boolean): AuthUser | undefined {
  const kept = VERDICTS.get(users);
  const v = kept?.get(header);
  if (!v) return undefined;
  const secret = apiKey ? v.user.apiKey : v.user.password;
  if (secret !== v.secret || v.user.username !== v.username || !users.includes(v.user)) {
    kept?.delete(header);
    return undefined;
  }
  return { username: v.user.username };
}

function remember(users: SandboxUser[], header: string, user: SandboxUser, secret: string): AuthUser {
  let kept = VERDICTS.get(users);
  if (!kept) VERDICTS.set(users, (kept = new Map()));
  if (kept.size >= MAX_VERDICTS) kept.clear();
  kept.set(header, { user, username: user.username, secret });
  return { username: user.username };
}

function invalid(): SandboxError {
  return new SandboxError(401, 2, "INVALID_CREDENTIALS", "credentials");
}

/**
 * Returns the user that the request's headers authenticate, or throws the 401 SandboxError.
 * `apiKey` wins over Basic when both are sent (as in Mambu, where API consumers' keys take precedence). Only the
 * header object's own properties count. With `ctx`, an `apiKey` that is no API user's authenticates when it is a
 * live API key of one of the tenant's API consumers.
 */
export function authenticate(users: SandboxUser[], headers: Headers, ctx?: SandboxContext): AuthUser {
  const apiKey = headerValue(headers, "apikey");
  if (apiKey !== undefined) {
    const known = remembered(users, `k${apiKey}`, true);
    if (known) return known;
    const u = users.find((x) => x.apiKey !== undefined && same(x.apiKey, apiKey));
    if (u) return remember(users, `k${apiKey}`, u, u.apiKey as string);
    const key = ctx ? findLiveKey(ctx, apiKey, "API_KEY") : undefined;
    if (!key || !ctx) throw invalid();
    return consumerCaller(ctx, key);
  }
  const auth = headerValue(headers, "authorization");
  const known = auth === undefined ? undefined : remembered(users, `b${auth}`, false);
  if (known) return known;
  const m = auth ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(auth) : null;
  if (!m) throw invalid();
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw invalid();
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const u = users.find((x) => x.username === username && x.password !== undefined && same(x.password, password));
  if (!u || auth === undefined) throw invalid();
  return remember(users, `b${auth}`, u, u.password as string);
}

/**
 * The caller an API consumer's key authenticates: named after the consumer, and told apart from the API users
 * and from other consumers of the same name by the consumer's encodedKey (idempotency keys are per caller).
 */
function consumerCaller(ctx: SandboxContext, key: KeyRecord): AuthUser {
  const consumer = ctx.store.find("apiconsumers", key.consumerKey);
  if (!consumer) throw invalid();
  return { username: `${String(consumer.name)} (API consumer ${consumer.encodedKey})` };
}

/**
 * Authenticates a request of the pipeline (app.ts): `POST /apikey/rotation` (path without `/api`) with a live
 * secret key in its `secretkey` header and nothing else (the rotation itself checks that the secret belongs to
 * the owner of the key to rotate: platform/key-rotation.ts); any other request with {@link authenticate}.
 * Throws the 401 SandboxError.
 */
export function authenticateRequest(users: SandboxUser[], headers: Headers, ctx: SandboxContext, method: string, path: string | undefined): AuthUser {
  const bare = path !== undefined && path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  if (method === "POST" && bare === ROTATION_PATH) {
    const secret = headerValue(headers, "secretkey");
    const key = secret === undefined ? undefined : findLiveKey(ctx, secret, "SECRET_KEY");
    if (!key) throw invalid();
    return consumerCaller(ctx, key);
  }
  return authenticate(users, headers, ctx);
}
