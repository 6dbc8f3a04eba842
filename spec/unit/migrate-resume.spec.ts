/**
 * Which journal a run may resume: bound to the tenant (or kept rehearsal sandbox) it was written
 * against and to the plan's content; a rehearsal's journal cut back to what its state file holds.
 * The journal keeps no secret.
 */
import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { defaultWorkdir, Journal, keyFingerprint, ResumeRefused, TenantBinding } from "../../lib/migrate";
import { tenantBinding } from "../../lib/migrate/binding";
import { checkResume } from "../../lib/migrate/resume";
import { rehearsalKeep } from "../../lib/migrate/rehearsal";

const A: TenantBinding = { target: "tenant", url: "https://a.mambu.com/api", user: "alice" };
const B: TenantBinding = { target: "tenant", url: "https://b.mambu.com/api", user: "alice" };
const STATE = "/work/rehearsal/state.json";
const KEPT: TenantBinding = { target: "sandbox", state: STATE };
const files = { "plan.yaml": "p1", "clients.csv": "c1", "loans.csv": "l1" };

/** A journal of `runs`: each run's binding, files and rehearsal state hash, its steps, and its state marks. */
async function journal(runs: Array<{ tenant?: TenantBinding; files?: Record<string, string>; state?: string; steps: number; marks?: Array<["saving" | "saved", string?]> }>): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), "mig-r-")), "journal.jsonl");
  let n = 0;
  for (const [i, r] of runs.entries()) {
    const j = Journal.open(path, { planId: "book", planHash: "p1", resume: i > 0, run: { tenant: r.tenant, files: r.files, state: r.state } });
    for (let k = 0; k < r.steps; k++) {
      n++;
      await j.recordStep({ unit: `client:C${n}`, row: `client:C${n}`, step: "client", status: "created", key: `k${n}` });
    }
    for (const [phase, hash] of r.marks ?? []) j.recordStateNow(phase, hash);
    await j.close();
  }
  return path;
}

const ctx = (path: string, binding: TenantBinding, extra: { files?: Record<string, string>; stateHash?: string; allowChangedPlan?: boolean } = {}) => ({
  history: Journal.read(path),
  planId: "book",
  planHash: "p1",
  binding,
  fingerprint: { content: "x", files: extra.files ?? files },
  stateHash: extra.stateHash,
  allowChangedPlan: extra.allowChangedPlan,
});
const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ResumeRefused);
    return (e as Error).message;
  }
  throw new Error("not refused");
};

describe("a journal is resumed only where it was written", () => {
  it("resumes on the same tenant (another user of it is a note)", async () => {
    const path = await journal([{ tenant: A, files, steps: 3 }]);
    expect(checkResume(ctx(path, A))).toEqual({ keepBytes: Journal.read(path).validEnd, notes: [] });
    expect(checkResume(ctx(path, { ...A, user: "bob" })).notes).toEqual([expect.stringMatching(/written as user alice, this run is user bob \(same tenant\)/)]);
  });

  it("refuses another tenant, saying both and what to do", async () => {
    const path = await journal([{ tenant: A, files, steps: 3 }]);
    expect(refusal(() => checkResume(ctx(path, B)))).toBe(
      `${path} is the journal of tenant https://a.mambu.com/api (user alice), not of tenant https://b.mambu.com/api (user alice): resuming it here would count as done what this tenant has never seen. Run without --resume (a new journal; every step is checked against the tenant, nothing is created twice), or give each tenant its own --workdir.`,
    );
  });

  it("refuses a rehearsal's journal on a tenant, and a tenant's journal in a rehearsal", async () => {
    const rehearsal = await journal([{ tenant: KEPT, files, state: "absent", steps: 3 }]);
    expect(refusal(() => checkResume(ctx(rehearsal, A)))).toMatch(/is the journal of the rehearsal sandbox kept in \/work\/rehearsal\/state\.json, not of tenant https:\/\/a\.mambu\.com\/api/);
    const real = await journal([{ tenant: A, files, steps: 3 }]);
    expect(refusal(() => checkResume(ctx(real, KEPT, { stateHash: "absent" })))).toMatch(/is the journal of tenant https:\/\/a\.mambu\.com\/api \(user alice\), not of the rehearsal sandbox kept in .*Use the --sandbox-state it was written with, or run the rehearsal without --resume\./);
    expect(refusal(() => checkResume(ctx(rehearsal, { target: "sandbox", state: "/elsewhere.json" }, { stateHash: "absent" })))).toMatch(/not of the rehearsal sandbox kept in \/elsewhere\.json/);
  });

  it("has nothing to resume in a rehearsal whose sandbox is not kept", async () => {
    const path = await journal([{ tenant: { target: "sandbox" }, files, steps: 3 }]);
    expect(refusal(() => checkResume(ctx(path, { target: "sandbox" })))).toMatch(/^a rehearsal without --sandbox-state starts from a new sandbox every time, so there is nothing to resume \(.* records 3 steps of an earlier one\)\. Run it without --resume, or keep its sandbox between runs with --sandbox-state <file>\.$/);
  });

  it("refuses another plan's journal", async () => {
    const path = await journal([{ tenant: A, files, steps: 1 }]);
    expect(refusal(() => checkResume({ ...ctx(path, A), planId: "other" }))).toMatch(/is the journal of plan "book", not "other"/);
  });
});

describe("a journal is resumed only with the content it was written with", () => {
  it("refuses a changed plan or source, naming them; --allow-changed-plan resumes with a note", async () => {
    const path = await journal([{ tenant: A, files, steps: 2 }]);
    const changed = { "plan.yaml": "p1", "clients.csv": "c2", "loans.csv": "l1", "fees.csv": "f1" };
    expect(refusal(() => checkResume(ctx(path, A, { files: changed })))).toMatch(
      /^the plan changed since .*journal\.jsonl was written \(clients\.csv changed, fees\.csv added\): the steps it records as done would not be done again with the new content\. Put the files back as they were; or run without --resume .*; or add --allow-changed-plan to resume anyway/,
    );
    expect(checkResume(ctx(path, A, { files: changed, allowChangedPlan: true })).notes).toEqual([expect.stringMatching(/plan changed .*clients\.csv changed, fees\.csv added.*--allow-changed-plan/)]);
  });

  it("an empty journal (nothing done yet) is always resumable", async () => {
    const path = await journal([{ tenant: A, files, steps: 0 }]);
    expect(checkResume(ctx(path, B)).notes).toEqual([]);
  });
});

describe("a rehearsal's journal against its state file", () => {
  const keep = (path: string, current: string) => rehearsalKeep(Journal.read(path), STATE, current);
  const endOfLine = (path: string, n: number) => readFileSync(path, "utf8").split("\n").slice(0, n).join("\n").length + 1;

  it("keeps everything when the state was saved after the last step", async () => {
    const path = await journal([{ tenant: KEPT, state: "absent", steps: 3, marks: [["saving"], ["saved", "s1"]] }]);
    expect(keep(path, "s1")).toEqual({ keep: Journal.read(path).validEnd, dropped: 0, savedWithoutMark: false });
  });

  it("cuts back to the state a killed run started from (its steps are not in the file)", async () => {
    const path = await journal([
      { tenant: KEPT, state: "absent", steps: 2, marks: [["saving"], ["saved", "s1"]] },
      { tenant: KEPT, state: "s1", steps: 3 },
    ]);
    // run, 2 steps, saving, saved, run (started from s1), 3 steps: keep up to the second run line
    expect(keep(path, "s1")).toEqual({ keep: endOfLine(path, 6), dropped: 3, savedWithoutMark: false });
    // the state file deleted: back to the beginning
    expect(keep(path, "absent")).toEqual({ keep: endOfLine(path, 1), dropped: 5, savedWithoutMark: false });
  });

  it("a save not marked as done: the state holds everything when it changed, nothing new when it did not", async () => {
    const path = await journal([{ tenant: KEPT, state: "s0", steps: 2, marks: [["saving"]] }]);
    expect(keep(path, "s9")).toEqual({ keep: Journal.read(path).validEnd, dropped: 0, savedWithoutMark: true });
    expect(keep(path, "s0")).toEqual({ keep: endOfLine(path, 1), dropped: 2, savedWithoutMark: false });
  });

  it("refuses a state file the journal does not know", async () => {
    const path = await journal([{ tenant: KEPT, state: "s0", steps: 2, marks: [["saving"], ["saved", "s1"]] }]);
    expect(keep(path, "zz")).toEqual({ refuse: expect.stringMatching(/^\/work\/rehearsal\/state\.json is not a state this journal knows \(replaced or edited\): .*Put that state file back, or run the rehearsal without --resume/) });
    expect(refusal(() => checkResume(ctx(path, KEPT, { stateHash: "zz" })))).toMatch(/is not a state this journal knows/);
  });

  it("checkResume cuts back and says so", async () => {
    const path = await journal([{ tenant: KEPT, state: "s0", files, steps: 4 }]);
    const d = checkResume(ctx(path, KEPT, { stateHash: "s0" }));
    expect(d.keepBytes).toBe(endOfLine(path, 1));
    expect(d.notes).toEqual([expect.stringMatching(/state\.json was saved before the last run's 4 last journal records .*: those steps run again/)]);
  });
});

describe("what the journal records of where it ran", () => {
  it("an API key only as a short fingerprint, a password never", () => {
    const config = { apiurl: "TENANT.sandbox.mambu.com", apiuser: undefined, apikey: undefined };
    const withKey = tenantBinding({ apikey: "s3cr3t-api-key-value" }, config);
    expect(withKey).toEqual({ target: "tenant", url: "https://tenant.sandbox.mambu.com/api", apiKey: keyFingerprint("s3cr3t-api-key-value") });
    expect(keyFingerprint("s3cr3t-api-key-value")).toMatch(/^sha256:[0-9a-f]{12}$/);
    const withUser = tenantBinding({ apiuser: "alice", apipwd: "pa55word" }, config);
    expect(withUser).toEqual({ target: "tenant", url: "https://tenant.sandbox.mambu.com/api", user: "alice" });
    expect(JSON.stringify([withKey, withUser])).not.toMatch(/s3cr3t|pa55word/);
  });

  it("rehearsals have their own default workdir", () => {
    expect(defaultWorkdir("book", "tenant")).toBe(join(".mambu-journal", "book"));
    expect(defaultWorkdir("book", "sandbox")).toBe(join(".mambu-journal", "book", "rehearsal"));
  });
});
