/**
 * Progress of a run: on a terminal, a bar redrawn in place with steps, clients, request rate and ETA;
 * elsewhere (CI logs, files), a plain line every few seconds.
 */
import type { RunStats } from "./runner";

/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** Where to write (default process.stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** "auto" (bar on a terminal, lines otherwise), "bar", "lines" or "none". */
  mode?: "auto" | "bar" | "lines" | "none";
  /** Seconds between plain lines (default 5). */
  interval?: number;
  /** The current rate limit, shown when finite. */
  rateLimit?: () => number;
}

/** Formats seconds as `1:02:03` / `2:03`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(sec).padStart(2, "0")}`;
}

/** The one-line status of a run (without the bar). */
export function statusLine(stats: RunStats, now = Date.now(), rateLimit?: number): string {
  const elapsed = (now - stats.startedAt) / 1000;
  const rps = elapsed > 0 ? stats.requests / elapsed : 0;
  const live = stats.steps.done - stats.steps.journal;
  const left = stats.steps.total - stats.steps.done;
  const eta = live > 0 && elapsed > 0 ? left / (live / elapsed) : Infinity;
  const pct = stats.steps.total ? Math.floor((stats.steps.done / stats.steps.total) * 100) : 100;
  const parts = [
    `${pct}%`,
    `steps ${stats.steps.done}/${stats.steps.total}`,
    `clients ${stats.units.done + stats.units.failed}/${stats.units.total}`,
    stats.units.failed ? `failed ${stats.units.failed}` : "",
    `${rps.toFixed(1)} req/s`,
    rateLimit !== undefined && Number.isFinite(rateLimit) ? `limit ${rateLimit.toFixed(1)}/s` : "",
    stats.throttled ? `429s ${stats.throttled}` : "",
    `elapsed ${formatDuration(elapsed)}`,
    left > 0 ? `ETA ${formatDuration(eta)}` : "",
  ];
  return parts.filter(Boolean).join("  ");
}

/** Shows a run's progress (see the module comment). */
export class Progress {
  private readonly stream: NonNullable<ProgressOptions["stream"]>;
  private readonly mode: "bar" | "lines" | "none";
  private readonly interval: number;
  private timer: NodeJS.Timeout | undefined;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stats: RunStats,
    private readonly opts: ProgressOptions = {},
  ) {
    this.stream = opts.stream ?? process.stderr;
    const mode = opts.mode ?? "auto";
    this.mode = mode === "auto" ? (this.stream.isTTY ? "bar" : "lines") : mode;
    this.interval = (opts.interval ?? 5) * 1000;
  }

  /** Starts the periodic output. */
  start(): void {
    if (this.mode === "none") return;
    this.timer = setInterval(() => this.draw(true), this.mode === "bar" ? 250 : this.interval);
    this.timer.unref();
  }

  /** Notes a change (redraws the bar at most every 100 ms). */
  tick(): void {
    if (this.mode !== "bar") return;
    if (Date.now() - this.lastDraw >= 100) this.draw(false);
  }

  private draw(periodic: boolean): void {
    if (this.mode === "none" || (this.mode === "lines" && !periodic)) return;
    this.lastDraw = Date.now();
    const line = statusLine(this.stats, Date.now(), this.opts.rateLimit?.());
    if (this.mode === "lines") {
      this.stream.write(`${line}\n`);
      return;
    }
    const width = Math.max(10, Math.min(30, (this.stream.columns ?? 100) - line.length - 4));
    const frac = this.stats.steps.total ? this.stats.steps.done / this.stats.steps.total : 1;
    const full = Math.round(frac * width);
    const bar = `[${"#".repeat(full)}${".".repeat(width - full)}]`;
    this.stream.write(`\r\x1b[K${bar} ${line}`);
    this.drawn = true;
  }

  /** Stops; the bar gets its final state and a line break. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.mode === "bar") {
      this.draw(true);
      if (this.drawn) this.stream.write("\n");
    } else if (this.mode === "lines") this.draw(true);
  }
}
