/**
 * Reads the INSERT statements of a MySQL dump back into values (tests of the sandbox's backups): a small reader of
 * mysqldump's syntax — quoted strings with backslash escapes, NULL, bare numbers — independent of the writer.
 */

/** Rows of one table: each value the unescaped text, or null for NULL. */
export interface DumpedTable {
  columns: string[];
  rows: Array<Array<string | null>>;
}

const UNESCAPE: Record<string, string> = { "0": "\0", n: "\n", r: "\r", Z: "\x1a", t: "\t", b: "\b" };

/** Every table's INSERTed rows, by table name. */
export function readDumpInserts(sql: string): Map<string, DumpedTable> {
  const out = new Map<string, DumpedTable>();
  const head = /^INSERT INTO `([^`]+)` \(([^)]*)\) VALUES /gm;
  let m: RegExpExecArray | null;
  while ((m = head.exec(sql))) {
    const table = m[1]!;
    const columns = m[2]!.split(",").map((c) => c.replace(/^`|`$/g, ""));
    const entry = out.get(table) ?? { columns, rows: [] };
    out.set(table, entry);
    let i = head.lastIndex;
    for (;;) {
      if (sql[i] !== "(") throw new Error(`expected ( at ${i} in ${table}`);
      i++;
      const values: Array<string | null> = [];
      for (;;) {
        if (sql[i] === "'") {
          let s = "";
          i++;
          while (sql[i] !== "'") {
            if (i >= sql.length) throw new Error("unterminated string");
            if (sql[i] === "\\") {
              const c = sql[i + 1]!;
              s += UNESCAPE[c] ?? c;
              i += 2;
            } else if (sql[i] === "\n") {
              throw new Error(`raw newline inside a string of ${table}`);
            } else s += sql[i++];
          }
          i++;
          values.push(s);
        } else {
          const end = sql.slice(i).search(/[,)]/);
          const bare = sql.slice(i, i + end);
          if (!/^(NULL|-?\d+(\.\d+)?)$/.test(bare)) throw new Error(`unquoted value ${JSON.stringify(bare.slice(0, 40))} in ${table}`);
          values.push(bare === "NULL" ? null : bare);
          i += end;
        }
        if (sql[i] === ",") { i++; continue; }
        if (sql[i] === ")") { i++; break; }
        throw new Error(`unexpected ${sql[i]} at ${i}`);
      }
      entry.rows.push(values);
      if (sql[i] === ",") { i++; continue; }
      if (sql.slice(i, i + 2) === ";\n") break;
      throw new Error(`expected ;\\n after a row of ${table} at ${i}`);
    }
    head.lastIndex = i;
  }
  return out;
}

/** One row of a table as a column → value object. */
export function rowObject(t: DumpedTable, row: Array<string | null>): Record<string, string | null> {
  const o: Record<string, string | null> = Object.create(null);
  t.columns.forEach((c, i) => (o[c] = row[i] ?? null));
  return o;
}
