/**
 * `mambu backup --out tenant.zip`: a backup of the tenant's database on disk (lib/core/backup.ts). It triggers the
 * backup, waits until Mambu says it is ready (its callback on `--callback-port`, or polling LATEST), downloads the
 * zip with a progress bar on stderr (the size from Content-Length), checks it and only then gives it its name.
 * `--just-download` takes the latest existing backup (MambuPy's `justbackup`).
 *
 * Exit codes: 0 done; 2 bad options; 3 Mambu refused or reported the backup failed; 4 Mambu could not be
 * reached, the backup was not ready in time, or the download was incomplete or corrupt (nothing is kept).
 */
import { stringifyExact } from "../core/json";
import { backupDatabase, BackupFailedError, BackupProgress, BackupResult, BackupTimeoutError, BackupZipError } from "../core/backup";
import type { BackupCallbackOptions } from "../core/backup-callback";
import { positiveInt } from "./args";
import type { Command, CommandContext } from "./commands";
import { EXIT, UsageError } from "./exit";
import { prettyJson } from "./output";
import { ProgressFrame, StateProgress } from "./progress";
import { MaybeTerminal, terminalWidth } from "./terminal";

const NAME = "backup";

/**
 * A duration of the command line in ms: `90` (seconds), `90s`, `10m`, `2h`, `500ms`.
 * @throws UsageError naming the option.
 */
export function parseDuration(option: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--${option} must be a duration such as 90s, 10m or 2h, got ${JSON.stringify(text)}`, NAME);
  const n = Number(m[1]);
  const ms = n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  if (!(ms >= 1) || ms > 48 * 3_600_000) throw new UsageError(`--${option} must be between 1ms and 48h, got ${JSON.stringify(text)}`, NAME);
  return Math.round(ms);
}

/** `1.5 MiB`, `812 KiB`, `37 B`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** The progress display's frame for a step of the backup. */
export function backupFrame(p: BackupProgress): ProgressFrame {
  switch (p.phase) {
    case "trigger":
      return { state: "TRIGGERED" };
    case "waiting":
      return { state: "WAITING", ...(p.detail ? { detail: p.detail } : {}) };
    case "download": {
      const bytes = p.bytes ?? 0;
      const fraction = p.total ? Math.min(1, bytes / p.total) : undefined;
      return { state: "DOWNLOADING", ...(fraction !== undefined ? { fraction } : {}), detail: p.total ? `${formatBytes(bytes)} of ${formatBytes(p.total)}` : formatBytes(bytes) };
    }
    case "verify":
      return { state: "CHECKING", fraction: 1, detail: "zip and CRC-32 of every entry" };
    case "done":
      return { state: "DONE", done: true, ...(p.bytes !== undefined ? { detail: formatBytes(p.bytes) } : {}) };
  }
}

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.args.options[name];
  return typeof v === "string" ? v : undefined;
}

function callbackOf(ctx: CommandContext): BackupCallbackOptions | undefined {
  const port = positiveInt("callback-port", str(ctx, "callback-port"), NAME, 0);
  const host = str(ctx, "callback-host");
  const publicUrl = str(ctx, "callback-url");
  if (port === undefined) {
    if (host !== undefined || publicUrl !== undefined) throw new UsageError("--callback-host and --callback-url need --callback-port (the port to listen on)", NAME);
    return undefined;
  }
  if (port > 65535) throw new UsageError(`--callback-port must be at most 65535, got ${port}`, NAME);
  return { port, ...(host !== undefined ? { host } : {}), ...(publicUrl !== undefined ? { publicUrl } : {}) };
}

function printResult(ctx: CommandContext, r: BackupResult): void {
  if (ctx.out.format !== "table") {
    const compact = stringifyExact(r);
    ctx.out.stdout.write(`${ctx.out.format === "jsonl" ? compact : prettyJson(compact)}\n`);
    return;
  }
  const how = r.via === "callback" ? "ready by Mambu's callback" : r.via === "poll" ? "ready by polling LATEST" : "the latest existing backup";
  const dumps = r.entries.filter((e) => e.name.toLowerCase().endsWith(".sql")).map((e) => `${e.name} (${formatBytes(e.size)})`);
  ctx.out.stdout.write(`Backup saved to ${r.path}: ${formatBytes(r.bytes)}, ${how}${r.lastModified ? `, made ${r.lastModified}` : ""}; dump ${dumps.join(", ")}.\n`);
}

async function runBackup(ctx: CommandContext): Promise<number> {
  if (ctx.args.positionals.length) throw new UsageError(`unexpected arguments: ${ctx.args.positionals.join(" ")} (the file goes in --out)`, NAME);
  const out = str(ctx, "out");
  if (!out) throw new UsageError("where to? mambu backup --out tenant.zip", NAME);
  const justDownload = !!ctx.args.options["just-download"];
  const callback = callbackOf(ctx);
  if (justDownload && callback) throw new UsageError("--just-download triggers no backup: --callback-port has nothing to wait for", NAME);
  const timeoutText = str(ctx, "timeout");
  const pollText = str(ctx, "poll-interval");
  if (justDownload && (timeoutText !== undefined || pollText !== undefined)) throw new UsageError("--timeout and --poll-interval apply when a backup is made, not with --just-download", NAME);
  if (callback && pollText !== undefined) throw new UsageError("--poll-interval applies without --callback-port (polling)", NAME);
  const timeout = timeoutText !== undefined ? parseDuration("timeout", timeoutText) : undefined;
  const pollInterval = pollText !== undefined ? parseDuration("poll-interval", pollText) : undefined;
  const s = await ctx.session();
  const progress = ctx.out.progress === false ? undefined : new StateProgress(ctx.out.stderr, { label: "backup", width: terminalWidth(ctx.out.stderr as MaybeTerminal) });
  let last: ProgressFrame | undefined;
  let result: BackupResult;
  try {
    result = await backupDatabase({
      out,
      connector: s.connector,
      justDownload,
      ...(callback ? { callback } : {}),
      ...(timeout !== undefined ? { timeout } : {}),
      ...(pollInterval !== undefined ? { pollInterval } : {}),
      onProgress: (p) => progress?.update((last = backupFrame(p))),
    });
  } catch (e) {
    progress?.finish(last ? { ...last, done: true, state: "FAILED" } : undefined);
    if (e instanceof BackupTimeoutError || e instanceof BackupZipError) {
      ctx.out.stderr.write(`mambu: ${e.message}\n`);
      return EXIT.COMM;
    }
    if (e instanceof BackupFailedError) {
      ctx.out.stderr.write(`mambu: ${e.message}\n`);
      return EXIT.MAMBU;
    }
    throw e;
  }
  progress?.finish(last);
  printResult(ctx, result);
  return EXIT.OK;
}

/** `mambu backup`. */
export const backupCommand: Command = {
  name: NAME,
  globals: ["json", "jsonl", "sandbox", "progress", "debug", "help"],
  synopsis: "--out <file.zip>",
  summary: "Back up the tenant's database: trigger a backup, wait until it is ready, download the zip (a MySQL dump).",
  description:
    "Triggers a backup (POST /database/backup), waits until it is ready, and downloads GET /database/backup/LATEST\n" +
    "with a progress bar on stderr. With --callback-port N it listens on that port for Mambu's callback (give\n" +
    "--callback-url, the URL Mambu can reach that leads to the port, unless Mambu is on your network: the sandbox);\n" +
    "without it, it polls LATEST every --poll-interval (default 30s) until a new backup is there. --timeout bounds\n" +
    "the wait (default 1h). The zip is written to a temporary file beside --out, checked (its length, every entry's\n" +
    "CRC-32, a .sql dump inside) and only then renamed to --out (mode 600: a backup holds your clients' data); on\n" +
    "any failure nothing is kept. --just-download takes the latest existing backup without making one.",
  options: [
    { name: "out", kind: "value", short: "o", arg: "FILE", help: "the zip to write (replaced only by a complete, checked backup)" },
    { name: "just-download", kind: "flag", help: "download the latest existing backup, trigger none (MambuPy's justbackup)" },
    { name: "callback-port", kind: "value", arg: "N", help: "listen on port N for Mambu's callback (0: any free port)" },
    { name: "callback-host", kind: "value", arg: "HOST", help: "address to listen on (default 127.0.0.1; 0.0.0.0 needs --callback-url)" },
    { name: "callback-url", kind: "value", arg: "URL", help: "the http(s) URL Mambu can reach that leads to the port" },
    { name: "timeout", kind: "value", arg: "DURATION", help: "longest wait for the backup to be ready, e.g. 10m, 2h (default 1h)" },
    { name: "poll-interval", kind: "value", arg: "DURATION", help: "time between two polls of LATEST without a callback (default 30s)" },
  ],
  examples: [
    "mambu backup --out tenant.zip",
    "mambu backup --out tenant.zip --callback-port 8765 --callback-host 0.0.0.0 --callback-url https://hooks.example.com/mambu",
    "mambu backup --out tenant.zip --timeout 10m --poll-interval 1m",
    "mambu backup --out latest.zip --just-download",
    "mambu backup --sandbox --out sandbox.zip --callback-port 0",
  ],
  run: runBackup,
};
