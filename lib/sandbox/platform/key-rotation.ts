/**
 * `POST /apikey/rotation`: header `secretkey`, body `{apiKey, expirationTime?}` → 200 `{apiKey, secretKey}`.
 *
 * As Mambu's reference has it, "the rotation operation invalidates the existing apikey and the secretkey used and
 * returns a new apikey together with the new secretkey". The request carries no other credentials: the secret
 * key is the proof (auth.ts lets the request in on a live secret key alone). The secret key must be a live secret
 * key of the consumer that owns `apiKey`, and `apiKey` a live (not expired) API key; anything else is 401
 * INVALID_CREDENTIALS and changes nothing. The new API key lives `expirationTime` seconds (0 or absent: no
 * expiry; at most 100000000), the new secret key has no expiry. Neither the presented nor the new values are
 * ever put in an error message.
 *
 * Retrying a rotation whose answer was lost cannot replay it (the used secret key no longer authenticates, even
 * with the same Idempotency-Key): the consumer's administrator issues new keys instead.
 */
import { invalidParameters, mambuError } from "../errors";
import { headerValue } from "../request";
import type { Router, SandboxContext, RouteRequest, RouteResponse } from "../router";
import { ownValue } from "../safe-keys";
import { findLiveKey, issueKey, parseExpiration, removeKey } from "./api-keys";

/** The rotation's path (without `/api`). */
export const ROTATION_PATH = "/apikey/rotation";

function refused(): Error {
  return mambuError("INVALID_CREDENTIALS", "credentials");
}

/** Rotates an API key (see the module comment). */
export function rotateKey(ctx: SandboxContext, req: RouteRequest): RouteResponse {
  const presentedSecret = headerValue(req.headers, "secretkey");
  const secret = presentedSecret === undefined ? undefined : findLiveKey(ctx, presentedSecret, "SECRET_KEY");
  if (!secret) throw refused();
  const body = req.body;
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw invalidParameters("the body must be a JSON object: {\"apiKey\": the key to rotate, \"expirationTime\": seconds}");
  }
  const presentedKey = ownValue(body, "apiKey");
  if (typeof presentedKey !== "string" || presentedKey === "") throw invalidParameters("apiKey: the API key to rotate is required");
  const expirationTime = parseExpiration(ownValue(body, "expirationTime"), "expirationTime");
  const old = findLiveKey(ctx, presentedKey, "API_KEY");
  if (!old || old.consumerKey !== secret.consumerKey) throw refused();
  removeKey(ctx, old);
  removeKey(ctx, secret);
  const apiKey = issueKey(ctx, old.consumerKey, "API_KEY", expirationTime).plain;
  const secretKey = issueKey(ctx, old.consumerKey, "SECRET_KEY", 0).plain;
  return { status: 200, body: { apiKey, secretKey } };
}

/** Registers `POST /apikey/rotation`. */
export function registerKeyRotationRoute(router: Router): void {
  router.add("POST", ROTATION_PATH, rotateKey);
}
