/** mambuconfig: defaults < /etc/mambupy.rc < ~/.mambupy.rc < environment < code, read when asked. */
import * as fs from "fs";
// The plain CommonJS module object, whose functions jest can spy on (the lib reads them through it).
import fsModule = require("fs");
import * as os from "os";
import * as path from "path";
import { inspect } from "util";
import { MambuConfig, clearRcFileCache, defaultRcFiles, mambuconfig, parseIni } from "../../lib/config";
import { invalidValue } from "../../lib/config/validate";
import { MambuTsError } from "../../lib/errors";

let dir: string;
let warnings: string[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mambu-ts-config-"));
  warnings = [];
  clearRcFileCache();
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes an rc file in the temp dir with the given mode (600 unless told) and returns its path. */
function rc(name: string, text: string, mode = 0o600): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

function config(env: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv) = {}, rcFiles: string[] = []): MambuConfig {
  return new MambuConfig({ env, rcFiles, warn: (m) => warnings.push(m) });
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("defaults", () => {
  it("has MambuPy's defaults and no apiurl", () => {
    const c = config();
    expect(c.apipagination).toBe(50);
    expect(c.retries).toBe(5);
    expect(c.timeout).toBe(60000);
    expect(c.concurrency).toBe(4);
    expect(c.tenantoffset).toBeUndefined();
    expect(c.apiuser).toBeUndefined();
    expect(c.apipwd).toBeUndefined();
    expect(c.apikey).toBeUndefined();
  });

  it("says how to configure apiurl when nothing sets it", () => {
    const err = errorOf(() => config().apiurl);
    expect(err).toBeInstanceOf(MambuTsError);
    expect(err.message).toBe(
      "apiurl is not configured: set MAMBU_API_URL, apiurl in ~/.mambupy.rc or mambuconfig.apiurl",
    );
  });

  it("reads /etc/mambupy.rc then ~/.mambupy.rc by default", () => {
    expect(defaultRcFiles()).toEqual(["/etc/mambupy.rc", path.join(os.homedir(), ".mambupy.rc")]);
    expect(new MambuConfig().rcFiles).toEqual(defaultRcFiles());
    expect(mambuconfig).toBeInstanceOf(MambuConfig);
  });
});

describe("priority", () => {
  it("merges two rc files key by key, the later one winning", () => {
    const etc = rc("etc.rc", "[API]\napiurl = etc.mambu.com\napiuser = etcuser\napipagination = 20\nshared = etc\n");
    const home = rc("home.rc", "[API]\napiuser = homeuser\napipwd = homepwd\nshared = home\n");
    const c = config({}, [etc, home]);
    expect(c.apiurl).toBe("etc.mambu.com");
    expect(c.apiuser).toBe("homeuser");
    expect(c.apipwd).toBe("homepwd");
    expect(c.apipagination).toBe(20);
    expect(c.get("shared")).toBe("home");
  });

  it("puts the environment over the rc files, and code over the environment", () => {
    const home = rc("home.rc", "[API]\napiurl = file.mambu.com\napiuser = fileuser\n");
    const c = config({ MAMBU_API_URL: "env.mambu.com" }, [home]);
    expect(c.apiurl).toBe("env.mambu.com");
    expect(c.apiuser).toBe("fileuser");
    c.apiurl = "code.mambu.com";
    expect(c.apiurl).toBe("code.mambu.com");
    expect(c.lookup("apiurl")).toEqual({ key: "apiurl", value: "code.mambu.com", source: "code" });
  });

  it("accepts MambuPy's MAMBUPY_* variables, and MAMBU_API_* wins when both are set", () => {
    const c = config({
      MAMBUPY_APIURL: "py.mambu.com",
      MAMBUPY_APIUSER: "pyuser",
      MAMBU_API_USER: "tsuser",
      MAMBUPY_APIPWD: "pypwd",
      MAMBUPY_APIPAGINATION: "30",
      MAMBUPY_RETRIES: "2",
      MAMBU_API_TIMEOUT: "1000",
      MAMBU_API_CONCURRENCY: "8",
      MAMBU_API_KEY: "k-123456",
      MAMBU_API_TENANTOFFSET: "-05:00",
    });
    expect(c.apiurl).toBe("py.mambu.com");
    expect(c.apiuser).toBe("tsuser");
    expect(c.apipwd).toBe("pypwd");
    expect(c.apikey).toBe("k-123456");
    expect(c.apipagination).toBe(30);
    expect(c.retries).toBe(2);
    expect(c.timeout).toBe(1000);
    expect(c.concurrency).toBe(8);
    expect(c.tenantoffset).toBe("-05:00");
    expect(c.lookup("apiuser")?.source).toBe("env MAMBU_API_USER");
    expect(c.lookup("apipwd")?.source).toBe("env MAMBUPY_APIPWD");
  });

  it("treats an empty environment variable as unset", () => {
    const home = rc("home.rc", "[API]\napiurl = file.mambu.com\n");
    expect(config({ MAMBU_API_URL: "" }, [home]).apiurl).toBe("file.mambu.com");
  });

  it("unset() and reset() drop code overrides; assigning undefined unsets", () => {
    const c = config({ MAMBU_API_USER: "envuser", MAMBU_API_URL: "env.mambu.com" });
    c.apiuser = "codeuser";
    c.apipagination = 100;
    expect(c.apiuser).toBe("codeuser");
    c.unset("apiuser");
    expect(c.apiuser).toBe("envuser");
    expect(c.apipagination).toBe(100);
    c.reset();
    expect(c.apipagination).toBe(50);
    c.apiurl = "code.mambu.com";
    c.apiurl = undefined;
    expect(c.apiurl).toBe("env.mambu.com");
    c.set("APIUSER", "upper");
    expect(c.get("apiuser")).toBe("upper");
  });
});

describe("read when asked", () => {
  it("sees environment changes between two reads", () => {
    const env: NodeJS.ProcessEnv = { MAMBU_API_URL: "one.mambu.com" };
    const c = config(() => env);
    expect(c.apiurl).toBe("one.mambu.com");
    env.MAMBU_API_URL = "two.mambu.com";
    expect(c.apiurl).toBe("two.mambu.com");
  });

  it("sees an rc file rewritten, and does not re-read an unchanged one", () => {
    const home = rc("home.rc", "[API]\napiuser = first\n");
    const c = config({}, [home]);
    const reads = jest.spyOn(fsModule, "readFileSync");
    expect(c.apiuser).toBe("first");
    expect(c.apiuser).toBe("first");
    expect(c.apipagination).toBe(50);
    expect(reads.mock.calls.filter(([p]) => p === home)).toHaveLength(1);
    fs.writeFileSync(home, "[API]\napiuser = second-longer\n");
    expect(c.apiuser).toBe("second-longer");
    expect(reads.mock.calls.filter(([p]) => p === home)).toHaveLength(2);
  });

  it("skips missing rc files", () => {
    const c = config({}, [path.join(dir, "nope.rc"), path.join(dir, "no-dir", "x.rc")]);
    expect(c.apipagination).toBe(50);
  });
});

describe("describe(), inspect and JSON", () => {
  it("lists every value with its source and masks secrets", () => {
    const home = rc("home.rc", "[API]\napiuser = fileuser\napipwd = filepwd-secret\nextra_token = tok-secret\nregion = eu\n");
    const c = config({ MAMBU_API_URL: "env.mambu.com", MAMBU_API_KEY: "envkey-secret" }, [home]);
    c.retries = 3;
    expect(c.describe()).toEqual([
      { key: "apiurl", value: "env.mambu.com", source: "env MAMBU_API_URL" },
      { key: "apiuser", value: "fileuser", source: `file ${home}` },
      { key: "apipwd", value: "****", source: `file ${home}` },
      { key: "apikey", value: "****", source: "env MAMBU_API_KEY" },
      { key: "apipagination", value: "50", source: "default" },
      { key: "retries", value: "3", source: "code" },
      { key: "timeout", value: "60000", source: "default" },
      { key: "concurrency", value: "4", source: "default" },
      { key: "maxresponsebytes", value: "67108864", source: "default" },
      { key: "tenantoffset", value: undefined, source: "unset" },
      { key: "extra_token", value: "****", source: `file ${home}` },
      { key: "region", value: "eu", source: `file ${home}` },
    ]);
    const shown = [inspect(c), JSON.stringify(c), inspect(c, { depth: 10, showHidden: true })];
    for (const text of shown) {
      expect(text).not.toContain("filepwd-secret");
      expect(text).not.toContain("envkey-secret");
      expect(text).not.toContain("tok-secret");
    }
    expect(inspect(c)).toContain("apiurl: 'env.mambu.com'  (env MAMBU_API_URL)");
    expect(inspect(c)).toContain("apipwd: ****");
    expect(JSON.parse(JSON.stringify(c))).toMatchObject({ apipwd: "****", apikey: "****", region: "eu" });
    // get() is the one way to read the real value of a secret.
    expect(c.get("extra_token")).toBe("tok-secret");
  });
});

describe("rc file permissions", () => {
  it("warns once per file holding credentials readable by group or others", () => {
    const open = rc("open.rc", "[API]\napipwd = pw-secret-1\n", 0o644);
    const keyed = rc("keyed.rc", "[API]\napikey = key-secret-1\n", 0o640);
    const c = config({}, [open, keyed]);
    expect(c.apipwd).toBe("pw-secret-1");
    expect(c.apikey).toBe("key-secret-1");
    c.describe();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(open);
    expect(warnings[0]).toContain(`chmod 600 ${open}`);
    expect(warnings[1]).toContain(`chmod 600 ${keyed}`);
    expect(warnings.join("\n")).not.toMatch(/pw-secret-1|key-secret-1/);
  });

  it("does not warn for mode 600, nor for files without credentials", () => {
    const closed = rc("closed.rc", "[API]\napipwd = pw-secret\n", 0o600);
    const plain = rc("plain.rc", "[API]\napiurl = x.mambu.com\n", 0o644);
    const c = config({}, [closed, plain]);
    c.describe();
    expect(warnings).toEqual([]);
  });

  it("uses process.emitWarning by default", () => {
    const open = rc("open.rc", "[API]\napipwd = pw\n", 0o644);
    const emit = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const c = new MambuConfig({ env: {}, rcFiles: [open] });
    c.describe();
    c.describe();
    expect(emit).toHaveBeenCalledTimes(1);
    expect(String(emit.mock.calls[0][0])).toContain("chmod 600");
  });

  it("skips (with one warning) an rc file this process may not read", () => {
    const locked = rc("locked.rc", "[API]\napiurl = x\n");
    const real = fs.statSync;
    jest.spyOn(fsModule, "statSync").mockImplementation(((p: fs.PathLike, o?: fs.StatSyncOptions) => {
      if (p === locked) throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      return real(p, o);
    }) as typeof fs.statSync);
    const home = rc("home.rc", "[API]\napiurl = home.mambu.com\n");
    const c = config({}, [locked, home]);
    expect(c.apiurl).toBe("home.mambu.com");
    expect(c.apiurl).toBe("home.mambu.com");
    expect(warnings).toEqual([`mambu-ts: rc file ${locked} exists but cannot be read (EACCES); it is skipped`]);
  });
});

describe("rc file syntax (Python configparser's rules)", () => {
  const tricky: Array<[string, string]> = [
    ["percent", "p%ss%%w%(apiuser)s"],
    ["semicolon inline", "abc ;not a comment"],
    ["hash inline", "abc #not a comment"],
    ["semicolon and hash glued", "a;b#c"],
    ["equals", "a=b==c"],
    ["colon", "a:b"],
    ["double quotes kept", '"quoted value"'],
    ["single quotes kept", "'single'"],
    ["inner spaces", "with  inner   spaces"],
    ["backslashes literal", "back\\slash\\n\\\\"],
    ["unicode", "contraseña-ñü€"],
  ];
  it.each(tricky)("keeps %s exactly", (_name, value) => {
    const file = rc("home.rc", `[API]\napipwd = ${value}\nother=${value}\n`);
    const c = config({}, [file]);
    expect(c.apipwd).toBe(value);
    expect(c.get("other")).toBe(value);
  });

  it("splits at the first = or :, trims around them, lower-cases names, keeps full-line comments out", () => {
    const file = rc(
      "home.rc",
      "# comment\n; another\n[API]\n  APIUser : alice:x=y\napiurl=https://t.mambu.com:443\n   # indented comment\nflag =\n",
    );
    const c = config({}, [file]);
    expect(c.apiuser).toBe("alice:x=y");
    expect(c.apiurl).toBe("https://t.mambu.com:443");
    expect(c.get("flag")).toBe("");
  });

  it("reads indented continuation lines as a multi-line value, as configparser does", () => {
    const doc = parseIni("[API]\n  a = 1\n   b=2\n  c:3\n\n\n   d\n# x\n   e\n\n", "x.rc");
    const api = doc.get("API")!;
    expect(api.get("a")?.value).toBe("1\nb=2");
    expect(api.get("c")?.value).toBe("3\n\n\nd\ne");
    expect(api.get("c")?.line).toBe(4);
  });

  it("uses [DEFAULT] under [API], ignores other sections, and section names are case-sensitive", () => {
    const file = rc("home.rc", "\uFEFF[DEFAULT]\napiuser = d\nretries = 1\n[DB]\napiurl = db.host\n[api]\napiurl = lower\n[API]\nretries = 2\r\n");
    const c = config({}, [file]);
    expect(c.apiuser).toBe("d");
    expect(c.retries).toBe(2);
    expect(() => c.apiurl).toThrow("apiurl is not configured");
  });

  it.each([
    ["an option before any section", "apiurl = x\n[API]\n", 1, "before any [section] header"],
    ["a line without = or :", "[API]\napiurl = x\n\napipwd hunter2-secret\n", 4, 'expected "name = value"'],
    ["an option without a name", "[API]\n= x\n", 2, "has no name"],
    ["a repeated option", "[API]\napiuser = a\nAPIUSER = b\n", 3, 'option "apiuser" appears twice'],
    ["a repeated section", "[API]\n[DB]\n[API]\n", 3, "section [API] appears twice"],
  ])("refuses %s, naming the file and line", (_what, text, line, why) => {
    const file = rc("bad.rc", text);
    const err = errorOf(() => config({}, [file]).apipagination);
    expect(err).toBeInstanceOf(MambuTsError);
    expect(err.message).toContain(`malformed rc file ${file}, line ${line}: `);
    expect(err.message).toContain(why);
    expect(err.message).not.toContain("hunter2");
  });

  it("refuses a file that is not UTF-8, naming the line", () => {
    const file = path.join(dir, "latin1.rc");
    fs.writeFileSync(file, Buffer.concat([Buffer.from("[API]\napiuser = ok\napipwd = "), Buffer.from([0xf1, 0x0a])]));
    expect(() => config({}, [file]).apiuser).toThrow(`malformed rc file ${file}, line 3: not valid UTF-8`);
  });

  it("refuses an rc path that is a directory", () => {
    expect(() => config({}, [dir]).apiuser).toThrow(`rc file ${dir} is not a regular file`);
  });
});

describe("typed values", () => {
  it("names the key, the value and the source of a bad number", () => {
    const c = config({ MAMBU_API_PAGINATION: "abc" });
    expect(() => c.apipagination).toThrow(
      new MambuTsError('apipagination must be an integer between 1 and 1000, got "abc" (from env MAMBU_API_PAGINATION)'),
    );
    const file = rc("home.rc", "[API]\n\nretries = -1\n");
    expect(() => config({}, [file]).retries).toThrow(
      `retries must be an integer between 0 and 100, got "-1" (from file ${file}, line 3)`,
    );
    expect(() => config({ MAMBUPY_TIMEOUT: "1.5" }).timeout).toThrow('got "1.5" (from env MAMBUPY_TIMEOUT)');
    expect(() => config({ MAMBU_API_CONCURRENCY: "0" }).concurrency).toThrow("concurrency must be an integer between 1 and 64");
  });

  it("checks code overrides when they are set", () => {
    const c = config();
    expect(() => (c.apipagination = 0)).toThrow('apipagination must be an integer between 1 and 1000, got "0" (from code)');
    expect(() => c.set("timeout", "soon")).toThrow('timeout must be a number of milliseconds between 1 and 86400000, got "soon" (from code)');
    expect(c.timeout).toBe(60000);
    expect(() => (c.tenantoffset = "2 hours")).toThrow("tenantoffset must be a UTC offset");
  });

  it("lowers apipagination above 1000 to 1000 and accepts surrounding spaces", () => {
    expect(config({ MAMBU_API_PAGINATION: "5000" }).apipagination).toBe(1000);
    expect(config({ MAMBU_API_PAGINATION: " 200 " }).apipagination).toBe(200);
  });

  it("normalises tenantoffset to ±HH:MM", () => {
    const c = config();
    for (const [given, expected] of [
      ["+02:00", "+02:00"],
      ["-0530", "-05:30"],
      ["+02", "+02:00"],
      ["Z", "+00:00"],
      ["utc", "+00:00"],
    ]) {
      c.tenantoffset = given;
      expect(c.tenantoffset).toBe(expected);
    }
    expect(() => config({ MAMBU_API_TENANTOFFSET: "+25:00" }).tenantoffset).toThrow(
      'tenantoffset must be a UTC offset like "+02:00", "-05:30" or "Z", got "+25:00" (from env MAMBU_API_TENANTOFFSET)',
    );
  });

  it("never repeats the value of a secret key in a validation error", () => {
    const err = invalidValue({ key: "apikey", value: "abc-secret-value", source: "env MAMBU_API_KEY" }, "something");
    expect(err.message).toBe("apikey must be something (from env MAMBU_API_KEY)");
  });

  it("refuses keys that are not plain names", () => {
    expect(() => config().get("api url")).toThrow(MambuTsError);
  });
});
