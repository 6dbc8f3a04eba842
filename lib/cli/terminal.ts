/**
 * The terminal's width, and text fitted to it: help wrapped with hanging indents, cells cut with
 * "…" or wrapped. Output that goes to a pipe or a file has no width and is never fitted (`| grep`,
 * `> file` and `--json` get every character).
 */

/** A stream that may be a terminal (`process.stdout`, a REPL's output). */
export interface MaybeTerminal {
  isTTY?: boolean;
  columns?: number;
}

/** Narrowest width fitted to: below it, text is left as it is. */
const MIN_WIDTH = 20;

/**
 * The width to fit output to: the terminal's `columns` when `stream` is a terminal, else the
 * `COLUMNS` environment variable when set (for `COLUMNS=80 mambu ... | less`), else undefined
 * (output is not fitted).
 */
export function terminalWidth(stream: MaybeTerminal | undefined, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const tty = stream?.isTTY && typeof stream.columns === "number" && stream.columns > 0 ? stream.columns : undefined;
  const fromEnv = env.COLUMNS !== undefined && /^\d+$/.test(env.COLUMNS.trim()) ? Number(env.COLUMNS.trim()) : undefined;
  const w = tty ?? fromEnv;
  return w !== undefined && w >= MIN_WIDTH ? w : undefined;
}

/** `text` cut to `width` characters, its last one "…" when cut. */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? "…".slice(0, width) : `${text.slice(0, width - 1)}…`;
}

/**
 * `text` broken into lines of at most `width` characters: at a space when it can, else after a
 * `.`, `,` or `/` (`interestSettings.` / `interestRate`), else anywhere. Never returns an empty list.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let rest = text;
  while (rest.length > w) {
    const space = rest.lastIndexOf(" ", w);
    let cut = space > 0 ? space : -1;
    if (cut < 0) for (let i = w; i > 0 && cut < 0; i--) if (".,/".includes(rest[i - 1])) cut = i;
    if (cut < 0) cut = w;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^ +/, "");
  }
  lines.push(rest);
  return lines;
}

/**
 * Help text fitted to `width` (unchanged without one): each longer line is wrapped; its
 * continuation lines start under its description when it has one (`  --limit N  at most N ...`,
 * `  get <entity> <id>  Show ...`), else under its first word.
 */
export function fitHelp(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  return text
    .split("\n")
    .flatMap((line) => {
      if (line.length <= width) return [line];
      const lead = /^ */.exec(line)![0].length;
      const gap = /^ *\S.*? {2,}(?=\S)/.exec(line);
      const indent = gap && gap[0].length <= width / 2 ? gap[0].length : lead;
      const head = line.slice(0, indent);
      const [first, ...more] = wrapText(line.slice(indent), width - indent);
      return [head + first, ...more.map((l) => " ".repeat(indent) + l)];
    })
    .join("\n");
}
