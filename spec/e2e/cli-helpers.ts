/**
 * Helpers of the CLI and REPL end-to-end tests: build dist/ once (the binaries run compiled code),
 * run `node bin/mambu ...` as a child process with a clean environment — or on a pseudo-terminal,
 * answering its questions — and talk to a REPL child through its stdin/stdout.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
// The module object itself (not an ES-module copy of it), so that a spy on homedir is what lib/ sees.
import os = require("node:os");
import { tmpdir } from "node:os";
import { join } from "node:path";
import { doneInRun, markDone } from "../helpers/once-per-run";

/** The project root. */
export const ROOT = join(__dirname, "..", "..");
/** The `mambu` executable. */
export const MAMBU = join(ROOT, "bin", "mambu");

/** The lock directory held while {@link buildDist} compiles. */
export const DIST_LOCK = join(ROOT, "dist", ".cli-spec-build.lock");

/**
 * Compiles lib/ to dist/ (tsc, the project's tsconfig) unless dist/ is already the build of the
 * current sources ({@link staleOutputs}): `npm ci` and `npm install` leave it so, since the
 * package's `prepare` script is this same `tsc -p tsconfig.json`. Another engineer's half-written
 * file may make tsc report errors while still emitting everything; what matters here is that the CLI
 * files compile and that what every bin/ executable and the REPL load is emitted (else this throws),
 * so errors in other files are tolerated (`npm test`'s typecheck reports them). Concurrent builds
 * from parallel test files are serialised with a lock directory. Built once per `jest` run
 * (spec/helpers/once-per-run.ts): a later test file of the same run finds the build marked done and
 * its outputs there, and does not compile again.
 */
export function buildDist(): void {
  if (doneInRun("dist") && missingOutputs().length === 0) return;
  const lock = DIST_LOCK;
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  const deadline = Date.now() + 170_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A stale lock (a killed run) is taken over after 3 minutes.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error("timed out waiting for another build of dist/");
      // A synchronous half-second wait (no child node process spawned for it).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    // Another test file of this run built it while this one waited for the lock.
    if (doneInRun("dist") && missingOutputs().length === 0) return;
    if (staleOutputs().length > 0 || missingOutputs().length > 0) {
      const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
      const r = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.json")], { cwd: ROOT, encoding: "utf8" });
      const mine = (r.stdout ?? "").split("\n").filter((l) => /^lib\/(cli\/(?!demo)|repl\.ts)/.test(l));
      if (mine.length) throw new Error(`the CLI does not compile:\n${mine.join("\n")}`);
      for (const f of missingOutputs()) throw new Error(`tsc did not emit ${f}:\n${r.stdout}${r.stderr}`);
    }
    markDone("dist");
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Every source file of lib/ (paths relative to lib/): TypeScript, and the JSON files it may import. */
function libSources(): string[] {
  return (readdirSync(join(ROOT, "lib"), { recursive: true }) as string[])
    .map((f) => f.split("\\").join("/"))
    .filter((f) => (f.endsWith(".ts") && !f.endsWith(".d.ts")) || f.endsWith(".json"));
}

/**
 * What tsc makes of a source of lib/ in dist/ (paths relative to both): for a `.ts` its `.js`, `.js.map` and
 * `.d.ts`; a JSON file when the build copied it (an imported one), nothing for another.
 */
function outputsOf(source: string): string[] {
  if (source.endsWith(".json")) return existsSync(join(ROOT, "dist", source)) ? [source] : [];
  const base = source.slice(0, -3);
  return [`${base}.js`, `${base}.js.map`, `${base}.d.ts`];
}

/**
 * The files of dist/ that the current sources of lib/ compile to (relative to dist/): not what an older
 * build left behind for a source since deleted.
 */
export function distFiles(): string[] {
  return libSources().flatMap(outputsOf);
}

/**
 * The sources of lib/ (relative to lib/) whose compiled files in dist/ are missing or older than the
 * source or than tsconfig.json: empty when dist/ is the build of the current sources.
 */
export function staleOutputs(): string[] {
  const mtime = (f: string): number | undefined => {
    try {
      return statSync(f).mtimeMs;
    } catch {
      return undefined;
    }
  };
  const config = mtime(join(ROOT, "tsconfig.json")) ?? Infinity;
  return libSources().filter((f) => {
    const since = Math.max(mtime(join(ROOT, "lib", f)) ?? Infinity, config);
    return outputsOf(f).some((o) => (mtime(join(ROOT, "dist", o)) ?? -Infinity) < since);
  });
}

/** What the tests need of dist/ and is not there: every executable's implementation (bin/* require ../dist/...), and the REPL module. */
function missingOutputs(): string[] {
  const needed = ["dist/repl.js"];
  for (const bin of readdirSync(join(ROOT, "bin"))) {
    for (const m of readFileSync(join(ROOT, "bin", bin), "utf8").matchAll(/require\("\.\.\/(dist\/[^"]+)"\)/g)) needed.push(m[1]);
  }
  return needed.filter((f) => !existsSync(join(ROOT, f)));
}

/** A temporary HOME (no real ~/.mambupy.rc is read). */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "mambu-cli-spec-"));
}

/**
 * The environment of a child: the parent's without any MAMBU_/MAMBUPY_ variable and without COLUMNS
 * (output is fitted to it: a test asks for a width explicitly), HOME replaced, then `extra`.
 */
export function cleanEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^MAMBU/.test(k) && k !== "NODE_OPTIONS" && k !== "COLUMNS") env[k] = v;
  env.HOME = home;
  env.USERPROFILE = home;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** What a finished child gave. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/mambu ...args` to its end. */
export function runMambu(args: string[], env: NodeJS.ProcessEnv, opts: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return runNode([MAMBU, ...args], env, opts);
}

/** Calls of {@link runMain} wait for each other: the environment they set is the process's. */
let mainQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs `mambu ...args` in this process — lib/cli/main.ts `main`, what bin/mambu runs — as
 * {@link runMambu} would run it in a child: for the call, `process.env` is exactly `env` and the home
 * directory is `env.HOME` (rc files), stdin, stdout and stderr are no terminal (pipes: writes need
 * `--yes`). The same exit code and output, without a node process starting and loading dist/ for each
 * command: for tests about what a command does and prints. Tests about the process itself (signals, a
 * pipe closed under it, a stack trace's compiled frames, what the binaries load, a terminal, input on
 * stdin) run the binary with {@link runMambu} or {@link runOnTerminal}.
 */
export function runMain(args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const call = mainQueue.then(() => mainIn(args, env));
  mainQueue = call.catch(() => undefined);
  return call;
}

async function mainIn(args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const { main } = await import("../../lib/cli/main");
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (s: string | Uint8Array) => ((stdout += String(s)), true) },
    stderr: { write: (s: string | Uint8Array) => ((stderr += String(s)), true) },
  } as unknown as Parameters<typeof main>[1];
  const saved = { ...process.env };
  const setEnv = (to: NodeJS.ProcessEnv): void => {
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, to);
  };
  const home = jest.spyOn(os, "homedir").mockReturnValue(env.HOME ?? os.homedir());
  // A child's stdin and stdout are pipes: no question is asked (writes need --yes), as in a script.
  const streams = [process.stdin, process.stdout, process.stderr] as unknown as Array<{ isTTY?: boolean }>;
  const ttys = streams.map((s) => Object.getOwnPropertyDescriptor(s, "isTTY"));
  for (const s of streams) s.isTTY = false;
  setEnv(env);
  try {
    const code = await main(args, io);
    return { code, stdout, stderr };
  } finally {
    setEnv(saved);
    home.mockRestore();
    streams.forEach((s, i) => {
      const d = ttys[i];
      if (d) Object.defineProperty(s, "isTTY", d);
      else delete s.isTTY;
    });
  }
}

/** Runs `node ...args` (cwd: the project root) to its end. */
export function runNode(args: string[], env: NodeJS.ProcessEnv, opts: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`node ${args.join(" ")} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Whether util-linux `script` (`-q -e -c`) is here to give a child a terminal (see {@link runOnTerminal}). */
export const HAS_SCRIPT: boolean = (() => {
  const r = spawnSync("script", ["--version"], { encoding: "utf8" });
  return r.status === 0 && /util-linux/.test(r.stdout + r.stderr);
})();

/** `s` quoted for a POSIX shell (left as it is when it holds nothing the shell would read). */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** What a terminal showed: `raw` without escape sequences (`ESC [ ... letter`) and carriage returns. */
export function screenOf(raw: string): string {
  return raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").replace(/\r/g, "");
}

/** How {@link runOnTerminal} types into the terminal. */
export interface TerminalOptions {
  /**
   * A line typed at once, before anything shows (the terminal keeps it until the program reads): the
   * answer to the one question a command may ask. The input ends when the command does.
   */
  answer?: string;
  /**
   * Lines typed one by one, each (then Enter) once `when` matches what the terminal showed since the
   * previous one was typed (the screen as {@link screenOf} gives it); the input ends when the command does.
   * For dialogues where an answer typed early would be lost or read by the wrong question.
   */
  answers?: ReadonlyArray<{ when: RegExp; type: string }>;
  /** Appended to the shell command line, e.g. `> file` (stdout then is no terminal). */
  redirect?: string;
  /** The process group is killed, and the promise rejected, after this long (default 40 s). */
  timeoutMs?: number;
}

/** What a command run on a terminal gave. */
export interface TerminalResult {
  /** `script`'s exit code: the command's (`-e`). */
  code: number | null;
  /** What the terminal showed, escape sequences and carriage returns removed ({@link screenOf}). */
  screen: string;
  /** What the terminal showed, byte for byte (progress bars redraw with `\r` and escape sequences). */
  raw: string;
}

/**
 * Runs `node bin/mambu ...args` on a pseudo-terminal — util-linux `script -qec CMD /dev/null`, CMD run
 * by /bin/sh — so that stdin, stdout and stderr are all the terminal, and types `opts.answer` or
 * `opts.answers` into it. Needs {@link HAS_SCRIPT}. The child runs in its own process group, killed
 * whole on timeout.
 * @returns the exit code and what the terminal showed (stdout and stderr together, as on a screen).
 */
export function runOnTerminal(args: string[], env: NodeJS.ProcessEnv, opts: TerminalOptions = {}): Promise<TerminalResult> {
  if (opts.answer !== undefined && opts.answers) throw new Error("runOnTerminal: give answer or answers, not both");
  const cmd = [process.execPath, MAMBU, ...args].map(shellQuote).join(" ") + (opts.redirect ? ` ${opts.redirect}` : "");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", cmd, "/dev/null"], { cwd: ROOT, env: { ...env, SHELL: "/bin/sh" }, stdio: ["pipe", "pipe", "pipe"], detached: true });
    child.stdin.on("error", () => {
      /* the command ended before reading: what it showed says so */
    });
    let out = "";
    const answers = opts.answers ?? [];
    let step = 0;
    let from = 0;
    const feed = (d: string): void => {
      out += d;
      if (step < answers.length && answers[step].when.test(screenOf(out.slice(from)))) {
        from = out.length;
        child.stdin.write(`${answers[step++].type}\r`);
      }
    };
    child.stdout.setEncoding("utf8").on("data", feed);
    child.stderr.setEncoding("utf8").on("data", feed);
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
      reject(new Error(`${cmd} timed out on the terminal:\n${out}`));
    }, opts.timeoutMs ?? 40_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, screen: screenOf(out), raw: out });
    });
    // The input stays open until the command ends: `script` (util-linux) that sees its input end while the
    // terminal still holds what was typed waits up to 2 s for the command to read it before passing the end on.
    child.on("exit", () => child.stdin.end());
    if (opts.answer !== undefined) child.stdin.write(`${opts.answer}\n`);
  });
}

/** A REPL child driven line by line: `send` a line, `waitFor` text in its output. */
export class ReplChild {
  readonly child: ChildProcess;
  out = "";
  err = "";
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      this.out += d;
      this.wake();
    });
    this.child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      this.err += d;
      this.wake();
    });
    this.exited = new Promise((resolve) => this.child.on("close", (code) => {
      resolve(code);
      this.wake();
    }));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Writes one line to the REPL's stdin. */
  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** Resolves with the output from `from` once it matches `re` (rejects after `ms`). */
  async waitFor(re: RegExp, from = 0, ms = 20_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const seen = this.out.slice(from);
      if (re.test(seen)) return seen;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`REPL output never matched ${re}\n--- stdout ---\n${this.out}\n--- stderr ---\n${this.err}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(10, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends a line and waits for the output it produces (up to the next prompt). */
  async eval(line: string, prompt = /mambu> $/): Promise<string> {
    const from = this.out.length;
    this.send(line);
    const seen = await this.waitFor(prompt, from);
    return seen.replace(prompt, "");
  }

  /** Ends stdin and waits for the exit code. */
  async close(): Promise<number | null> {
    this.child.stdin!.end();
    return this.exited;
  }
}
