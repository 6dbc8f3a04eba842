/**
 * The README's Performance table is bench/results.json rendered (issue 19 item 6): a full
 * `npm run bench` regenerates both, and `node bench/readme-table.js` redoes the README from the file.
 * A hand-edited figure, or a results.json committed without its table, fails here.
 */
import { readFileSync } from "fs";
import { join } from "path";

const root = join(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const table = require(join(root, "bench", "lib", "table.js")) as {
  START: string;
  END: string;
  readmeBlock(results: unknown): string;
  replaceReadmeBlock(readme: string, results: unknown): string;
};

describe("README Performance table", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const results = JSON.parse(readFileSync(join(root, "bench", "results.json"), "utf8"));

  it("is exactly bench/results.json's rows, run date and machine", () => {
    expect(table.replaceReadmeBlock(readme, results)).toBe(readme);
    const block = readme.slice(readme.indexOf(table.START), readme.indexOf(table.END));
    expect(block).toContain(`Latest full run (${String(results.generatedAt).slice(0, 10)};`);
    const rows = results.benchmarks.flatMap((b: { rows: unknown[] }) => b.rows);
    expect(block.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| benchmark"))).toHaveLength(rows.length);
  });

  it("shows the floor, MambuPy and both ratios for each row", () => {
    const row = { benchmark: "b", measure: "m", unit: "records/s", mambuTs: 2000, floor: 4000, mambupy: 100, ratioToFloor: 2, vsMambuPy: 20, target: { floorMax: 2.5 }, met: true };
    const block = table.readmeBlock({ generatedAt: "2026-12-07T00:00:00Z", machine: { cpus: 2, node: "v20" }, mambupy: { source: "MambuPy from MAMBUPY_SRC=/home/me/src (python3)" }, benchmarks: [{ rows: [row] }], notes: ["b: MambuPy from MAMBUPY_SRC=/home/me/src"] });
    expect(block).toContain("| b | m | 2,000/s | 4,000/s | 100/s | ×2.00 | ×20.0 faster | ≤ ×2.5 floor | yes |");
    // where MambuPy's checkout sat on the benchmark machine is not printed
    expect(block).not.toContain("/home/me");
  });

  it("refuses a README without the markers instead of appending a table somewhere", () => {
    expect(() => table.replaceReadmeBlock("# no table here\n", results)).toThrow(/markers/);
  });
});
