/**
 * The sandbox's link to the loan and deposit engine (lib/sandbox/engine): its routes (state changes,
 * transactions, schedules), `prepareCreate` for new accounts and `refreshArrears`, seen through the small
 * interface the HTTP layer needs.
 */
import * as engineModule from "./engine";
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
  /** Matures the deposit accounts whose maturity date has come (before each /deposits request). */
  matureDueDeposits(ctx: EngineContextLike): void;
  /** Expires the card authorization holds whose days have passed (before each /cards, /deposits and /loans request). */
  expireAuthorizationHolds(ctx: EngineContextLike): number;
}

/** The engine module (always part of this build; kept behind this accessor so the HTTP layer has one seam). */
export function loadEngine(): EngineModule | null {
  return engine;
}

const engine: EngineModule = engineModule;
