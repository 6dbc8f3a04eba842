/**
 * Comments: `GET /comments?ownerType=CLIENT&ownerKey=<id or key>` (paginated, oldest first) and
 * `POST /comments` with `{text, ownerType, ownerKey}`; the owner is stored by encodedKey and the author is the
 * Mambu user whose username is the API user's (when there is one).
 */
import { validateBody, validateQuery } from "./contract";
import { invalidParameters } from "./errors";
import { pageResponse, parsePaging } from "./list";
import { requireRecord } from "./records";
import { findUser } from "./resource-rules";
import { declByOwnerType } from "./resources";
import type { Router, SandboxContext } from "./router";
import type { WireRecord } from "./types";

function owner(ctx: SandboxContext, ownerType: unknown, ownerKey: unknown): WireRecord {
  if (typeof ownerType !== "string" || !ownerType) throw invalidParameters("ownerType: required field is missing");
  if (typeof ownerKey !== "string" || !ownerKey) throw invalidParameters("ownerKey: required field is missing");
  const decl = declByOwnerType(ownerType);
  if (!decl) throw invalidParameters(`ownerType: comments cannot be attached to ${ownerType} here`);
  return requireRecord(ctx, decl, ownerKey);
}

/** Registers the comment routes. */
export function registerCommentRoutes(router: Router): void {
  router.add("GET", "/comments", (ctx, req) => {
    validateQuery("comments", "GET", "/comments", req.query);
    const paging = parsePaging(req.query);
    const o = owner(ctx, req.query.ownerType, req.query.ownerKey);
    const list = ctx.store.all("comments").filter((c) => c.ownerKey === o.encodedKey && c.ownerType === req.query.ownerType);
    return pageResponse(list, paging, (c) => ({ ...c }));
  });
  router.add("POST", "/comments", (ctx, req) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== "object" || Array.isArray(body)) throw invalidParameters("the body must be a JSON object");
    validateBody("comments", "Comment", body, ctx.clock.offset);
    if (typeof body.text !== "string" || body.text.trim() === "") throw invalidParameters("text: required field is missing");
    const o = owner(ctx, body.ownerType, body.ownerKey);
    const now = ctx.clock.nowIso();
    const rec: WireRecord = {
      encodedKey: ctx.store.newEncodedKey(),
      ownerType: body.ownerType,
      ownerKey: o.encodedKey,
      text: body.text,
      creationDate: now,
      lastModifiedDate: now,
    };
    const author = req.user ? findUser(ctx, req.user.username) : undefined;
    if (author) rec.userKey = author.encodedKey;
    ctx.store.insert("comments", rec);
    return { status: 201, body: { ...rec } };
  });
}
