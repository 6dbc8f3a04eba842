/**
 * Routes of API consumers and their keys: `GET/POST /consumers`, `GET/PUT/PATCH/DELETE /consumers/{apiConsumerId}`
 * (id or encodedKey), `GET/POST /consumers/{apiConsumerId}/apikeys`, `DELETE .../apikeys/{apiKeyId}`,
 * `POST .../secretkeys`, and the key rotation `POST /apikey/rotation` (key-rotation.ts).
 *
 * - A created API key (`{id, apiKey, expirationTime}`) or secret key (`{secretKey}`) is shown once, in the 201
 *   answer; the sandbox keeps only its SHA-256 digest (api-keys.ts). `GET .../apikeys` lists the live keys as
 *   `{id, expirationTime, apiKey}` where apiKey is a masked display form: the key's first 4 characters and
 *   `****`.
 * - An API key authenticates requests in the `apiKey` header (auth.ts) until it expires (expirationTime seconds
 *   after its creation by the sandbox clock; 0 or absent: never), is deleted, is rotated, or its consumer is
 *   deleted — each takes effect on the next request.
 * - A consumer holds at most 100 live API keys and 100 live secret keys (one more is a 400).
 * - A replayed POST (same Idempotency-Key, same caller, same request) answers the first answer again, key
 *   included: only that caller, with that key, can get it.
 */
import { createRecord, patchRecord, replaceRecord } from "../crud";
import { validateQuery } from "../contract";
import { invalidParameters, mambuError } from "../errors";
import { pageResponse, parsePaging } from "../list";
import { shape } from "../records";
import type { RouteRequest, Router, SandboxContext } from "../router";
import { ownValue } from "../safe-keys";
import type { WireRecord } from "../types";
import { isExpired, issueKey, keysOf, maskedApiKey, parseExpiration, removeKey, requireApiKey } from "./api-keys";
import { CONSUMERS } from "./consumer-records";
import { registerKeyRotationRoute } from "./key-rotation";

const ITEM = "/consumers/{apiConsumerId}";

/** An API consumer by id or encodedKey, else 404 OBJECT_NOT_FOUND. */
export function requireConsumer(ctx: SandboxContext, idOrKey: string): WireRecord {
  const rec = ctx.store.find("apiconsumers", idOrKey);
  if (!rec) throw mambuError("OBJECT_NOT_FOUND", "apiConsumerId: no API consumer with this id or encodedKey");
  return rec;
}

function consumerOf(ctx: SandboxContext, req: RouteRequest): WireRecord {
  return requireConsumer(ctx, req.params.apiConsumerId);
}

function serve(rec: WireRecord): Record<string, unknown> {
  return shape(CONSUMERS, rec, true);
}

/** The expirationTime of `POST .../apikeys` (body optional: `{}` or none means no expiry). */
function requestedExpiration(body: unknown): number {
  if (body === undefined || body === null) return 0;
  if (typeof body !== "object" || Array.isArray(body)) throw invalidParameters("the body must be a JSON object: {\"expirationTime\": seconds}");
  return parseExpiration(ownValue(body, "expirationTime"), "expirationTime");
}

function registerConsumerCrud(router: Router): void {
  router.add("GET", "/consumers", (ctx, req) => {
    validateQuery("consumers", "GET", "/consumers", req.query);
    const paging = parsePaging(req.query);
    const type = req.query.type;
    let recs = ctx.store.all("apiconsumers");
    if (type !== undefined && type !== "") recs = recs.filter((r) => r.type === type);
    return pageResponse(recs, paging, serve);
  });
  router.add("POST", "/consumers", (ctx, req) => ({ status: 201, body: serve(createRecord(ctx, CONSUMERS, req.body)) }));
  router.add("GET", ITEM, (ctx, req) => {
    validateQuery("consumers", "GET", ITEM, req.query);
    return { status: 200, body: serve(consumerOf(ctx, req)) };
  });
  router.add("PUT", ITEM, (ctx, req) => {
    const old = consumerOf(ctx, req);
    return { status: 200, body: serve(replaceRecord(ctx, CONSUMERS, old, req.body)) };
  });
  router.add("PATCH", ITEM, (ctx, req) => {
    patchRecord(ctx, CONSUMERS, consumerOf(ctx, req), req.body);
    return { status: 204 };
  });
  router.add("DELETE", ITEM, (ctx, req) => {
    const rec = consumerOf(ctx, req);
    ctx.store.remove("apiconsumers", rec.encodedKey);
    CONSUMERS.afterDelete?.(ctx, rec); // its keys go with it
    return { status: 204 };
  });
}

function registerKeyRoutes(router: Router): void {
  router.add("GET", `${ITEM}/apikeys`, (ctx, req) => {
    const consumer = consumerOf(ctx, req);
    const live = keysOf(ctx, consumer.encodedKey, "API_KEY").filter((k) => !isExpired(ctx, k));
    return { status: 200, body: live.map(maskedApiKey) };
  });
  router.add("POST", `${ITEM}/apikeys`, (ctx, req) => {
    const consumer = consumerOf(ctx, req);
    const expirationTime = requestedExpiration(req.body);
    const { plain, record } = issueKey(ctx, consumer.encodedKey, "API_KEY", expirationTime);
    return { status: 201, body: { id: record.id, apiKey: plain, expirationTime } };
  });
  router.add("DELETE", `${ITEM}/apikeys/{apiKeyId}`, (ctx, req) => {
    const consumer = consumerOf(ctx, req);
    removeKey(ctx, requireApiKey(ctx, consumer.encodedKey, req.params.apiKeyId));
    return { status: 204 };
  });
  router.add("POST", `${ITEM}/secretkeys`, (ctx, req) => {
    const consumer = consumerOf(ctx, req);
    const { plain } = issueKey(ctx, consumer.encodedKey, "SECRET_KEY", 0);
    return { status: 201, body: { secretKey: plain } };
  });
}

/** Registers the routes of API consumers, their API keys and secret keys, and key rotation. */
export function registerConsumerRoutes(router: Router): void {
  registerConsumerCrud(router);
  registerKeyRoutes(router);
  registerKeyRotationRoute(router);
}
