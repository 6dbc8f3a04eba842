/**
 * Whether a journal may be resumed by this run, and how much of it: it must be the journal of this
 * plan, written against this tenant (or this kept rehearsal sandbox), with the same plan and source
 * content (unless the caller accepts a change); a rehearsal's journal is cut back to what its state
 * file holds (rehearsal.ts). Then a few of the holders and loans it records are looked up in the
 * tenant: a tenant that lacks them (reset, restored, another one behind the same URL) is refused too.
 * A refusal says what differs and what to do; nothing has been sent.
 */
import { describeBinding, fingerprintChanges, identityOf, PlanFingerprint, samePlace, TenantBinding } from "./binding";
import type { RunRecord, StepRecord } from "./journal";
import type { JournalHistory } from "./journal-file";
import { rehearsalKeep } from "./rehearsal";
import type { EntityClass } from "../core/entity";
import { MambuClient, MambuGroup, MambuLoan } from "../index";
import type { MambuConnector } from "../transport";

/** A journal this run must not resume; the message says why and what to do. */
export class ResumeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResumeRefused";
  }
}

/** What a resume needs to know about this run. */
export interface ResumeContext {
  history: JournalHistory;
  planId: string;
  /** SHA-256 of the plan file's text. */
  planHash: string;
  binding: TenantBinding;
  fingerprint: PlanFingerprint;
  /** Resume even though the plan or its sources changed. */
  allowChangedPlan?: boolean;
  /** Rehearsal kept in a state file: the file's SHA-256 now ("absent" when there is none). */
  stateHash?: string;
}

/** What to keep of the journal, and what to tell the user. */
export interface ResumeDecision {
  /** Keep the records within the first `keepBytes` bytes. */
  keepBytes: number;
  notes: string[];
}

const REDO = "Run without --resume (a new journal; every step is checked against the tenant, nothing is created twice)";

/**
 * Checks that the journal may be resumed by this run (see the module comment).
 * @throws ResumeRefused saying what differs and what to do.
 */
export function checkResume(ctx: ResumeContext): ResumeDecision {
  const { history, binding } = ctx;
  const path = history.path;
  const notes: string[] = [];
  const runs = history.entries.filter((e) => e.rec.t === "run").map((e) => e.rec as RunRecord);
  const other = runs.find((r) => r.plan !== ctx.planId);
  if (other) throw new ResumeRefused(`${path} is the journal of plan "${other.plan}", not "${ctx.planId}": give this plan its own --workdir.`);
  const last = runs[runs.length - 1];
  const steps = history.entries.filter((e) => e.rec.t === "step").length;
  if (!last || steps === 0) return { keepBytes: history.validEnd, notes };

  if (binding.target === "sandbox" && !binding.state) {
    throw new ResumeRefused(
      `a rehearsal without --sandbox-state starts from a new sandbox every time, so there is nothing to resume (${path} records ${steps} steps of an earlier one). Run it without --resume, or keep its sandbox between runs with --sandbox-state <file>.`,
    );
  }
  const was = last.tenant;
  if (!was) {
    notes.push(`note: ${path} does not say which tenant it was written against (an earlier version wrote it); its last clients are looked up in this tenant before resuming`);
  } else if (!samePlace(was, binding)) {
    const advice = binding.target === "sandbox" ? "Use the --sandbox-state it was written with, or run the rehearsal without --resume" : `${REDO}, or give each tenant its own --workdir`;
    throw new ResumeRefused(`${path} is the journal of ${describeBinding(was)}, not of ${describeBinding(binding)}: resuming it here would count as done what this ${binding.target === "sandbox" ? "sandbox" : "tenant"} has never seen. ${advice}.`);
  } else if (identityOf(was) !== identityOf(binding)) {
    notes.push(`note: ${path} was written as ${identityOf(was) ?? "another identity"}, this run is ${identityOf(binding) ?? "another identity"} (same tenant)`);
  }

  const changes = last.files ? fingerprintChanges(last.files, ctx.fingerprint.files) : last.hash !== ctx.planHash ? ["the plan file changed"] : [];
  if (changes.length) {
    if (!ctx.allowChangedPlan) {
      throw new ResumeRefused(
        `the plan changed since ${path} was written (${changes.join(", ")}): the steps it records as done would not be done again with the new content. Put the files back as they were; or ${REDO.charAt(0).toLowerCase()}${REDO.slice(1)}; or add --allow-changed-plan to resume anyway (the changes then apply only to steps not done yet).`,
      );
    }
    notes.push(`note: the plan changed since the journal was written (${changes.join(", ")}); --allow-changed-plan: steps it records as done are not done again`);
  } else if (!last.files) {
    notes.push(`note: ${path} does not record the sources' content (an earlier version wrote it); only the plan file was compared`);
  }

  let keepBytes = history.validEnd;
  if (binding.target === "sandbox" && binding.state && ctx.stateHash !== undefined) {
    const k = rehearsalKeep(history, binding.state, ctx.stateHash);
    if ("refuse" in k) throw new ResumeRefused(k.refuse);
    keepBytes = k.keep;
    if (k.dropped) notes.push(`note: ${binding.state} was saved before the last run's ${k.dropped} last journal records (it was interrupted without saving): those steps run again`);
    if (k.savedWithoutMark) notes.push(`note: the last run saved ${binding.state} but was stopped before marking it in the journal; resuming from that state`);
  }
  return { keepBytes, notes };
}

const HOLDERS: Record<string, EntityClass> = { client: MambuClient, group: MambuGroup, loan: MambuLoan };

/**
 * Looks up in the tenant the first and the last two holders or loans the kept records say were
 * created or adopted (three requests at most).
 * @throws ResumeRefused when one is missing or is another record (another encodedKey).
 */
export async function checkTenantHasJournal(conn: MambuConnector, history: JournalHistory, keepBytes: number, binding: TenantBinding): Promise<void> {
  const recs = history.entries
    .filter((e) => e.end <= keepBytes && e.rec.t === "step" && HOLDERS[(e.rec as StepRecord).step] && (e.rec as StepRecord).key)
    .map((e) => e.rec as StepRecord);
  const picks = [...new Set([recs[0], recs[recs.length - 2], recs[recs.length - 1]].filter((r): r is StepRecord => r !== undefined))];
  for (const r of picks) {
    const id = r.row.slice(r.row.indexOf(":") + 1);
    const found = await HOLDERS[r.step].find(id, { connector: conn });
    const key = found ? (found as unknown as { encodedKey?: unknown }).encodedKey : undefined;
    if (found && key === r.key) continue;
    const what = found ? `its ${r.step} ${id} is another record (encodedKey ${String(key)}, not ${r.key})` : `it has no ${r.step} ${id}`;
    throw new ResumeRefused(
      `${history.path} records ${r.step} ${id} as migrated, but ${what} in ${describeBinding(binding)}: this tenant is not in the state the journal describes (reset, restored, or another tenant at that address). ${REDO}.`,
    );
  }
}
