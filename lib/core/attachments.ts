/**
 * Documents attached to an entity (clients, groups, loans, deposits, users, products):
 * `POST /documents` (multipart/form-data: `file`, `ownerType`, `id`, `name`, `notes`),
 * `GET /documents/documentsMetadata?entity=&ownerKey=` (paginated), `GET /documents/{id}` (the
 * file) and `DELETE /documents/{id}`.
 *
 * A file is checked before anything is sent, with Mambu's documented rules for attachments: a plain
 * file name with exactly one period and an extension of {@link DOCUMENT_EXTENSIONS}, none of the
 * characters Mambu refuses (`/ \ > < | : & ? * [ ] # \``, quotes, control characters), not empty,
 * at most {@link MAX_DOCUMENT_BYTES}. A local path with `..` segments is refused (resolve it first
 * with `path.resolve` when you mean it): paths built from untrusted input cannot climb directories.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { basename } from "node:path";
import type { Document } from "../generated/types/documents";
import { encodeSegment } from "../transport";
import { keepOnAwait, listStructs, OwnedListOptions, ownerOf } from "./comments";
import { setTransient } from "./relations";
import { checkOptionKeys, connectorOf, EntityClass, MambuEntity } from "./entity";
import { MambuError, MambuTsError } from "../errors";
import { parseJsonExact, RawNumber } from "./json";
import { MambuList } from "./list";
import { MambuValueObject, StructClass, structFromWire } from "./struct";
import { installMethods } from "./install";
import { RAW } from "./symbols";

type Bag = Record<string, unknown>;

/** Metadata of one attached document: `id`, `encodedKey`, `name` (its title), `fileName`, `fileSize`, `type`, `notes`, ... */
export class MambuDocument extends MambuValueObject {
  static override resource = "documents";
  static override definition = "Document";
}
export interface MambuDocument extends Document {}

/** Owner types that take documents through mambu-ts. */
export const DOCUMENT_OWNER_TYPES: readonly string[] = [
  "CLIENT", "GROUP", "LOAN_ACCOUNT", "DEPOSIT_ACCOUNT", "USER", "LOAN_PRODUCT", "SAVINGS_PRODUCT",
];

/**
 * File extensions Mambu accepts for attachments (its documented list: images JPEG, PNG, GIF, BMP,
 * TIFF; documents PDF, XML, DOC(X/M), DOT(X/M), XLS(X/B/M), PPT(X), ODT, OTT, FODT, TXT, CSV,
 * PROPERTIES, MSG, ZIP, RTF, ODS, ODP, EML(X), HTML, MHT(ML), XPS, NUMBERS, KEY, PAGES, YAML, JSON,
 * JASPER, JRXML). Matched case-insensitively.
 */
export const DOCUMENT_EXTENSIONS: readonly string[] = [
  "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff",
  "pdf", "xml", "doc", "docx", "docm", "dot", "dotx", "dotm", "xls", "xlsx", "xlsb", "xlsm", "ppt", "pptx",
  "odt", "ott", "fodt", "ods", "odp", "txt", "csv", "properties", "msg", "zip", "rtf", "eml", "emlx", "html",
  "mht", "mhtml", "xps", "numbers", "key", "pages", "yaml", "json", "jasper", "jrxml",
];

/** Mambu's limit for one attachment: 50 MB. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

const FORBIDDEN_NAME_CHARS = /[/\\<>|:&?*[\]#`"]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

const CONTENT_TYPES: Record<string, string> = {
  jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", gif: "image/gif", bmp: "image/bmp", tif: "image/tiff", tiff: "image/tiff",
  pdf: "application/pdf", xml: "application/xml", txt: "text/plain", csv: "text/csv", html: "text/html", json: "application/json",
  zip: "application/zip", rtf: "application/rtf", doc: "application/msword", xls: "application/vnd.ms-excel",
  ppt: "application/vnd.ms-powerpoint", yaml: "application/yaml", eml: "message/rfc822",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  odt: "application/vnd.oasis.opendocument.text", ods: "application/vnd.oasis.opendocument.spreadsheet",
  odp: "application/vnd.oasis.opendocument.presentation",
};

/** What to attach: a local file path, or bytes with the file name to give them. */
export type DocumentSource = string | { fileName: string; data: Buffer | Uint8Array };

/** Options of `attachDocument()`. */
export interface AttachDocumentOptions {
  /** The document's title in Mambu (form field `name`); default: the file name without its extension. */
  title?: string;
  /** Its description (form field `notes`). */
  notes?: string;
  /** The file name to send instead of the path's own (same rules). */
  fileName?: string;
  /** Idempotency-Key (v4 UUID) of the POST; a random one otherwise. */
  idempotencyKey?: string;
}

/** Which attachment: by id/encodedKey, or by title (`name` in Mambu; must be unique). */
export interface DocumentRef {
  documentId?: string | number;
  documentName?: string;
}

/** Checks a file name against Mambu's rules; returns its lower-cased extension. @internal */
export function checkDocumentFileName(fileName: unknown, where = "attachDocument"): string {
  if (typeof fileName !== "string" || fileName.trim() === "") throw new MambuTsError(`${where}: the file name is empty`);
  if (CONTROL_CHARS.test(fileName)) throw new MambuTsError(`${where}: the file name ${JSON.stringify(fileName)} contains control characters`);
  if (fileName === "." || fileName === ".." || FORBIDDEN_NAME_CHARS.test(fileName)) {
    throw new MambuTsError(`${where}: the file name ${JSON.stringify(fileName)} is not allowed by Mambu (no path, and none of / \\ > < | : & ? * [ ] # \` ")`);
  }
  if (Buffer.byteLength(fileName, "utf8") > 255) throw new MambuTsError(`${where}: the file name is longer than 255 bytes`);
  const dots = fileName.split(".").length - 1;
  const ext = fileName.slice(fileName.lastIndexOf(".") + 1).toLowerCase();
  if (dots !== 1 || fileName.startsWith(".") || ext === "") {
    throw new MambuTsError(`${where}: ${JSON.stringify(fileName)}: Mambu takes file names with exactly one period, before the extension (name.pdf)`);
  }
  if (!DOCUMENT_EXTENSIONS.includes(ext)) {
    throw new MambuTsError(`${where}: Mambu does not accept .${ext} files (accepted: ${DOCUMENT_EXTENSIONS.join(", ")})`);
  }
  return ext;
}

function checkLocalPath(path: string, where: string): void {
  if (path.trim() === "") throw new MambuTsError(`${where}: the path is empty`);
  if (CONTROL_CHARS.test(path)) throw new MambuTsError(`${where}: the path ${JSON.stringify(path)} contains control characters`);
  if (path.split(/[/\\]/).includes("..")) {
    throw new MambuTsError(`${where}: the path ${JSON.stringify(path)} climbs directories with ".."; pass path.resolve(...) of it if you mean it`);
  }
}

async function readSource(source: DocumentSource, fileNameOpt: string | undefined, where: string): Promise<{ fileName: string; ext: string; data: Buffer }> {
  if (typeof source === "string") {
    checkLocalPath(source, where);
    const fileName = fileNameOpt ?? basename(source);
    const ext = checkDocumentFileName(fileName, where);
    let stat;
    try {
      stat = await fs.stat(source);
    } catch (e) {
      throw new MambuTsError(`${where}: cannot read ${JSON.stringify(source)} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (!stat.isFile()) throw new MambuTsError(`${where}: ${JSON.stringify(source)} is not a file`);
    if (stat.size > MAX_DOCUMENT_BYTES) throw new MambuTsError(`${where}: ${JSON.stringify(source)} is larger than Mambu's 50 MB limit`);
    let data: Buffer;
    try {
      data = await fs.readFile(source);
    } catch (e) {
      throw new MambuTsError(`${where}: cannot read ${JSON.stringify(source)} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    return checkSize({ fileName, ext, data }, where);
  }
  if (typeof source !== "object" || source === null || !(source.data instanceof Uint8Array)) {
    throw new MambuTsError(`${where}: give a file path, or { fileName, data: Buffer }`);
  }
  const fileName = fileNameOpt ?? source.fileName;
  const ext = checkDocumentFileName(fileName, where);
  const data = Buffer.isBuffer(source.data) ? source.data : Buffer.from(source.data.buffer, source.data.byteOffset, source.data.byteLength);
  return checkSize({ fileName, ext, data }, where);
}

function checkSize<T extends { fileName: string; data: Buffer }>(f: T, where: string): T {
  if (f.data.length === 0) throw new MambuTsError(`${where}: ${JSON.stringify(f.fileName)} is empty (Mambu refuses empty files)`);
  if (f.data.length > MAX_DOCUMENT_BYTES) throw new MambuTsError(`${where}: ${JSON.stringify(f.fileName)} is larger than Mambu's 50 MB limit`);
  return f;
}

/**
 * A multipart/form-data body (RFC 7578): text fields, then one file part. The boundary is random
 * and checked not to occur in any part. @internal
 */
export function buildMultipart(
  fields: Array<[string, string]>,
  file: { field: string; fileName: string; contentType: string; data: Buffer },
): { data: Buffer; contentType: string } {
  for (;;) {
    const boundary = `----mambu-ts-${randomBytes(16).toString("hex")}`;
    const marker = Buffer.from(`--${boundary}`);
    if (file.data.includes(marker) || fields.some(([, v]) => v.includes(`--${boundary}`))) continue;
    const chunks: Buffer[] = [];
    for (const [name, value] of fields) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, "utf8"));
    }
    chunks.push(Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.fileName}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
      "utf8",
    ));
    chunks.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`, "utf8"));
    return { data: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
  }
}

function optionalText(v: unknown, name: string, where: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new MambuTsError(`${where}: ${name} must be a string`);
  if (/\u0000/.test(v)) throw new MambuTsError(`${where}: ${name} contains a NUL character`);
  return v;
}

/**
 * Uploads a document for an entity (`POST /documents`, multipart) and returns its metadata; when
 * the metadata was read, `entity.attachments` becomes a new list ending with it. Every check
 * happens before the request.
 */
export async function attachDocument(entity: MambuEntity, source: DocumentSource, opts: AttachDocumentOptions = {}): Promise<MambuDocument> {
  const cls = entity.constructor as EntityClass;
  const where = `${cls.name}.attachDocument`;
  checkOptionKeys(where, opts, ["title", "notes", "fileName", "idempotencyKey"]);
  const { ownerType, ownerKey } = ownerOf(entity, "documents", DOCUMENT_OWNER_TYPES);
  const title = optionalText(opts.title, "title", where);
  const notes = optionalText(opts.notes, "notes", where);
  const fileNameOpt = optionalText(opts.fileName, "fileName", where);
  const file = await readSource(source, fileNameOpt, where);
  const fields: Array<[string, string]> = [["ownerType", ownerType], ["id", ownerKey], ["name", title ?? file.fileName.slice(0, file.fileName.lastIndexOf("."))]];
  if (notes !== undefined) fields.push(["notes", notes]);
  const body = buildMultipart(fields, {
    field: "file", fileName: file.fileName, contentType: CONTENT_TYPES[file.ext] ?? "application/octet-stream", data: file.data,
  });
  const res = await connectorOf(entity).request({
    method: "POST", path: "/documents", rawBody: body, idempotencyKey: opts.idempotencyKey, parse: parseJsonExact,
  });
  if (typeof res.body !== "object" || res.body === null || Array.isArray(res.body)) {
    throw new MambuError(`malformed response from Mambu: expected the created document's metadata as a JSON object`, { status: res.status });
  }
  const doc = structFromWire<MambuDocument>(MambuDocument as unknown as StructClass, res.body as Bag);
  const kept = (entity as unknown as { attachments?: unknown }).attachments;
  if (Array.isArray(kept) && Object.getOwnPropertyDescriptor(entity, "attachments")) setTransient(entity, "attachments", [...kept, doc]);
  return doc;
}

function metadataList(entity: MambuEntity, opts: OwnedListOptions): MambuList<MambuDocument> {
  const { ownerType, ownerKey } = ownerOf(entity, "documents", DOCUMENT_OWNER_TYPES);
  return listStructs<MambuDocument>(MambuDocument as unknown as StructClass, {
    path: "/documents/documentsMetadata", query: { entity: ownerType, ownerKey },
  }, { ...opts, connector: connectorOf(entity) });
}

/**
 * The metadata of every document attached to an entity, paginated like `getAll`; awaited, it is
 * also set as `entity.attachments` (never sent back to Mambu).
 */
export function getAttachmentsMetadata(entity: MambuEntity, opts: OwnedListOptions = {}): MambuList<MambuDocument> {
  const cls = entity.constructor as EntityClass;
  checkOptionKeys(`${cls.name}.getAttachmentsMetadata`, opts, ["offset", "limit", "paginationDetails"]);
  return keepOnAwait(metadataList(entity, opts), entity, "attachments");
}

/** A document's id as text (ids are int64 numbers in Mambu). */
function idOf(doc: MambuDocument): string | undefined {
  const id = doc[RAW].id;
  if (id === undefined || id === null) return undefined;
  return id instanceof RawNumber ? id.text : String(id);
}

/** The attachment of `entity` a reference names (read from its metadata); errors name what is wrong. */
async function resolveDocument(entity: MambuEntity, ref: DocumentRef, where: string): Promise<MambuDocument> {
  checkOptionKeys(where, ref, ["documentId", "documentName"]);
  const { documentId, documentName } = ref ?? {};
  if ((documentId === undefined || documentId === "") && (documentName === undefined || documentName === "")) {
    throw new MambuTsError(`${where}: give a documentId or a documentName`);
  }
  if (documentId !== undefined && typeof documentId !== "string" && typeof documentId !== "number") {
    throw new MambuTsError(`${where}: documentId must be a string or a number`);
  }
  if (documentName !== undefined && typeof documentName !== "string") throw new MambuTsError(`${where}: documentName must be a string`);
  const label = `${entity.constructor.name}(${String(entity[RAW].id ?? entity[RAW].encodedKey)})`;
  const docs = await metadataList(entity, {});
  let found: MambuDocument | undefined;
  if (documentId !== undefined && documentId !== "") {
    const want = String(documentId);
    found = docs.find((d) => idOf(d) === want || d[RAW].encodedKey === want);
    if (!found) throw new MambuTsError(`${where}: document ${want} is not an attachment of ${label}`);
  }
  if (documentName !== undefined && documentName !== "") {
    const named = docs.filter((d) => d[RAW].name === documentName);
    if (named.length === 0) throw new MambuTsError(`${where}: no attachment of ${label} is named ${JSON.stringify(documentName)}`);
    if (found) {
      if (!named.includes(found)) throw new MambuTsError(`${where}: document ${String(documentId)} is not named ${JSON.stringify(documentName)}`);
    } else if (named.length > 1) {
      throw new MambuTsError(`${where}: ${named.length} attachments of ${label} are named ${JSON.stringify(documentName)} (ids ${named.map(idOf).join(", ")}); give the documentId`);
    } else {
      found = named[0];
    }
  }
  return found as MambuDocument;
}

function pathOf(doc: MambuDocument): string {
  const key = doc[RAW].encodedKey;
  return `/documents/${encodeSegment(typeof key === "string" && key !== "" ? key : (idOf(doc) as string))}`;
}

/**
 * Downloads an attached document's content (`GET /documents/{id}`) as a Buffer. A plain id is
 * fetched directly; `{ documentName }` is looked up in the entity's metadata first.
 */
export async function downloadAttachment(entity: MambuEntity, ref: string | number | DocumentRef): Promise<Buffer> {
  const where = `${entity.constructor.name}.downloadAttachment`;
  let path: string;
  if (typeof ref === "string" || typeof ref === "number") {
    if (String(ref).trim() === "") throw new MambuTsError(`${where}: give a document id`);
    ownerOf(entity, "documents", DOCUMENT_OWNER_TYPES);
    path = `/documents/${encodeSegment(String(ref))}`;
  } else {
    path = pathOf(await resolveDocument(entity, ref, where));
  }
  const res = await connectorOf(entity).request({ method: "GET", path, accept: "application/vnd.mambu.v2+file" });
  return res.raw;
}

/**
 * Deletes an attachment of the entity, named by `documentId` (id or encodedKey) or `documentName`
 * (its title; several with that title is an error). The document is first checked to belong to
 * this entity, so an id of another entity's document is refused rather than deleted.
 */
export async function deleteAttachment(entity: MambuEntity, ref: DocumentRef): Promise<void> {
  const where = `${entity.constructor.name}.deleteAttachment`;
  if (typeof ref !== "object" || ref === null) throw new MambuTsError(`${where}: give { documentId } or { documentName }`);
  const doc = await resolveDocument(entity, ref, where);
  await connectorOf(entity).request({ method: "DELETE", path: pathOf(doc) });
  const kept = (entity as unknown as { attachments?: unknown }).attachments;
  if (Array.isArray(kept) && Object.getOwnPropertyDescriptor(entity, "attachments")) {
    const same = (d: unknown): boolean => d instanceof MambuDocument && d[RAW].encodedKey === doc[RAW].encodedKey && idOf(d) === idOf(doc);
    setTransient(entity, "attachments", kept.filter((d) => !same(d)));
  }
}

declare module "./entity" {
  interface MambuEntity {
    /** Uploads a document for this entity (multipart `POST /documents`), checked before any request. */
    attachDocument(source: DocumentSource, opts?: AttachDocumentOptions): Promise<MambuDocument>;
    /** Metadata of this entity's documents (paginated); awaited, also `entity.attachments`. */
    getAttachmentsMetadata(opts?: OwnedListOptions): MambuList<MambuDocument>;
    /** The content of one of this entity's documents (by id, or `{ documentName }`). */
    downloadAttachment(ref: string | number | DocumentRef): Promise<Buffer>;
    /** Deletes one of this entity's documents, by `documentId` or `documentName` (checked to be this entity's). */
    deleteAttachment(ref: DocumentRef): Promise<void>;
    /** Set when getAttachmentsMetadata() is awaited (never sent back to Mambu). */
    attachments?: MambuDocument[];
  }
}

installMethods(MambuEntity.prototype, {
  attachDocument(this: MambuEntity, source: DocumentSource, opts?: AttachDocumentOptions): Promise<MambuDocument> {
    return attachDocument(this, source, opts);
  },
  getAttachmentsMetadata(this: MambuEntity, opts?: OwnedListOptions): MambuList<MambuDocument> {
    return getAttachmentsMetadata(this, opts);
  },
  downloadAttachment(this: MambuEntity, ref: string | number | DocumentRef): Promise<Buffer> {
    return downloadAttachment(this, ref);
  },
  deleteAttachment(this: MambuEntity, ref: DocumentRef): Promise<void> {
    return deleteAttachment(this, ref);
  },
});
