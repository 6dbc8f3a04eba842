/**
 * The communication settings of one sandbox (per store, not persisted: they are options of the run, like
 * faults): the share of sends that fail, the seed of the draws that decide which, and the tenant's notification
 * templates.
 *
 * Which sends fail is deterministic: attempt `n` of the message with sequence number `s` fails when a number
 * drawn from {@link prng} seeded by (seed, s, n) is below the failure rate. The same seed, rate and sequence of
 * requests give the same outcomes on every run; a rate of 0 never fails, 1 always fails.
 */
import { prng } from "../prng";
import type { SandboxStore } from "../store";
import { checkTemplates, DEFAULT_NOTIFICATION_TEMPLATES, NotificationTemplate } from "./messages-templates";

/** Options of the sandbox's communication messages (`startSandbox({ communications })`). */
export interface CommunicationOptions {
  /** Share (0..1) of sends that fail (SMS: SMS_NOT_SENT, EMAIL: MESSAGING_EXCEPTION). Default 0. */
  failureRate?: number;
  /** Seed of the draws that pick the failing sends (an integer). Default 1. */
  seed?: number;
  /** The tenant's notification templates (default: the built-in set, see messages-templates.ts); `[]` sends none. */
  templates?: NotificationTemplate[];
}

/** The settings in force. */
export interface CommunicationSettings {
  readonly failureRate: number;
  readonly seed: number;
  readonly templates: readonly NotificationTemplate[];
}

const DEFAULTS: CommunicationSettings = { failureRate: 0, seed: 1, templates: DEFAULT_NOTIFICATION_TEMPLATES };
const byStore = new WeakMap<SandboxStore, CommunicationSettings>();

/**
 * Changes the communication settings of a store's sandbox: the options given replace the current ones, the
 * others stay.
 * @throws Error for a failureRate outside 0..1, a seed that is not an integer, or invalid templates.
 */
export function configureCommunications(store: SandboxStore, options: CommunicationOptions = {}): CommunicationSettings {
  if (!options || typeof options !== "object") throw new Error("communications: expected an object");
  const current = communicationSettings(store);
  const next = { ...current };
  if (options.failureRate !== undefined) {
    const r = options.failureRate;
    if (typeof r !== "number" || !(r >= 0 && r <= 1)) throw new Error(`communications.failureRate: expected a number between 0 and 1, got ${String(r)}`);
    next.failureRate = r;
  }
  if (options.seed !== undefined) {
    if (!Number.isSafeInteger(options.seed)) throw new Error(`communications.seed: expected an integer, got ${String(options.seed)}`);
    next.seed = options.seed;
  }
  if (options.templates !== undefined) next.templates = checkTemplates(options.templates);
  const frozen = Object.freeze(next);
  byStore.set(store, frozen);
  return frozen;
}

/** The communication settings of a store's sandbox (the defaults until configured). */
export function communicationSettings(store: SandboxStore): CommunicationSettings {
  return byStore.get(store) ?? DEFAULTS;
}

/** FNV-1a (32 bits) of a string: mixes seed, message and attempt into one PRNG seed. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Whether attempt `attempt` (0 for the first send) of message number `sequence` fails by the failure share. */
export function drawsFailure(store: SandboxStore, sequence: number, attempt: number): boolean {
  const { failureRate, seed } = communicationSettings(store);
  if (failureRate <= 0) return false;
  return prng(fnv1a(`${seed}:${sequence}:${attempt}`))() < failureRate;
}
