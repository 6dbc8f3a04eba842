/**
 * A small INI reader that follows Python's `configparser.RawConfigParser` defaults, so that an rc
 * file written for MambuPy means the same thing here.
 */
import { MambuTsError } from "../errors";

/** One option of an INI section: its value and the 1-based line where the option starts. */
export interface IniEntry {
  value: string;
  line: number;
}

/** A parsed INI document: section name → (lower-cased option name → entry). `DEFAULT` is its own section. */
export type IniDocument = Map<string, Map<string, IniEntry>>;

const SECTION_RE = /^\[(.+)\]/;
const OPTION_RE = /^(.*?)\s*([=:])\s*(.*)$/s;

/**
 * Parses INI text with configparser's rules (Python 3, default options, no interpolation).
 *
 * The rules, so that values survive exactly as written:
 * - `[section]` headers are case-sensitive; option names are lower-cased.
 * - An option line is `name = value` or `name : value`, split at the FIRST `=` or `:`; everything
 *   after it is the value (so `apipwd=a=b:c` gives `a=b:c`), with surrounding whitespace trimmed.
 * - Only whole lines starting with `#` or `;` (after indentation) are comments. Inline comments are
 *   NOT stripped: `apipwd = s3cr;t #1` gives `s3cr;t #1`.
 * - Quotes are kept literally (`apipwd = "x y"` gives `"x y"`, quotes included); backslashes are
 *   not escapes; `%` is literal (unlike MambuPy's `ConfigParser`, there is no `%(name)s`
 *   interpolation, so `%%` stays two characters).
 * - A line indented deeper than its option line continues the value (joined with `\n`); empty
 *   lines inside such a value are kept, trailing ones dropped.
 * - Errors (reported with the file and the 1-based line, never the line's text, which may hold a
 *   secret): an option before any section header, a line that is neither a header, a comment nor
 *   `name=value`, an empty option name, a section or option repeated in one file.
 * - A UTF-8 byte order mark is ignored; `\r\n` and `\r` line endings are accepted.
 *
 * @param text the file's text.
 * @param file the file's path, used only in error messages.
 * @throws MambuTsError naming the file and the line of the first error.
 */
export function parseIni(text: string, file: string): IniDocument {
  const doc: IniDocument = new Map();
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const seenSections = new Set<string>();
  const values: Array<{ entry: IniEntry; parts: string[] }> = [];
  let section: { name: string; options: Map<string, IniEntry> } | undefined;
  // Parts of the value being read (the option's own text, then continuation lines); undefined
  // right after a section header, where a continuation is not possible.
  let parts: string[] | undefined;
  let optionIndent = 0;
  const fail = (line: number, what: string): never => {
    throw new MambuTsError(`malformed rc file ${file}, line ${line}: ${what}`);
  };

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const stripped = raw.trim();
    if (stripped.startsWith("#") || stripped.startsWith(";")) return;
    if (stripped === "") {
      // configparser keeps empty lines inside a value (trailing ones are dropped at the end).
      parts?.push("");
      return;
    }
    const indent = raw.length - raw.trimStart().length;
    if (parts && indent > optionIndent) {
      parts.push(stripped);
      return;
    }
    optionIndent = indent;
    const header = SECTION_RE.exec(stripped);
    if (header) {
      parts = undefined;
      const name = header[1];
      if (seenSections.has(name)) fail(lineNo, `section [${name}] appears twice`);
      seenSections.add(name);
      const options = new Map<string, IniEntry>();
      doc.set(name, options);
      section = { name, options };
      return;
    }
    if (!section) return fail(lineNo, "an option comes before any [section] header (expected e.g. [API])");
    const option = OPTION_RE.exec(stripped);
    if (!option) return fail(lineNo, 'expected "name = value", a [section] header or a comment');
    const name = option[1].trimEnd().toLowerCase();
    if (name === "") fail(lineNo, "an option has no name before its '=' or ':'");
    if (section.options.has(name)) fail(lineNo, `option "${name}" appears twice in section [${section.name}]`);
    const entry: IniEntry = { value: "", line: lineNo };
    section.options.set(name, entry);
    parts = [option[3].trim()];
    values.push({ entry, parts });
  });
  for (const { entry, parts: entryParts } of values) entry.value = entryParts.join("\n").trimEnd();
  return doc;
}

/**
 * The options of one section, with `[DEFAULT]`'s options underneath (as configparser does).
 * @returns a new map; empty when neither the section nor `[DEFAULT]` exists.
 */
export function sectionWithDefaults(doc: IniDocument, section: string): Map<string, IniEntry> {
  const out = new Map<string, IniEntry>(doc.get("DEFAULT") ?? []);
  for (const [k, v] of doc.get(section) ?? []) out.set(k, v);
  return out;
}
