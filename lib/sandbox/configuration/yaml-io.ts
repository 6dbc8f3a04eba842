/**
 * Reading and answering the YAML documents of the `configuration/*.yaml` endpoints.
 *
 * A request document is parsed with the `yaml` package under bounds: at most {@link MAX_YAML_CHARS} characters,
 * YAML 1.2 core schema (no `<<` merge keys, no custom tags), unique keys, at most {@link MAX_YAML_ALIASES}
 * alias expansions (an "billion laughs" alias bomb is refused, not expanded), at most the sandbox's JSON depth
 * of nesting, no `__proto__` key. Whatever does not parse is Mambu's 400 `INVALID_YAML_SYNTAX` (errorCode 10000,
 * as the reference's example shows) naming line and column; a document that parses but does not follow its
 * definition is 400 `INVALID_PARAMETERS` naming the first problem (validateAgainst of lib/contract/schema.ts).
 */
import { parseDocument, stringify } from "yaml";
import { validateAgainst } from "../../contract/schema";
import { valueDepth } from "../body";
import { invalidParameters, mambuError } from "../errors";
import { MAX_JSON_DEPTH } from "../limits";
import type { RouteResponse } from "../router";
import { findProtoKey } from "../safe-keys";
import { SandboxError } from "../types";

/** Longest YAML document accepted (characters). */
export const MAX_YAML_CHARS = 1024 * 1024;

/** Most alias expansions in one document (the `yaml` package's `maxAliasCount`). */
export const MAX_YAML_ALIASES = 50;

/** The media type of the answers. */
export const YAML_ANSWER_TYPE = "application/vnd.mambu.v2+yaml";

/** Mambu's error for a document that does not parse (code 10000 as in the reference's example). */
export function invalidYaml(source: string): SandboxError {
  return mambuError("INVALID_YAML_SYNTAX", source);
}

/**
 * Parses a YAML request body (`req.text`) into a plain value, within the bounds described above.
 * @throws SandboxError 400 INVALID_YAML_SYNTAX (no body, too long, syntax, duplicate keys, alias bomb, too deep)
 *   or 400 INVALID_PARAMETERS (a `__proto__` key).
 */
export function parseYamlBody(text: string | undefined): unknown {
  if (text === undefined || text.trim() === "") throw invalidYaml("the body must be a YAML document (Content-Type: application/yaml)");
  if (text.length > MAX_YAML_CHARS) throw invalidYaml(`the YAML document is longer than ${MAX_YAML_CHARS} characters`);
  let value: unknown;
  try {
    const doc = parseDocument(text, { schema: "core", merge: false, uniqueKeys: true, prettyErrors: true, strict: true });
    const err = doc.errors[0];
    if (err) {
      const at = err.linePos?.[0];
      throw invalidYaml(`${err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}${at ? ` (line ${at.line}, column ${at.col})` : ""}`);
    }
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    if (e instanceof SandboxError) throw e;
    throw invalidYaml(e instanceof ReferenceError ? "too many aliases: the document expands beyond the limit" : String((e as Error)?.message ?? e).split("\n")[0]);
  }
  if (valueDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw invalidYaml(`the document nests deeper than ${MAX_JSON_DEPTH} levels`);
  const proto = findProtoKey(value, "document");
  if (proto) throw invalidParameters(`${proto}: this key is not allowed`);
  return value;
}

/**
 * Checks a parsed document against its definition (`{ type: "object", ref }` of the resource). Unknown fields
 * are refused unless `tolerateUnknown`.
 * @throws SandboxError 400 INVALID_PARAMETERS naming the first problem.
 */
export function checkDocument(resource: string, definitionName: string, doc: unknown, options: { tolerateUnknown?: boolean } = {}): Record<string, unknown> {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw invalidParameters(`the document must be a mapping (${definitionName})`);
  let problems = validateAgainst(resource, { type: "object", ref: definitionName }, doc, { path: "document" });
  if (options.tolerateUnknown) problems = problems.filter((p) => !/: unknown field/.test(p));
  if (problems.length) throw invalidParameters(problems[0]);
  return doc as Record<string, unknown>;
}

/** A 200 answer carrying `value` as YAML (`application/vnd.mambu.v2+yaml`). */
export function yamlAnswer(value: unknown, status = 200): RouteResponse {
  const text = stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
  return { status, raw: Buffer.from(text, "utf8"), headers: { "Content-Type": YAML_ANSWER_TYPE } };
}

/** The answer of a PUT: `warnings: [...]` (the reference's success response). */
export function warningsAnswer(warnings: string[]): RouteResponse {
  return yamlAnswer({ warnings });
}
