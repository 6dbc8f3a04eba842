/** Migration sources: CSV (csv-parse, RFC 4180), JSON lines, positions, and writing rows back. */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { CsvRecord, CsvShape, formatRows, parseCsvText, readCsv, readSource, SourceError, SourceLayout, SourceRow } from "../../lib/migrate";

const fields = (text: string) => parseCsvText(text).map((r) => r.fields);

/** Reads CSV chunks as a stream would deliver them. */
async function streamed(chunks: Iterable<string | Buffer>, shape?: CsvShape): Promise<CsvRecord[]> {
  const recs: CsvRecord[] = [];
  for await (const r of readCsv((async function* () { yield* chunks; })(), "f", ",", shape)) recs.push(r);
  return recs;
}

async function readAll(path: string, source = "clients"): Promise<{ rows: SourceRow[]; layout?: SourceLayout }> {
  const rows: SourceRow[] = [];
  let layout: SourceLayout | undefined;
  for await (const r of readSource({ source, path, shownAs: "f", onLayout: (l) => (layout = l) })) rows.push(r);
  return { rows, layout };
}

describe("CSV parser (RFC 4180)", () => {
  it("splits plain fields, keeps empty ones, skips empty lines", () => {
    expect(fields("a,b,c\n1,,3\n\n4,5,\n")).toEqual([["a", "b", "c"], ["1", "", "3"], ["4", "5", ""]]);
    expect(fields("a,b\n1,")).toEqual([["a", "b"], ["1", ""]]);
  });

  it("reads quoted fields with delimiters, escaped quotes and line breaks", () => {
    const text = 'id,name,notes\n1,"Garcia, Josefa","She said ""hi""\nand left"\n2,"",x\n';
    expect(fields(text)).toEqual([
      ["id", "name", "notes"],
      ["1", "Garcia, Josefa", 'She said "hi"\nand left'],
      ["2", "", "x"],
    ]);
  });

  it("accepts CRLF, lone CR and a BOM, and keeps CRLF inside quotes", async () => {
    const text = '\ufeffa,b\r\n1,"x\r\ny"\r2,3\r\n';
    for (const read of [async (shape: CsvShape) => parseCsvText(text, "f", ",", shape), (shape: CsvShape) => streamed([Buffer.from(text)], shape)]) {
      const shape: CsvShape = { bom: false };
      const recs = await read(shape);
      expect(shape).toEqual({ bom: true, eol: "\r\n" });
      expect(recs.map((r) => r.fields)).toEqual([["a", "b"], ["1", "x\r\ny"], ["2", "3"]]);
      expect(recs.map((r) => r.line)).toEqual([1, 2, 4]);
    }
  });

  it("gives the same records however the input is chunked", async () => {
    const text = '\ufeffid,"na,me"\r\n1,"a ""q"" \r\nb"\r\n2,c\n3,"d"';
    const whole = parseCsvText(text);
    const bytes = Buffer.from(text);
    const shape: CsvShape = { bom: false };
    const byByte = await streamed(Array.from(bytes, (b) => Buffer.from([b])), shape);
    expect(byByte).toEqual(whole);
    expect(shape).toEqual({ bom: true, eol: "\r\n" });
    expect(await streamed(text)).toEqual(whole);
    expect(whole.map((r) => r.fields)).toEqual([["id", "na,me"], ["1", 'a "q" \r\nb'], ["2", "c"], ["3", "d"]]);
    expect(whole.map((r) => r.line)).toEqual([1, 2, 4, 5]);
  });

  it("numbers records by the line they start on", () => {
    const recs = parseCsvText('h\n"multi\nline\nfield"\nnext\n');
    expect(recs.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it("reports an unterminated quote where it opened, and a stray quote where it is", async () => {
    expect(() => parseCsvText('a,b\n1,"open\n2,3\n', "x.csv")).toThrow(new SourceError("x.csv", 2, 3, "unterminated quoted field (a quote opened here is never closed)"));
    try {
      parseCsvText('a,b\n1,ab"c\n', "x.csv");
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(SourceError);
      expect((e as SourceError).message).toBe('x.csv:2:5: a quote inside an unquoted field (quote the whole field and double the quote: "a""b")');
    }
    expect(() => parseCsvText('a\n"x"y\n', "x.csv")).toThrow(/x\.csv:2:4: unexpected "y" after the closing quote/);
    // past records, empty lines and line breaks inside quotes (CRLF counted once), streamed too
    const later = 'a,b\r\n\r\n1,"x\r\ny"\r\n2,z"w\r\n';
    expect(() => parseCsvText(later, "x.csv")).toThrow(new SourceError("x.csv", 5, 4, 'a quote inside an unquoted field (quote the whole field and double the quote: "a""b")'));
    await expect(streamed([later])).rejects.toThrow(new SourceError("f", 5, 4, 'a quote inside an unquoted field (quote the whole field and double the quote: "a""b")'));
    await expect(streamed(['a\n1,"x\n', "y,\n2\n"])).rejects.toThrow(new SourceError("f", 2, 3, "unterminated quoted field (a quote opened here is never closed)"));
  });

  it("supports another delimiter", () => {
    expect(parseCsvText("a;b\n1,5;2\n", "f", ";").map((r) => r.fields)).toEqual([["a", "b"], ["1,5", "2"]]);
  });
});

describe("readSource", () => {
  const dir = mkdtempSync(join(tmpdir(), "mig-src-"));

  it("reads CSV rows with values, columns and shape problems", async () => {
    const p = join(dir, "c.csv");
    writeFileSync(p, "\ufeffid,name\r\nC1,\"Lopez, Ana\"\r\nC2\r\n");
    const { rows, layout } = await readAll(p);
    expect(layout).toEqual({ format: "csv", header: ["id", "name"], delimiter: ",", eol: "\r\n", bom: true });
    expect(rows[0]).toMatchObject({ line: 2, values: { id: "C1", name: "Lopez, Ana" }, columns: { id: 1, name: 2 } });
    expect(rows[1].shapeProblem).toBe("expected 2 fields (as the header), got 1");
  });

  it("refuses duplicate and empty header names", async () => {
    const p = join(dir, "d.csv");
    writeFileSync(p, "id,name,id\n1,2,3\n");
    await expect(readAll(p)).rejects.toThrow('f:1:3: duplicate column "id" in the header');
  });

  it("reads JSON lines with exact numbers, nested keys and key positions", async () => {
    const p = join(dir, "g.jsonl");
    writeFileSync(p, '{"id":"G1","amount":1500.50,"big":123456789012345678,"address":{"city":"Monterrey"},"members":["a","b"]}\n\n{"id":"G2","flag":true,"n":null}\n');
    const { rows } = await readAll(p, "groups");
    expect(rows.map((r) => r.line)).toEqual([1, 3]);
    expect(rows[0].values).toMatchObject({ id: "G1", amount: "1500.50", big: "123456789012345678", "address.city": "Monterrey", members: '["a","b"]', "members.0": "a" });
    expect(rows[0].columns.amount).toBe(12);
    expect(rows[1].values).toMatchObject({ flag: "true", n: "" });
  });

  it("points at the line of invalid JSON", async () => {
    const p = join(dir, "bad.jsonl");
    writeFileSync(p, '{"id":"G1"}\n{"id": oops}\n');
    await expect(readAll(p, "groups")).rejects.toThrow(/^f:2:\d+: invalid JSON/);
  });
});

describe("formatRows (failures files)", () => {
  it("writes CSV rows back with the header, BOM, line ending and an error column", () => {
    const rows: SourceRow[] = parseCsvText('id,notes\r\n1,"a, b"\r\n2,"x\r\ny"\r\n')
      .slice(1)
      .map((r) => ({ source: "clients", file: "f", line: r.line, values: {}, columns: {}, raw: { kind: "csv", fields: r.fields } }));
    const text = formatRows({ format: "csv", header: ["id", "notes"], delimiter: ",", eol: "\r\n", bom: true }, rows, "migrate_error", (r) => `bad ${r.line}`);
    expect(text).toBe('\ufeffid,notes,migrate_error\r\n1,"a, b",bad 2\r\n2,"x\r\ny",bad 3\r\n');
    expect(parseCsvText(text).map((r) => r.fields)).toEqual([["id", "notes", "migrate_error"], ["1", "a, b", "bad 2"], ["2", "x\r\ny", "bad 3"]]);
  });

  it("writes JSON lines back as read, with the error key", () => {
    const rows: SourceRow[] = [{ source: "groups", file: "f", line: 1, values: {}, columns: {}, raw: { kind: "jsonl", text: '{"id":"G1","amount":1500.50}' } }];
    expect(formatRows({ format: "jsonl" }, rows, "migrate_error", () => 'no "x"')).toBe('{"id":"G1","amount":1500.50,"migrate_error":"no \\"x\\""}\n');
  });
});
