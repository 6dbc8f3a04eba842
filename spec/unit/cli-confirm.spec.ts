/**
 * lib/cli/confirm.ts with injected streams (the pseudo-terminal run is spec/e2e/cli-confirm.spec.ts):
 * the answers that proceed, the end of input, when a write needs --yes, what is shown (secrets and
 * userinfo masked), and the gate on the connector — reads pass, a refused write is never sent.
 */
import { PassThrough } from "node:stream";
import nock from "nock";
import { askYesNo, canAsk, ConfirmIO, confirmWrites, describeRequest, mustAsk, WriteCancelled } from "../../lib/cli/confirm";
import { UsageError } from "../../lib/cli/exit";
import { HOST, mambu, PASSWORD, testConnector } from "../helpers/mambu";

/** A terminal: input typed by the test, what is shown collected. */
function terminal(tty = { input: true, stdout: true }): ConfirmIO & { typed: PassThrough; shown: () => string } {
  const input = Object.assign(new PassThrough(), { isTTY: tty.input });
  let shown = "";
  const prompt = Object.assign(new PassThrough(), { isTTY: false });
  prompt.on("data", (d: Buffer) => (shown += d.toString("utf8")));
  return { input, prompt, stdout: { isTTY: tty.stdout }, typed: input, shown: () => shown };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("askYesNo", () => {
  it.each([
    ["y", true], ["Y", true], ["yes", true], [" YES ", true], ["n", false], ["", false], ["yep", false], ["no", false],
  ])("%j → %s", async (answer, expected) => {
    const io = terminal();
    const asked = askYesNo("Proceed? [y/N] ", io);
    io.typed.write(`${answer}\n`);
    await expect(asked).resolves.toBe(expected);
    expect(io.shown()).toContain("Proceed? [y/N] ");
  });

  it("the end of input is a no", async () => {
    const io = terminal();
    const asked = askYesNo("Proceed? [y/N] ", io);
    io.typed.end();
    await expect(asked).resolves.toBe(false);
  });
});

describe("mustAsk", () => {
  const plan = { command: "loan", what: "loan repay", where: "POST /loans/1/repayment-transactions", yes: false };

  it("asks on a terminal (stdin and stdout), not with --yes", () => {
    expect(mustAsk(plan, terminal())).toBe(true);
    expect(mustAsk({ ...plan, yes: true }, terminal({ input: false, stdout: false }))).toBe(false);
  });

  it("without a terminal on either side, a write needs --yes", () => {
    for (const tty of [{ input: false, stdout: true }, { input: true, stdout: false }]) {
      expect(canAsk(terminal(tty))).toBe(false);
      expect(() => mustAsk(plan, terminal(tty))).toThrow(new UsageError("loan repay writes (POST /loans/1/repayment-transactions): add --yes to confirm (no terminal to ask on)"));
    }
  });

  it("--data @- needs --yes even on a terminal", () => {
    expect(() => mustAsk({ ...plan, bodyFromStdin: true }, terminal())).toThrow(/--data @- takes stdin, which then cannot answer "Proceed\?": add --yes/);
    expect(mustAsk({ ...plan, bodyFromStdin: true, yes: true }, terminal())).toBe(false);
  });
});

describe("describeRequest", () => {
  it("shows method, URL without userinfo and the body re-indented with its digits, secrets masked", () => {
    const text = describeRequest(
      { method: "POST", path: "/loans/1/repayment-transactions", bodyText: '{"amount":100.50,"notes":"pw-S3cr3t!"}' },
      "https://user:pass@tenant.mambu.test/api/",
      [PASSWORD],
    );
    expect(text).toBe('  POST https://tenant.mambu.test/api/loans/1/repayment-transactions\n  {\n    "amount": 100.50,\n    "notes": "****"\n  }');
  });

  it("masks the request's own credentials (a key to rotate in the body)", () => {
    const key = "key-to-rotate-0123456789";
    const text = describeRequest({ method: "POST", path: "/apikey/rotation", bodyText: `{"apiKey":"${key}"}`, secrets: [key] }, "https://tenant.mambu.test/api");
    expect(text).not.toContain(key);
    expect(text).toContain('"apiKey": "****"');
  });

  it("cuts a long body after 60 lines", () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const text = describeRequest({ method: "PUT", path: "/x", body: items }, "https://t.test/api");
    expect(text.split("\n")).toHaveLength(1 + 60 + 1);
    expect(text).toMatch(/… \(42 more lines\)$/);
  });
});

describe("confirmWrites", () => {
  it("lets reads through, sends a write only after a yes, and undoes itself", async () => {
    const conn = testConnector();
    const io = terminal();
    const undo = confirmWrites(conn, { io, secrets: () => [PASSWORD] });
    mambu().get("/api/loans/1").reply(200, { id: "1" });
    await expect(conn.request({ method: "GET", path: "/loans/1" })).resolves.toMatchObject({ body: { id: "1" } });
    expect(io.shown()).toBe("");

    const refused = conn.request({ method: "POST", path: "/loans/1:writeOff", bodyText: '{"notes":"x"}' });
    io.typed.write("n\n");
    await expect(refused).rejects.toThrow(new WriteCancelled(0));
    expect(io.shown()).toContain(`mambu will send:\n  POST ${HOST}/api/loans/1:writeOff\n  {\n    "notes": "x"\n  }\nProceed? [y/N] `);

    const scope = mambu().post("/api/loans/1:writeOff", '{"notes":"x"}').reply(204);
    const sent = conn.request({ method: "POST", path: "/loans/1:writeOff", bodyText: '{"notes":"x"}' });
    io.typed.write("y\n");
    await expect(sent).resolves.toMatchObject({ status: 204 });
    expect(scope.isDone()).toBe(true);

    const second = conn.request({ method: "DELETE", path: "/deposits/D/blocks/R" });
    io.typed.write("n\n");
    await expect(second).rejects.toThrow("cancelled; 1 earlier write was sent");

    undo();
    const after = mambu().delete("/api/deposits/D/blocks/R").reply(204);
    const before = io.shown();
    await conn.request({ method: "DELETE", path: "/deposits/D/blocks/R" });
    expect(after.isDone()).toBe(true);
    expect(io.shown()).toBe(before);
  });
});
