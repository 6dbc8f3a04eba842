/**
 * A progress display for Mambu's asynchronous work (data imports, bulk processes), on stderr so that stdout stays
 * the command's output. On a terminal it is one line redrawn in place — a bar, the state, what is known of the
 * work, the time elapsed:
 *
 *     import 8a19…  [████████░░░░░░░░░░░░]  IN_PROGRESS  12 rows done  3.2s
 *
 * Elsewhere (a pipe, a log file) it writes one plain line per change of state, and nothing in between:
 *
 *     import 8a19…: QUEUED (0.0s)
 *     import 8a19…: COMPLETE (2.1s)
 *
 * The bar is full once the work ended; while pending it fills by `fraction` when the caller knows one, else a
 * block moves along it at each update (the work is alive, its size unknown).
 */

/** A stream the display writes to (stderr). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Options of {@link StateProgress}. */
export interface StateProgressOptions {
  /** What is waited for, at the start of each line, e.g. `import 8a19…`. */
  label: string;
  /** Redraw one line (a terminal) or write a line per state (default: whether the stream is a terminal). */
  tty?: boolean;
  /** Milliseconds since some origin (default `Date.now`); injected by tests. */
  now?: () => number;
  /** Characters of the bar (default 20). */
  barWidth?: number;
  /** Cut the redrawn line to this many characters (the terminal's width), so that it never wraps. */
  width?: number;
  /** On a terminal, milliseconds between two redraws while no new state comes (default 200; 0: only on updates). */
  redrawMs?: number;
}

/** One update: the state read, and optionally how far the work is and a short detail (`12 rows done`). */
export interface ProgressFrame {
  state: string;
  /** Whether the work ended (the bar is then full). */
  done?: boolean;
  /** 0..1 when the caller knows how much of the work is done. */
  fraction?: number;
  /** A few words shown after the state. */
  detail?: string;
}

/** `0.4s`, `12.0s`, `1m 05s`, `2h 03m`. */
export function formatElapsed(ms: number): string {
  const tenths = Math.round(Math.max(0, ms) / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** The bar's text: `[████░░░░]` filled by `fraction`, or a moving block of 4 at `tick` when none is known. */
export function renderBar(width: number, fraction: number | undefined, tick: number): string {
  const w = Math.max(4, width);
  if (fraction !== undefined) {
    const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    const filled = Math.round(f * w);
    return `[${"█".repeat(filled)}${"░".repeat(w - filled)}]`;
  }
  const block = Math.min(4, w);
  const span = w - block;
  const period = span * 2 || 1;
  const t = tick % period;
  const at = t <= span ? t : period - t;
  return `[${"░".repeat(at)}${"█".repeat(block)}${"░".repeat(w - block - at)}]`;
}

/** The progress of one piece of asynchronous work; see the module comment. */
export class StateProgress {
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly started: number;
  private readonly barWidth: number;
  private lastState: string | undefined;
  private ticks = 0;
  private shown = false;
  private lastFrame: ProgressFrame | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly stream: ProgressStream, private readonly opts: StateProgressOptions) {
    this.tty = opts.tty ?? !!stream.isTTY;
    this.now = opts.now ?? Date.now;
    this.started = this.now();
    this.barWidth = opts.barWidth ?? 20;
  }

  /** Milliseconds since the display was made. */
  elapsed(): number {
    return this.now() - this.started;
  }

  /** `label: STATE, detail (elapsed)` and a newline. */
  private plainLine(frame: ProgressFrame): string {
    return `${this.opts.label}: ${frame.state}${frame.detail ? `, ${frame.detail}` : ""} (${formatElapsed(this.elapsed())})\n`;
  }

  /** Shows a state read. */
  update(frame: ProgressFrame): void {
    if (!this.tty) {
      if (frame.state !== this.lastState) this.stream.write(this.plainLine(frame));
    } else {
      this.lastFrame = frame;
      this.redraw();
      // Between two reads (a second or more) the bar moves and the time runs on; the timer never holds the exit.
      if (!this.timer && this.opts.redrawMs !== 0) {
        this.timer = setInterval(() => this.redraw(), this.opts.redrawMs ?? 200);
        this.timer.unref?.();
      }
    }
    this.lastState = frame.state;
  }

  private redraw(): void {
    const frame = this.lastFrame;
    if (!frame) return;
    const bar = renderBar(this.barWidth, frame.done ? 1 : frame.fraction, this.ticks++);
    let line = [this.opts.label, bar, frame.state, ...(frame.detail ? [frame.detail] : []), formatElapsed(this.elapsed())].join("  ");
    if (this.opts.width !== undefined && line.length > this.opts.width - 1) line = `${line.slice(0, Math.max(0, this.opts.width - 2))}…`;
    this.stream.write(`\r\x1b[K${line}`);
    this.shown = true;
  }

  /**
   * Ends the display with the last state (when given): on a terminal the redrawn line gives way to a plain one,
   * `label: STATE (elapsed)`, that stays; elsewhere that line is written when the state is new.
   */
  finish(frame?: ProgressFrame): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.lastFrame = undefined;
    if (this.shown) this.stream.write("\r\x1b[K");
    this.shown = false;
    if (!frame) return;
    if (this.tty || frame.state !== this.lastState) {
      this.stream.write(this.plainLine(frame));
    }
    this.lastState = frame.state;
  }
}
