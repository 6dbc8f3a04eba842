/**
 * Confirmation of writes, shared by `mambu call` and the servicing verbs (`mambu loan repay`, ...).
 *
 * On a terminal (stdin and stdout both TTYs) each write request is shown before it goes out —
 * method, URL, body (secrets masked) — and sent only when the answer is y or yes. Without a
 * terminal (a script, a pipe, `--data @-`) a write needs `--yes`, checked before any request.
 * The check sits on the connector: what is shown is exactly what is about to be sent, whatever
 * ORM method or operation builds it.
 */
import { createInterface } from "node:readline";
import { stringifyExact } from "../core/json";
import type { MambuConnector, RequestOptions } from "../transport";
import { mask, UsageError } from "./exit";
import { prettyJson } from "./output";

/** Streams the confirmation works with (the process's by default; tests pass their own). */
export interface ConfirmIO {
  /** Where the answer is read. */
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the request and the question are written (stderr: stdout stays the command's output). */
  prompt: NodeJS.WritableStream & { isTTY?: boolean };
  /** The command's output; with stdin, it must be a terminal for a question to be asked. */
  stdout: { isTTY?: boolean };
}

/** The process's streams. */
export function processIO(): ConfirmIO {
  return { input: process.stdin, prompt: process.stderr, stdout: process.stdout };
}

/** Whether a question can be asked: stdin and stdout are both terminals. */
export function canAsk(io: ConfirmIO): boolean {
  return !!io.input.isTTY && !!io.stdout.isTTY;
}

/** What a command is about to do, for the usage error of a write without `--yes` and without a terminal. */
export interface WritePlan {
  /** The command, named in the usage error's hint (`call`, `loan`). */
  command: string;
  /** What writes, e.g. `loans.writeOff`, `loan repay`. */
  what: string;
  /** Where, e.g. `POST /loans/54321:writeOff`. */
  where: string;
  /** `--yes` was given. */
  yes: boolean;
  /** The body is read from stdin (`--data @-`): stdin cannot answer the question as well. */
  bodyFromStdin?: boolean;
}

/**
 * Decides, before any request, whether the writes of a command are asked about: false with
 * `--yes`, true on a terminal.
 * @throws UsageError without `--yes` when there is no terminal to ask on, or when the body comes from stdin.
 */
export function mustAsk(plan: WritePlan, io: ConfirmIO = processIO()): boolean {
  if (plan.yes) return false;
  if (plan.bodyFromStdin) {
    throw new UsageError(`${plan.what} writes (${plan.where}) and --data @- takes stdin, which then cannot answer "Proceed?": add --yes to confirm`, plan.command);
  }
  if (!canAsk(io)) throw new UsageError(`${plan.what} writes (${plan.where}): add --yes to confirm (no terminal to ask on)`, plan.command);
  return true;
}

/** The answer was no (or stdin ended): the write was not sent. */
export class WriteCancelled extends Error {
  /**
   * @param sent how many writes had been confirmed and sent before this one.
   */
  constructor(readonly sent: number) {
    super(sent ? `cancelled; ${sent} earlier write${sent === 1 ? " was" : "s were"} sent` : "cancelled, nothing sent");
    this.name = "WriteCancelled";
  }
}

/** Asks `question` on `io`; true for y or yes (any case), false for anything else or the end of input. */
export function askYesNo(question: string, io: ConfirmIO): Promise<boolean> {
  const rl = createInterface({ input: io.input, output: io.prompt, terminal: !!io.input.isTTY && !!io.prompt.isTTY });
  return new Promise((resolve) => {
    let answered = false;
    rl.on("close", () => {
      if (!answered) {
        answered = true;
        io.prompt.write("\n");
        resolve(false);
      }
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Lines of a body shown at most. */
const MAX_BODY_LINES = 60;

/** A URL without userinfo (`https://user:pw@host` → `https://host`). */
function withoutUserinfo(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.href;
  } catch {
    return url;
  }
}

/** The body of a request as it will be sent: JSON re-indented (digits kept), text as it is, bytes by size. */
function bodyText(req: RequestOptions): string | undefined {
  let text: string | undefined;
  if (req.bodyText !== undefined) text = prettyJson(req.bodyText);
  else if (req.body !== undefined) text = prettyJson(stringifyExact(req.body) ?? "");
  else if (req.rawBody) {
    text = Buffer.isBuffer(req.rawBody.data) ? `(${req.rawBody.data.length} bytes of ${req.rawBody.contentType})` : req.rawBody.data;
  }
  if (text === undefined) return undefined;
  const lines = text.split("\n");
  return lines.length > MAX_BODY_LINES ? [...lines.slice(0, MAX_BODY_LINES), `… (${lines.length - MAX_BODY_LINES} more lines)`].join("\n") : text;
}

/**
 * The text shown before a write: `POST https://tenant.mambu.com/api/loans/54321/repayment-transactions`,
 * then the body indented, with every secret masked (`secrets` and the request's own `req.secrets`).
 */
export function describeRequest(req: RequestOptions, baseUrl: string, secrets: readonly (string | undefined)[] = []): string {
  let base = withoutUserinfo(baseUrl).replace(/\/+$/, "");
  // The Services API (/v1) and the Payments API (/api/v1) are sent under their own base path, not API v2's /api.
  if (req.basePath !== undefined) base = `${base.replace(/\/api$/, "")}${req.basePath}`;
  const lines = [`  ${req.method} ${base}${req.path}`];
  const body = bodyText(req);
  if (body !== undefined) lines.push(...body.split("\n").map((l) => `  ${l}`));
  return mask(lines.join("\n"), [...secrets, ...(req.secrets ?? [])]); // the request's own credentials too
}

/** Options of {@link confirmWrites}. */
export interface ConfirmOptions {
  io?: ConfirmIO;
  /** Secrets to mask from what is shown. */
  secrets?: () => readonly (string | undefined)[];
}

/**
 * Makes every write request of `connector` (POST, PUT, PATCH, DELETE) wait for a yes on the
 * terminal: the request is shown, then `Proceed? [y/N]`. A no rejects the request with
 * {@link WriteCancelled} before anything is sent. Reads pass through. Returns a function that
 * undoes this.
 */
export function confirmWrites(connector: MambuConnector, opts: ConfirmOptions = {}): () => void {
  const io = opts.io ?? processIO();
  const original = connector.request.bind(connector);
  let sent = 0;
  // An own property over the class's method: the entities and the caller use connector.request.
  connector.request = (async (req: RequestOptions) => {
    if (WRITES.has(req.method)) {
      const shown = describeRequest(req, connector.baseUrl(), opts.secrets?.() ?? []);
      io.prompt.write(`mambu will send:\n${shown}\n`);
      if (!(await askYesNo("Proceed? [y/N] ", io))) throw new WriteCancelled(sent);
      sent++;
    }
    return original(req);
  }) as MambuConnector["request"];
  return () => {
    delete (connector as { request?: unknown }).request;
  };
}
