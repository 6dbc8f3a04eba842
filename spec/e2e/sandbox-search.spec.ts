/** Sandbox e2e: POST /x:search with every operator, custom fields (`_Set.field`), sorting and paging. */
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { call } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(async () => {
  await sb.stop();
});

const ids = (r: { body: Array<{ id: string }> }): string[] => r.body.map((c) => c.id).sort();
const search = (filterCriteria: unknown[], extra: Record<string, unknown> = {}, query = "") =>
  call(sb, "POST", `/clients:search${query}`, { body: { filterCriteria, ...extra } });

describe("clients:search", () => {
  it("EQUALS (case-insensitive) and EQUALS_CASE_SENSITIVE", async () => {
    expect(ids(await search([{ field: "firstName", operator: "EQUALS", value: "josefa" }]))).toEqual(["0512N0025", "0512N0026"]);
    expect(ids(await search([{ field: "firstName", operator: "EQUALS_CASE_SENSITIVE", value: "josefa" }]))).toEqual([]);
    expect(ids(await search([{ field: "firstName", operator: "EQUALS_CASE_SENSITIVE", value: "JOSEFA" }]))).toEqual(["0512N0025", "0512N0026"]);
  });

  it("DIFFERENT_THAN, IN and mapped fields (clientState, branchKey)", async () => {
    const all = await call(sb, "POST", "/clients:search", { body: {} });
    expect(all.body).toHaveLength(10);
    expect(ids(await search([{ field: "clientState", operator: "DIFFERENT_THAN", value: "ACTIVE" }]))).toEqual(["0512N0030", "0512N0031", "0512N0033"]);
    expect(ids(await search([{ field: "clientState", operator: "IN", values: ["INACTIVE", "EXITED"] }]))).toEqual(["0512N0030", "0512N0033"]);
    const mty = (await call(sb, "GET", "/branches/MTY")).body.encodedKey;
    expect(ids(await search([{ field: "branchKey", operator: "EQUALS", value: mty }]))).toHaveLength(4);
  });

  it("STARTS_WITH and STARTS_WITH_CASE_SENSITIVE", async () => {
    expect(ids(await search([{ field: "lastName", operator: "STARTS_WITH", value: "gar" }]))).toEqual(["0512N0025"]);
    expect(ids(await search([{ field: "lastName", operator: "STARTS_WITH_CASE_SENSITIVE", value: "gar" }]))).toEqual([]);
  });

  it("custom fields: _OtherDetails.Age with MORE_THAN, LESS_THAN, BETWEEN; EMPTY / NOT_EMPTY", async () => {
    expect(ids(await search([{ field: "_OtherDetails.Age", operator: "MORE_THAN", value: "45" }]))).toEqual(["0512N0025", "0512N0027"]);
    expect(ids(await search([{ field: "_OtherDetails.Age", operator: "LESS_THAN", value: "35" }]))).toEqual(["0512N0028"]);
    expect(ids(await search([{ field: "_OtherDetails.Age", operator: "BETWEEN", value: "35", secondValue: "40" }]))).toEqual(["0512N0026", "0512N0032", "24N12345"]);
    expect(ids(await search([{ field: "_OtherDetails.EmployerName", operator: "EMPTY" }]))).toEqual(["0512N0026", "0512N0028", "0512N0029", "0512N0030", "0512N0031", "0512N0033"]);
    expect(ids(await search([{ field: "_OtherDetails.EmployerName", operator: "NOT_EMPTY" }]))).toHaveLength(4);
    expect(ids(await search([{ field: "_OtherDetails.EmployerName", operator: "EQUALS", value: "tienda la esperanza" }]))).toEqual(["0512N0025"]);
  });

  it("grouped custom fields match when any row matches", async () => {
    expect(ids(await search([{ field: "_Assets.ASSETYPE", operator: "EQUALS", value: "Car" }]))).toEqual(["0512N0026"]);
    expect(ids(await search([{ field: "_Assets.ASSETVALUE", operator: "MORE_THAN", value: "900000" }]))).toEqual(["0512N0025", "0512N0026"]);
  });

  it("several criteria must all match", async () => {
    const r = await search([
      { field: "firstName", operator: "EQUALS", value: "JOSEFA" },
      { field: "_OtherDetails.Age", operator: "LESS_THAN", value: "40" },
    ]);
    expect(ids(r)).toEqual(["0512N0026"]);
  });

  it("dates: ON, AFTER, BEFORE, BEFORE_INCLUSIVE, BETWEEN on birthdate", async () => {
    expect(ids(await search([{ field: "birthdate", operator: "ON", value: "1978-04-12" }]))).toEqual(["0512N0025"]);
    expect(ids(await search([{ field: "birthdate", operator: "AFTER", value: "1995-11-02" }]))).toEqual(["0512N0030"]);
    expect(ids(await search([{ field: "birthdate", operator: "BEFORE", value: "1969-07-21" }]))).toEqual(["0512N0033"]);
    expect(ids(await search([{ field: "birthdate", operator: "BEFORE_INCLUSIVE", value: "1969-07-21" }]))).toEqual(["0512N0027", "0512N0033"]);
    expect(ids(await search([{ field: "birthdate", operator: "BETWEEN", value: "1985-01-01", secondValue: "1990-01-05" }]))).toEqual(["0512N0026", "0512N0032", "24N12345"]);
  });

  it("relative dates against the sandbox clock: TODAY, THIS_WEEK, THIS_MONTH, THIS_YEAR, LAST_DAYS", async () => {
    // Seed creation dates are relative to the clock start 2026-01-15: PEDRO -5d, ELENA -2d, CARMEN -20d, LUIS -90d.
    expect(ids(await search([{ field: "creationDate", operator: "LAST_DAYS", value: "7" }]))).toEqual(["0512N0031", "0512N0032"]);
    expect(ids(await search([{ field: "creationDate", operator: "LAST_DAYS", value: "30" }]))).toEqual(["0512N0030", "0512N0031", "0512N0032"]);
    expect(ids(await search([{ field: "creationDate", operator: "THIS_MONTH" }]))).toEqual(["0512N0031", "0512N0032"]);
    expect(ids(await search([{ field: "creationDate", operator: "THIS_WEEK" }]))).toEqual(["0512N0032"]); // Mon 12 .. Sun 18 Jan
    expect(ids(await search([{ field: "creationDate", operator: "TODAY" }]))).toEqual([]);
    expect(ids(await search([{ field: "creationDate", operator: "THIS_YEAR" }]))).toEqual(["0512N0031", "0512N0032"]);
    sb.clock.advance({ days: 2 });
    try {
      expect(ids(await search([{ field: "creationDate", operator: "LAST_DAYS", value: "4" }]))).toEqual(["0512N0032"]);
    } finally {
      sb.clock.advance({ days: -2 });
    }
  });

  it("sorts with sortingCriteria and pages with offset/limit/paginationDetails", async () => {
    const r = await search([], { sortingCriteria: { field: "lastName", order: "ASC" } }, "?offset=1&limit=2&paginationDetails=ON");
    expect(r.body.map((c: { lastName: string }) => c.lastName)).toEqual(["GARCIA", "GONZALEZ"]);
    expect(r.headers.get("items-total")).toBe("10");
    const byCf = await search([{ field: "_OtherDetails.Age", operator: "NOT_EMPTY" }], { sortingCriteria: { field: "_OtherDetails.Age", order: "DESC" } });
    expect(byCf.body.map((c: { _OtherDetails?: unknown; id: string }) => c.id)).toEqual(["0512N0027", "0512N0025", "24N12345", "0512N0032", "0512N0026", "0512N0028"]);
    expect(byCf.body[0]._OtherDetails).toBeUndefined(); // BASIC
    const full = await search([{ field: "id", operator: "EQUALS", value: "0512N0025" }], {}, "?detailsLevel=FULL");
    expect(full.body[0]._OtherDetails.Age).toBe("47");
  });

  it("rejects unknown fields, operators, missing values and unknown custom fields", async () => {
    for (const c of [
      { field: "shoeSize", operator: "EQUALS", value: "42" },
      { field: "firstName", operator: "LIKE", value: "J" },
      { field: "firstName", operator: "EQUALS" },
      { field: "birthdate", operator: "BETWEEN", value: "1990-01-01" },
      { field: "clientState", operator: "IN" },
      { field: "_Nope.Age", operator: "EQUALS", value: "1" },
    ]) {
      const r = await search([c]);
      expect(r.status).toBe(400);
      expect(r.body.errors[0].errorReason).toBe("INVALID_PARAMETERS");
    }
  });
});

describe("other searches", () => {
  it("groups:search by custom field IN and numberOfMembers", async () => {
    const r = await call(sb, "POST", "/groups:search", {
      body: { filterCriteria: [{ field: "_group_details.industry", operator: "IN", values: ["agriculture", "arboriculture"] }], sortingCriteria: { field: "id", order: "ASC" } },
    });
    expect(r.body.map((g: { id: string }) => g.id)).toEqual(["25G54321"]);
    const m = await call(sb, "POST", "/groups:search", { body: { filterCriteria: [{ field: "numberOfMembers", operator: "MORE_THAN", value: "2" }] } });
    expect(m.body.map((g: { id: string }) => g.id)).toEqual(["24G23446"]);
  });
});
