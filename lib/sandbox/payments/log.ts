/**
 * `POST /log` (logArgument): takes `{ log }` and answers 200 without a body. The sandbox keeps the last
 * {@link MAX_LOG_LINES} lines, each cut to {@link MAX_LOG_CHARS} characters, in memory per store (never printed:
 * a caller's text may hold anything); {@link loggedLines} reads them.
 */
import type { Router, RouteRequest, SandboxContext } from "../router";
import type { SandboxStore } from "../store";

/** Lines kept per sandbox. */
export const MAX_LOG_LINES = 200;
/** Characters kept per line. */
export const MAX_LOG_CHARS = 2000;

const lines = new WeakMap<SandboxStore, string[]>();

/** The lines `POST /log` received (oldest first, at most {@link MAX_LOG_LINES}). */
export function loggedLines(store: SandboxStore): readonly string[] {
  return [...(lines.get(store) ?? [])];
}

function logArgument(ctx: SandboxContext, req: RouteRequest) {
  const { log } = req.body as { log: string };
  const list = lines.get(ctx.store) ?? [];
  list.push(log.length > MAX_LOG_CHARS ? log.slice(0, MAX_LOG_CHARS) : log);
  if (list.length > MAX_LOG_LINES) list.splice(0, list.length - MAX_LOG_LINES);
  lines.set(ctx.store, list);
  return { status: 200 };
}

/** Registers `POST /log`. */
export function registerLogRoutes(router: Router): void {
  router.add("POST", "/log", logArgument);
}
