/**
 * The sandbox's link to the loan and deposit engine (lib/sandbox/engine): its routes (state changes,
 * transactions, schedules), `prepareCreate` for new accounts and `refreshArrears`. Loaded lazily so that the
 * HTTP layer works (without the money operations) in builds that lack the engine.
 */
import type { SandboxClockLike, WireRecord } from "./types";
import type { SandboxStore } from "./store";

/** What engine handlers receive as state. */
export interface EngineContextLike {
  store: SandboxStore;
  clock: SandboxClockLike;
}

/** A request as engine handlers see it. */
export interface EngineRequestLike {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** An engine answer. */
export interface EngineResultLike {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An engine route: Swagger template and handler. */
export interface EngineRouteLike {
  method: string;
  template: string;
  handle(ctx: EngineContextLike, req: EngineRequestLike): EngineResultLike;
}

/** The engine's exports the sandbox uses. */
export interface EngineModule {
  engineRoutes: EngineRouteLike[];
  prepareCreate(ctx: EngineContextLike, kind: "loans" | "deposits", body: unknown): WireRecord;
  refreshArrears(ctx: EngineContextLike): void;
}

let cached: EngineModule | null | undefined;

/** The engine module, or null when it is not part of this build. */
export function loadEngine(): EngineModule | null {
  if (cached !== undefined) return cached;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require("./engine") as Partial<EngineModule>;
    cached = m && Array.isArray(m.engineRoutes) ? (m as EngineModule) : null;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== "MODULE_NOT_FOUND") throw e;
    cached = null;
  }
  return cached;
}
