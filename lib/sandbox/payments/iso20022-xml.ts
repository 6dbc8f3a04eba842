/**
 * ISO 20022 XML of the gateway with fast-xml-parser: {@link buildXml} writes a document (XMLBuilder; text and
 * attribute values escaped), {@link parseXml} reads one safely — a document with a DOCTYPE or an ENTITY
 * declaration is refused before parsing (no external or expanded entities: XXE and entity bombs cannot happen),
 * nesting and element count are bounded ({@link MAX_XML_DEPTH}, {@link MAX_XML_ELEMENTS}; the body itself is
 * bounded by the sandbox's body limit), the text must be well-formed (XMLValidator), values stay strings (an
 * amount is never turned into a double), namespace prefixes are dropped. Refusals are 400 FORMAT_ERROR.
 */
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { tppError } from "./tpp";

/** Deepest element nesting accepted in an incoming document. */
export const MAX_XML_DEPTH = 64;
/** Most elements accepted in an incoming document. */
export const MAX_XML_ELEMENTS = 20_000;

/** An XML element as the builder takes it and the parser gives it: children by name, `@_` attributes, `#text`. */
export type XmlNode = { [name: string]: XmlValue };
/** A value of an {@link XmlNode}. */
export type XmlValue = string | XmlNode | XmlValue[] | undefined;

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, suppressEmptyNode: true, processEntities: true });

/** The document `<?xml ...?>` + `root` as UTF-8 XML text (undefined children are left out). */
export function buildXml(rootName: string, root: XmlNode): string {
  return builder.build({ "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" }, [rootName]: root }) as string;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Checks nesting and element count with a scan of the tags (before any parsing). */
function checkShape(text: string): void {
  let depth = 0;
  let elements = 0;
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    if (m[1] === "/") {
      depth--;
      continue;
    }
    if (++elements > MAX_XML_ELEMENTS) throw tppError("FORMAT_ERROR", `the document has more than ${MAX_XML_ELEMENTS} elements`);
    if (m[3] !== "/" && ++depth > MAX_XML_DEPTH) throw tppError("FORMAT_ERROR", `the document nests deeper than ${MAX_XML_DEPTH} levels`);
  }
}

/**
 * The namespace of the root element as written (`xmlns`, or `xmlns:p` for a root `p:Document`), read from the
 * root's start tag (the parser drops namespace declarations with their prefixes); undefined when none.
 */
export function rootNamespace(text: string): string | undefined {
  const body = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, "");
  const m = /<(?:([A-Za-z_][\w.-]*):)?[A-Za-z_][\w.-]*((?:[^>"']|"[^"]*"|'[^']*')*)>/.exec(body);
  if (!m) return undefined;
  const name = m[1] ? `xmlns:${m[1]}` : "xmlns";
  const attrRe = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (let a = attrRe.exec(m[2]); a; a = attrRe.exec(m[2])) if (a[1] === name) return a[2] ?? a[3];
  return undefined;
}

/**
 * Parses an incoming XML document into its root element's name and content.
 * @throws TppError 400 FORMAT_ERROR: empty, a DOCTYPE/ENTITY declaration, too deep or too many elements, not
 *   well-formed, or not exactly one root element.
 */
export function parseXml(text: string): { rootName: string; root: XmlNode; namespace?: string } {
  if (text.trim() === "") throw tppError("FORMAT_ERROR", "the XML document is empty");
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw tppError("FORMAT_ERROR", "DOCTYPE and ENTITY declarations are not accepted");
  checkShape(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw tppError("FORMAT_ERROR", `the XML document is not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(text) as XmlNode;
  const roots = Object.keys(doc).filter((k) => !k.startsWith("?"));
  if (roots.length !== 1 || typeof doc[roots[0]] !== "object" || Array.isArray(doc[roots[0]])) {
    throw tppError("FORMAT_ERROR", "the XML document must have one root element");
  }
  const namespace = rootNamespace(text);
  return { rootName: roots[0], root: doc[roots[0]] as XmlNode, ...(namespace !== undefined ? { namespace } : {}) };
}

/** The child element `name` of a node (the first when repeated), when it is an element. */
export function child(node: XmlValue, name: string): XmlNode | undefined {
  if (node === undefined || typeof node !== "object" || Array.isArray(node)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(node, name)) return undefined;
  const v = node[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first !== undefined && typeof first === "object" && !Array.isArray(first) ? first : undefined;
}

/** The children `name` of a node, as a list of elements. */
export function children(node: XmlValue, name: string): XmlNode[] {
  if (node === undefined || typeof node !== "object" || Array.isArray(node)) return [];
  if (!Object.prototype.hasOwnProperty.call(node, name)) return [];
  const v = node[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is XmlNode => x !== undefined && typeof x === "object" && !Array.isArray(x));
}

/** The text at a path of child names (`text(tx, "PmtId", "EndToEndId")`), or undefined. */
export function text(node: XmlValue, ...path: string[]): string | undefined {
  let cur: XmlValue = node;
  for (let i = 0; i < path.length; i++) {
    if (cur === undefined || typeof cur !== "object" || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, path[i])) return undefined;
    const v: XmlValue = cur[path[i]];
    cur = Array.isArray(v) ? v[0] : v;
  }
  if (typeof cur === "string") return cur;
  if (cur !== undefined && typeof cur === "object" && !Array.isArray(cur) && typeof cur["#text"] === "string") return cur["#text"];
  return undefined;
}

/** An attribute of an element (`attr(amt, "Ccy")`), or undefined. */
export function attr(node: XmlValue, name: string): string | undefined {
  if (node === undefined || typeof node !== "object" || Array.isArray(node)) return undefined;
  const v = Object.prototype.hasOwnProperty.call(node, `@_${name}`) ? node[`@_${name}`] : undefined;
  return typeof v === "string" ? v : undefined;
}
