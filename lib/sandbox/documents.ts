/**
 * Documents (attachments): `POST /documents` (multipart: `file`, `ownerType`, `id` of the owner, `name` — `title`
 * accepted too — and `notes`), `GET /documents/{documentId}` (the file), `DELETE /documents/{documentId}`,
 * `GET /documents/documentsMetadata?entity=CLIENT&ownerKey=...`, and the client variants
 * `POST /clients/{clientId}/documents`, `GET /clients/{clientId}/documentsMetadata`,
 * `GET /clients/documents/{documentId}` and `GET /clients/documents/{documentId}/metadata`.
 * File contents are kept in the store's `extra.documentContents` (base64), so they persist with the state.
 */
import { extname } from "node:path";
import { decodeUtf8 } from "./body";
import { validateQuery } from "./contract";
import { invalidParameters, mambuError } from "./errors";
import { MAX_FORM_FIELD_BYTES } from "./limits";
import { pageResponse, parsePaging } from "./list";
import { requireRecord } from "./records";
import { RESOURCES, declByOwnerType } from "./resources";
import type { MultipartBody, RouteRequest, Router, SandboxContext } from "./router";
import { nullProto } from "./safe-keys";
import type { WireRecord } from "./types";

interface StoredContent {
  contentType: string;
  data: string;
}

function contents(ctx: SandboxContext): Record<string, StoredContent> {
  const extra = ctx.store.extra as { documentContents?: Record<string, StoredContent> };
  extra.documentContents ??= {};
  return extra.documentContents;
}

/**
 * Parses a multipart/form-data body (RFC 7578) into fields and files (maps without prototype, so that any part
 * name is just a name). Field values must be valid UTF-8 (else 400) and at most `maxFieldBytes` long (else 413).
 */
export function parseMultipart(body: Buffer, contentType: string, maxFieldBytes = MAX_FORM_FIELD_BYTES): MultipartBody {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw invalidParameters("multipart/form-data body without a boundary");
  const boundary = Buffer.from(`--${(m[1] ?? m[2]).trim()}`);
  const out: MultipartBody = { fields: nullProto(), files: nullProto() };
  let pos = body.indexOf(boundary);
  if (pos < 0) throw invalidParameters("malformed multipart/form-data body");
  for (;;) {
    pos += boundary.length;
    if (body.slice(pos, pos + 2).toString() === "--") break;
    if (body.slice(pos, pos + 2).toString() === "\r\n") pos += 2;
    const headEnd = body.indexOf("\r\n\r\n", pos);
    if (headEnd < 0) throw invalidParameters("malformed multipart/form-data body");
    const head = decodeUtf8(body.subarray(pos, headEnd), "multipart part headers", invalidParameters);
    const next = body.indexOf(boundary, headEnd + 4);
    if (next < 0) throw invalidParameters("malformed multipart/form-data body");
    let data = body.slice(headEnd + 4, next);
    if (data.length >= 2 && data[data.length - 2] === 13 && data[data.length - 1] === 10) data = data.slice(0, -2);
    const disp = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? "";
    const name = /\bname="([^"]*)"/i.exec(disp)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disp)?.[1];
    const ctype = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? "application/octet-stream";
    if (name !== undefined) {
      if (filename !== undefined) out.files[name] = { filename, contentType: ctype, data };
      else if (data.length > maxFieldBytes) throw mambuError("MAX_FILE_SIZE_EXCEEDED", `multipart field "${name.slice(0, 64)}" over ${maxFieldBytes} bytes`);
      else out.fields[name] = decodeUtf8(data, `multipart field "${name.slice(0, 64)}"`, invalidParameters);
    }
    pos = next;
  }
  return out;
}

function ownerOf(ctx: SandboxContext, ownerType: string | undefined, ownerId: string | undefined): { type: string; rec: WireRecord } {
  if (!ownerType) throw invalidParameters("ownerType: required parameter is missing");
  if (!ownerId) throw invalidParameters("id: required parameter is missing");
  const decl = declByOwnerType(ownerType);
  if (!decl) throw invalidParameters(`ownerType: documents cannot be attached to ${ownerType} here`);
  return { type: ownerType, rec: requireRecord(ctx, decl, ownerId) };
}

function create(ctx: SandboxContext, req: RouteRequest, ownerType: string | undefined, ownerId: string | undefined): WireRecord {
  const mp = req.multipart;
  if (!mp) throw invalidParameters("the body must be multipart/form-data");
  const file = mp.files.file;
  if (!file) throw invalidParameters("file: required parameter is missing");
  const owner = ownerOf(ctx, ownerType, ownerId);
  const name = mp.fields.name ?? mp.fields.title ?? file.filename.replace(/\.[^.]*$/, "");
  const now = ctx.clock.nowIso();
  const rec: WireRecord = {
    encodedKey: ctx.store.newEncodedKey(),
    id: Number(ctx.store.nextId("documents", 0)) as unknown as string,
    name,
    fileName: file.filename,
    fileSize: file.data.length,
    type: extname(file.filename).replace(/^\./, "").toLowerCase() || "bin",
    ownerType: owner.type,
    ownerKey: owner.rec.encodedKey,
    creationDate: now,
    lastModifiedDate: now,
  };
  if (mp.fields.notes !== undefined) rec.notes = mp.fields.notes;
  ctx.store.insert("documents", rec);
  contents(ctx)[rec.encodedKey] = { contentType: file.contentType, data: file.data.toString("base64") };
  return rec;
}

function requireDoc(ctx: SandboxContext, id: string, ownerType?: string): WireRecord {
  const d = ctx.store.find("documents", id);
  if (!d || (ownerType && d.ownerType !== ownerType)) throw mambuError("INVALID_DOCUMENT_ID");
  return d;
}

function download(ctx: SandboxContext, doc: WireRecord) {
  const c = contents(ctx)[doc.encodedKey];
  const data = c ? Buffer.from(c.data, "base64") : Buffer.alloc(0);
  const safe = String(doc.fileName ?? "file").replace(/["\r\n\\]/g, "_");
  return {
    status: 200,
    raw: data,
    headers: { "Content-Type": c?.contentType ?? "application/octet-stream", "Content-Disposition": `attachment; filename="${safe}"` },
  };
}

function metadataList(ctx: SandboxContext, req: RouteRequest, ownerType: string, ownerKey: string) {
  const paging = parsePaging(req.query);
  const docs = ctx.store.all("documents").filter((d) => d.ownerType === ownerType && d.ownerKey === ownerKey);
  return pageResponse(docs, paging, (d) => ({ ...d }));
}

/** Registers the document routes. */
export function registerDocumentRoutes(router: Router): void {
  router.add("POST", "/documents", (ctx, req) => {
    const mp = req.multipart;
    return { status: 201, body: { ...create(ctx, req, mp?.fields.ownerType, mp?.fields.id ?? mp?.fields.ownerKey) } };
  });
  router.add("GET", "/documents/documentsMetadata", (ctx, req) => {
    validateQuery("documents", "GET", "/documents/documentsMetadata", req.query);
    const owner = ownerOf(ctx, req.query.entity, req.query.ownerKey);
    return metadataList(ctx, req, owner.type, owner.rec.encodedKey);
  });
  router.add("GET", "/documents/{documentId}", (ctx, req) => download(ctx, requireDoc(ctx, req.params.documentId)));
  router.add("DELETE", "/documents/{documentId}", (ctx, req) => {
    const d = requireDoc(ctx, req.params.documentId);
    ctx.store.remove("documents", d.encodedKey);
    delete contents(ctx)[d.encodedKey];
    return { status: 204 };
  });
  const clients = RESOURCES.clients!;
  router.add("POST", "/clients/{clientId}/documents", (ctx, req) => ({ status: 201, body: { ...create(ctx, req, "CLIENT", req.params.clientId) } }));
  router.add("GET", "/clients/{clientId}/documentsMetadata", (ctx, req) => {
    const c = requireRecord(ctx, clients, req.params.clientId);
    return metadataList(ctx, req, "CLIENT", c.encodedKey);
  });
  router.add("GET", "/clients/documents/{documentId}", (ctx, req) => download(ctx, requireDoc(ctx, req.params.documentId, "CLIENT")));
  router.add("GET", "/clients/documents/{documentId}/metadata", (ctx, req) => ({
    status: 200,
    body: { ...requireDoc(ctx, req.params.documentId, "CLIENT") },
  }));
}
