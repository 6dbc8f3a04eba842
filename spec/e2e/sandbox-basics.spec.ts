/**
 * Sandbox e2e: authentication, the Accept header, get by id / encodedKey, Mambu's 404 bodies, unknown routes,
 * lists (filters, offset/limit, pagination headers, sortBy) and detailsLevel.
 */
import { Sandbox, startSandbox } from "../../lib/sandbox";
import { call, V2 } from "./sandbox-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, clock: { start: "2026-01-15T10:00:00+02:00" } });
});
afterAll(async () => {
  await sb.stop();
});

describe("authentication", () => {
  it("accepts Basic demo/demo", async () => {
    const r = await call(sb, "GET", "/clients/0512N0025");
    expect(r.status).toBe(200);
    expect(r.body.firstName).toBe("JOSEFA");
  });

  it("accepts the apiKey header", async () => {
    const r = await call(sb, "GET", "/clients/0512N0025", { headers: { Authorization: "", apiKey: "demo-api-key" } });
    expect(r.status).toBe(200);
  });

  it("answers 401 with Mambu's exact body for a wrong password, a wrong key, or none", async () => {
    const body = '{"errors":[{"errorCode":2,"errorSource":"credentials","errorReason":"INVALID_CREDENTIALS"}]}';
    const wrong = await call(sb, "GET", "/clients/0512N0025", { headers: { Authorization: `Basic ${Buffer.from("demo:nope").toString("base64")}` } });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toBe(body);
    const key = await call(sb, "GET", "/clients", { headers: { Authorization: "", apiKey: "nope" } });
    expect(key.status).toBe(401);
    expect(key.text).toBe(body);
    const none = await call(sb, "GET", "/clients", { headers: { Authorization: "" } });
    expect(none.status).toBe(401);
    expect(none.text).toBe(body);
  });
});

describe("Accept header", () => {
  it("serves v2, */* and no Accept; rejects application/json", async () => {
    expect((await call(sb, "GET", "/branches", { headers: { Accept: V2 } })).status).toBe(200);
    expect((await call(sb, "GET", "/branches", { headers: { Accept: "*/*" } })).status).toBe(200);
    expect((await call(sb, "GET", "/branches", { headers: { Accept: "" } })).status).toBe(200);
    const r = await call(sb, "GET", "/branches", { headers: { Accept: "application/json" } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].errorReason).toBe("INVALID_API_OPERATION");
  });
});

describe("get", () => {
  it("finds a client by id and by encodedKey", async () => {
    const byId = await call(sb, "GET", "/clients/0512N0025");
    const byKey = await call(sb, "GET", "/clients/8a099a673f1f25a0013f1fd0a1c318a5");
    expect(byKey.status).toBe(200);
    expect(byKey.body).toEqual(byId.body);
    expect(byId.body.encodedKey).toBe("8a099a673f1f25a0013f1fd0a1c318a5");
  });

  it("answers an unknown client with Mambu's 404 body", async () => {
    const r = await call(sb, "GET", "/clients/I%20DONT%20EXIST");
    expect(r.status).toBe(404);
    expect(r.text).toBe('{"errors":[{"errorCode":301,"errorReason":"INVALID_CLIENT_ID"}]}');
  });

  it("answers unknown loans, groups and branches with their reasons", async () => {
    expect((await call(sb, "GET", "/loans/nope")).body.errors[0]).toEqual({ errorCode: 100, errorReason: "INVALID_LOAN_ACCOUNT_ID" });
    expect((await call(sb, "GET", "/groups/nope")).body.errors[0].errorReason).toBe("INVALID_GROUP_ID");
    expect((await call(sb, "GET", "/branches/nope")).body.errors[0].errorReason).toBe("INVALID_BRANCH_ID");
    expect((await call(sb, "GET", "/deposits/nope")).body.errors[0].errorReason).toBe("INVALID_DEPOSIT_ACCOUNT_ID");
  });

  it("finds users by username", async () => {
    const r = await call(sb, "GET", "/users/a.alas?detailsLevel=FULL");
    expect(r.status).toBe(200);
    expect(r.body.firstName).toBe("Alejandra");
    expect(r.body.role.id).toBe("CO");
  });

  it("answers an unknown route with 404 INVALID_API_OPERATION and a wrong method with 405", async () => {
    const r = await call(sb, "GET", "/nothing/here");
    expect(r.status).toBe(404);
    expect(r.body.errors[0].errorReason).toBe("INVALID_API_OPERATION");
    const m = await call(sb, "DELETE", "/branches/CCAZ");
    expect(m.status).toBe(405);
    expect(m.body.errors[0].errorReason).toBe("METHOD_NOT_IMPLEMENTED");
  });
});

describe("detailsLevel", () => {
  it("BASIC (default) leaves out custom field sets and nested lists; FULL has them", async () => {
    const basic = await call(sb, "GET", "/clients/0512N0025");
    expect(basic.body._OtherDetails).toBeUndefined();
    expect(basic.body.addresses).toBeUndefined();
    const full = await call(sb, "GET", "/clients/0512N0025?detailsLevel=FULL");
    expect(full.body._OtherDetails).toEqual({ Age: "47", EmployerName: "Tienda La Esperanza" });
    expect(full.body._Assets).toEqual([{ ASSETYPE: "Land", ASSETAGE: "10", ASSETVALUE: "965000" }]);
    expect(full.body.addresses[0].city).toBe("Ciudad de Mexico");
    const groupBasic = await call(sb, "GET", "/groups/25G54321");
    expect(groupBasic.body.groupMembers).toBeUndefined();
    const groupFull = await call(sb, "GET", "/groups/25G54321?detailsLevel=FULL");
    expect(groupFull.body.groupMembers).toHaveLength(2);
  });

  it("rejects an unknown detailsLevel", async () => {
    const r = await call(sb, "GET", "/clients/0512N0025?detailsLevel=MEDIUM");
    expect(r.status).toBe(400);
    expect(r.body.errors[0].errorReason).toBe("INVALID_PARAMETERS");
  });
});

describe("lists", () => {
  it("filters clients by firstName and state", async () => {
    const r = await call(sb, "GET", "/clients?firstName=JOSEFA&state=ACTIVE");
    expect(r.status).toBe(200);
    expect(r.body.map((c: { id: string }) => c.id).sort()).toEqual(["0512N0025", "0512N0026"]);
  });

  it("filters by branchId (id or key), centreId and creditOfficerUsername", async () => {
    const mty = await call(sb, "GET", "/clients?branchId=MTY");
    expect(mty.body.length).toBe(4);
    const officer = await call(sb, "GET", "/clients?creditOfficerUsername=j.lopez&centreId=TribeMTY-1");
    expect(officer.body.map((c: { id: string }) => c.id).sort()).toEqual(["0512N0028", "0512N0029"]);
    const centres = await call(sb, "GET", "/centres?branchId=CCAZ");
    expect(centres.body.map((c: { id: string }) => c.id)).toEqual(["TribeAZ-1"]);
  });

  it("rejects an enum filter value not in the contract", async () => {
    const r = await call(sb, "GET", "/clients?state=HAPPY");
    expect(r.status).toBe(400);
    expect(r.body.errors[0].errorReason).toBe("INVALID_PARAMETERS");
  });

  it("pages with offset/limit and gives the pagination headers on paginationDetails=ON", async () => {
    const all = await call(sb, "GET", "/clients?limit=100&sortBy=lastName:ASC");
    expect(all.headers.get("items-total")).toBeNull();
    const page = await call(sb, "GET", "/clients?offset=2&limit=3&paginationDetails=ON&sortBy=lastName:ASC");
    expect(page.body).toEqual(all.body.slice(2, 5));
    expect(page.headers.get("items-total")).toBe(String(all.body.length));
    expect(page.headers.get("items-limit")).toBe("3");
    expect(page.headers.get("items-offset")).toBe("2");
  });

  it("rejects limit over 1000, negative offsets and non-integers", async () => {
    const big = await call(sb, "GET", "/clients?limit=1001");
    expect(big.status).toBe(400);
    expect(big.body.errors[0]).toMatchObject({ errorCode: 14, errorReason: "OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE" });
    expect((await call(sb, "GET", "/clients?limit=1000")).status).toBe(200);
    const neg = await call(sb, "GET", "/clients?offset=-1");
    expect(neg.body.errors[0].errorReason).toBe("OUT_OF_BOUNDS_PAGINATION_OFFSET_VALUE");
    const nan = await call(sb, "GET", "/clients?limit=ten");
    expect(nan.status).toBe(400);
    expect(nan.body.errors[0].errorReason).toBe("INVALID_PARAMETERS");
  });

  it("sorts by sortBy fields, several keys, and rejects other fields", async () => {
    const asc = await call(sb, "GET", "/clients?sortBy=firstName:ASC,lastName:DESC&limit=100");
    const names = asc.body.map((c: { firstName: string; lastName: string }) => `${c.firstName} ${c.lastName}`);
    expect(names.slice(0, 3)).toEqual(["CARMEN SANCHEZ", "DIEGO FLORES", "ELENA TORRES"]);
    expect(names.indexOf("JOSEFA MARTINEZ")).toBeLessThan(names.indexOf("JOSEFA GARCIA"));
    const desc = await call(sb, "GET", "/branches?sortBy=name:DESC");
    expect(desc.body.map((b: { id: string }) => b.id)).toEqual(["MTY", "CCAZ"]);
    const bad = await call(sb, "GET", "/clients?sortBy=birthDate:ASC");
    expect(bad.status).toBe(400);
  });

  it("lists users of a branch, ASSIGNED or MANAGE", async () => {
    const assigned = await call(sb, "GET", "/users?branchId=CCAZ");
    expect(assigned.body.map((u: { username: string }) => u.username).sort()).toEqual(["a.alas", "demo"]);
    const manage = await call(sb, "GET", "/users?branchId=CCAZ&branchIdType=MANAGE");
    expect(manage.body.map((u: { username: string }) => u.username).sort()).toEqual(["a.alas", "demo", "j.lopez"]);
  });

  it("lists custom field sets by availableFor and their fields", async () => {
    const sets = await call(sb, "GET", "/customfieldsets?availableFor=CLIENT");
    expect(sets.body.map((s: { id: string }) => s.id)).toEqual(["_OtherDetails", "_Assets", "_Guarantor"]);
    const fields = await call(sb, "GET", "/customfieldsets/_Assets/customfields");
    expect(fields.body.map((f: { id: string }) => f.id)).toEqual(["ASSETYPE", "ASSETAGE", "ASSETVALUE"]);
    const one = await call(sb, "GET", "/customfields/GuarantorClient");
    expect(one.body.type).toBe("CLIENT_LINK");
  });

  it("filters tasks by username, clientId and status", async () => {
    const r = await call(sb, "GET", "/tasks?username=a.alas&status=OPEN");
    expect(r.body.map((t: { id: number }) => t.id)).toEqual([1]);
    const c = await call(sb, "GET", "/tasks?clientId=0512N0025");
    expect(c.body[0].title).toBe("Visit JOSEFA");
  });
});
