/**
 * updateRcKey: the new API key replaces the old one in ~/.mambupy.rc in place — every other line, comment and
 * section byte for byte — atomically (a failed rename leaves the old file whole and no temporary file behind),
 * with mode 600, never through a symlink or into another user's file.
 */
import * as fs from "fs";
// The plain CommonJS module object, whose functions jest can spy on (the lib reads them through it).
import fsModule = require("fs");
import * as os from "os";
import * as path from "path";
import { clearRcFileCache, MambuConfig } from "../../lib/config";
import { planRcUpdate, updateRcKey } from "../../lib/config/rc-update";
import { replaceFile, writeNewFile } from "../../lib/config/atomic-file";
import { MambuTsError } from "../../lib/errors";

const OLD = "OldKey-4b1d9e0c7a";
const NEW = "NewKey-93fd2c18e5aa";
const PWD = "Pwd-d0ntL3ak";

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mambu-ts-rc-update-"));
  clearRcFileCache();
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function rc(text: string, mode = 0o600, name = ".mambupy.rc"): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

const ORIGINAL = [
  "# my tenant, set up by ops",
  "[DEFAULT]",
  "apipagination = 100",
  "",
  "; the API section",
  "[API]",
  "apiurl = tenant.sandbox.mambu.com",
  `ApiKey: ${OLD}`,
  "# keep this comment",
  `apipwd = ${PWD}`,
  "",
  "[other]",
  "apikey = not-this-one",
  "",
].join("\n");

describe("updateRcKey", () => {
  it("replaces the [API] apikey in place, every other byte unchanged, and the configuration reads it", () => {
    const file = rc(ORIGINAL, 0o640);
    const r = updateRcKey(file, "apikey", NEW);
    expect(r).toEqual({ path: file, action: "replaced", section: "API", line: 8 });
    const after = fs.readFileSync(file, "utf8");
    expect(after).toBe(ORIGINAL.replace(`ApiKey: ${OLD}`, `ApiKey: ${NEW}`));
    expect(after).not.toContain(OLD);
    expect(modeOf(file)).toBe(0o600);
    const cfg = new MambuConfig({ env: {}, rcFiles: [file], warn: () => undefined });
    expect(cfg.get("apikey")).toBe(NEW);
    expect(fs.readdirSync(dir)).toEqual([".mambupy.rc"]);
  });

  it("keeps CRLF line endings and a byte order mark; drops the continuation lines of the old value only", () => {
    const file = rc(`\uFEFF[API]\r\napikey = ${OLD}\r\n   more-of-old\r\n   # a comment\r\napiuser = me\r\n`);
    updateRcKey(file, "apikey", NEW);
    expect(fs.readFileSync(file, "utf8")).toBe(`\uFEFF[API]\r\napikey = ${NEW}\r\n   # a comment\r\napiuser = me\r\n`);
  });

  it("adds the option under [API] when the section lacks it, and a section when the file has none", () => {
    const withSection = rc("# top\n[API]\napiurl = t.mambu.com\n[x]\ny = 1\n", 0o600, "a.rc");
    expect(updateRcKey(withSection, "apikey", NEW)).toMatchObject({ action: "added", line: 3 });
    expect(fs.readFileSync(withSection, "utf8")).toBe(`# top\n[API]\napikey = ${NEW}\napiurl = t.mambu.com\n[x]\ny = 1\n`);

    const without = rc("# only a comment\n[x]\ny = 1", 0o600, "b.rc");
    expect(updateRcKey(without, "apikey", NEW)).toMatchObject({ action: "added", line: 6 });
    expect(fs.readFileSync(without, "utf8")).toBe(`# only a comment\n[x]\ny = 1\n\n[API]\napikey = ${NEW}\n`);

    const missing = path.join(dir, "c.rc");
    expect(planRcUpdate(missing, "apikey")).toMatchObject({ action: "created" });
    expect(fs.existsSync(missing)).toBe(false); // planning writes nothing
    expect(updateRcKey(missing, "apikey", NEW)).toMatchObject({ action: "created", line: 2 });
    expect(fs.readFileSync(missing, "utf8")).toBe(`[API]\napikey = ${NEW}\n`);
    expect(modeOf(missing)).toBe(0o600);
  });

  it("a failed rename (a crash between write and rename) leaves the old file whole and no temporary file", () => {
    const file = rc(ORIGINAL);
    const rename = jest.spyOn(fsModule, "renameSync").mockImplementation(() => {
      throw Object.assign(new Error("EIO: i/o error, rename"), { code: "EIO" });
    });
    const e = errorOf(() => updateRcKey(file, "apikey", NEW));
    expect(rename).toHaveBeenCalledTimes(1);
    // The temporary file was written whole, with mode 600, beside the rc file, before the rename.
    const [from, to] = rename.mock.calls[0] as [string, string];
    expect(path.dirname(from)).toBe(dir);
    expect(to).toBe(file);
    expect(e).toBeInstanceOf(MambuTsError);
    expect(e.message).toBe(`cannot write ${file}: EIO; the file is unchanged`);
    expect(e.message).not.toContain(NEW);
    expect(fs.readFileSync(file, "utf8")).toBe(ORIGINAL);
    expect(fs.readdirSync(dir)).toEqual([".mambupy.rc"]);
  });

  it("the temporary file has mode 600 and the whole new text before the rename", () => {
    const file = rc(ORIGINAL, 0o644);
    const real = fs.renameSync;
    let seen: { mode: number; text: string } | undefined;
    jest.spyOn(fsModule, "renameSync").mockImplementation((from, to) => {
      seen = { mode: fs.statSync(from).mode & 0o777, text: fs.readFileSync(from, "utf8") };
      real(from, to);
    });
    updateRcKey(file, "apikey", NEW);
    expect(seen).toEqual({ mode: 0o600, text: ORIGINAL.replace(OLD, NEW) });
  });

  it("refuses a symlink, a file of another owner, a directory, a malformed file — and says nothing of the value", () => {
    const target = rc(ORIGINAL, 0o600, "real.rc");
    const link = path.join(dir, "link.rc");
    fs.symlinkSync(target, link);
    const e = errorOf(() => updateRcKey(link, "apikey", NEW));
    expect(e.message).toBe(`rc file ${link} is a symbolic link: refusing to write a credential through it (give the real file's path)`);
    expect(() => planRcUpdate(link, "apikey")).toThrow("is a symbolic link");
    expect(fs.readFileSync(target, "utf8")).toBe(ORIGINAL);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);

    const other = rc(ORIGINAL, 0o600, "other.rc");
    const uid = process.getuid!();
    jest.spyOn(process, "getuid").mockReturnValue(uid + 1);
    expect(errorOf(() => updateRcKey(other, "apikey", NEW)).message).toBe(`rc file ${other} belongs to another user (uid ${uid}); refusing to change it`);
    jest.restoreAllMocks();
    expect(fs.readFileSync(other, "utf8")).toBe(ORIGINAL);

    expect(errorOf(() => updateRcKey(dir, "apikey", NEW)).message).toBe(`rc file ${dir} is not a regular file`);

    const bad = rc(`[API]\napikey = ${OLD}\napikey = twice\n`, 0o600, "bad.rc");
    const m = errorOf(() => updateRcKey(bad, "apikey", NEW));
    expect(m.message).toBe(`malformed rc file ${bad}, line 3: option "apikey" appears twice in section [API]`);
    expect(fs.readFileSync(bad, "utf8")).toBe(`[API]\napikey = ${OLD}\napikey = twice\n`);
    for (const err of [e, m]) expect(err.message).not.toContain(NEW);
  });

  it("refuses a value that cannot be one rc line", () => {
    const file = rc(ORIGINAL);
    for (const v of ["", " padded", "two\nlines", "tab\tinside"]) {
      expect(() => updateRcKey(file, "apikey", v)).toThrow(MambuTsError);
    }
    expect(fs.readFileSync(file, "utf8")).toBe(ORIGINAL);
  });
});

describe("writeNewFile and replaceFile", () => {
  it("writeNewFile creates with mode 600 and refuses an existing file or a symlink (O_EXCL)", () => {
    const f = path.join(dir, "keys.json");
    const old = process.umask(0o000);
    try {
      writeNewFile(f, "one");
    } finally {
      process.umask(old);
    }
    expect(modeOf(f)).toBe(0o600);
    expect(() => writeNewFile(f, "two")).toThrow(`${f} already exists; it is left as it is (give another file, or --force to replace it)`);
    expect(fs.readFileSync(f, "utf8")).toBe("one");
    const link = path.join(dir, "dangling.json");
    fs.symlinkSync(path.join(dir, "nowhere.json"), link);
    expect(() => writeNewFile(link, "x")).toThrow("already exists");
    expect(fs.existsSync(path.join(dir, "nowhere.json"))).toBe(false);
  });

  it("replaceFile swaps the content whole and leaves mode 600", () => {
    const f = rc("old", 0o644, "keys.json");
    replaceFile(f, "new");
    expect(fs.readFileSync(f, "utf8")).toBe("new");
    expect(modeOf(f)).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(["keys.json"]);
  });
});
