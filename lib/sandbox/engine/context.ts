/**
 * The engine's request/response contract with the sandbox HTTP server (re-exported by ./index.ts).
 */
import { SandboxStore } from "../store";
import { SandboxClockLike } from "../types";

/** What every engine operation works on: the tenant's state and its clock. */
export interface EngineContext {
  store: SandboxStore;
  clock: SandboxClockLike;
}

/** A request routed to the engine. */
export interface EngineRequest {
  /** Decoded path parameters, named as in the Swagger template (e.g. `loanAccountId`). */
  params: Record<string, string>;
  /** Query parameters. */
  query: Record<string, string>;
  /** Parsed JSON body (already checked against the contract by the server), or undefined. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The engine's answer: HTTP status, optional JSON body, optional extra headers (e.g. `items-total`). */
export interface EngineResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One money endpoint handled by the engine. */
export interface EngineRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path template exactly as in the Swagger files, e.g. `/loans/{loanAccountId}:changeState`. */
  template: string;
  /** Handles the request; throws `SandboxError` for Mambu error answers. */
  handle(ctx: EngineContext, req: EngineRequest): EngineResult;
}
