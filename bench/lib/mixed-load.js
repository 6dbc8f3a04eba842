"use strict";
/**
 * The mixed workload of bench/sandbox-mixed.js: a fixed, seeded sequence of API v2 requests (pages of clients
 * and FULL loans, single records, searches, client creations, repayments), and a load generator that sends it
 * with N concurrent clients over keep-alive HTTP, each request tagged with its index (`X-Bench-Seq`).
 */
const http = require("node:http");

const LAST = ["LOPEZ", "GARCIA", "PEREZ", "TORRES", "DIAZ", "REYES"];
const FIRST = ["CARLOS", "LUCIA", "MARIA", "JUAN", "ANA", "LUIS"];

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The kinds of the mix, one round of ten requests (their share of the sequence is their count here ÷ 10). */
const ROUND = [
  "clients-page", "loans-page-full", "client-get", "clients-search", "loans-search-holder",
  "loan-get", "client-create", "repayment", "clients-page", "loans-search-state",
];

/**
 * The request sequence: `count` requests, `ROUND` repeated; `tenant` gives what the requests point at
 * (client ids and keys, loan ids, active loan ids for repayments, the page range).
 * @returns {Array<{ kind: string, method: string, path: string, body?: string }>}
 */
function buildSequence(count, tenant, seed = 11) {
  const rand = prng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const pages = (n) => Math.max(1, Math.floor(n / 50));
  const seq = [];
  for (let i = 0; i < count; i++) {
    const kind = ROUND[i % ROUND.length];
    const c = pick(tenant.clients);
    switch (kind) {
      case "clients-page":
        seq.push({ kind, method: "GET", path: `/api/clients?offset=${50 * Math.floor(rand() * pages(tenant.clientCount))}&limit=50` });
        break;
      case "loans-page-full":
        seq.push({ kind, method: "GET", path: `/api/loans?offset=${50 * Math.floor(rand() * pages(tenant.loanCount))}&limit=50&detailsLevel=FULL` });
        break;
      case "client-get":
        seq.push({ kind, method: "GET", path: `/api/clients/${encodeURIComponent(c.id)}?detailsLevel=FULL` });
        break;
      case "loan-get":
        seq.push({ kind, method: "GET", path: `/api/loans/${encodeURIComponent(pick(tenant.loans))}?detailsLevel=FULL` });
        break;
      case "clients-search":
        seq.push({
          kind, method: "POST", path: "/api/clients:search?limit=50",
          body: JSON.stringify({ filterCriteria: [{ field: "clientState", operator: "EQUALS", value: "ACTIVE" }, { field: "id", operator: "EQUALS", value: c.id }] }),
        });
        break;
      case "loans-search-holder":
        seq.push({
          kind, method: "POST", path: "/api/loans:search?limit=50&detailsLevel=FULL",
          body: JSON.stringify({ filterCriteria: [{ field: "accountHolderKey", operator: "EQUALS", value: c.encodedKey }] }),
        });
        break;
      case "loans-search-state":
        seq.push({
          kind, method: "POST", path: `/api/loans:search?offset=${50 * Math.floor(rand() * 4)}&limit=50`,
          body: JSON.stringify({ filterCriteria: [{ field: "accountState", operator: "EQUALS", value: "ACTIVE" }] }),
        });
        break;
      case "client-create":
        seq.push({
          kind, method: "POST", path: "/api/clients",
          body: JSON.stringify({ firstName: pick(FIRST), lastName: pick(LAST), preferredLanguage: "ENGLISH", gender: rand() < 0.5 ? "FEMALE" : "MALE" }),
        });
        break;
      case "repayment":
        seq.push({
          kind, method: "POST", path: `/api/loans/${encodeURIComponent(pick(tenant.active))}/repayment-transactions`,
          body: JSON.stringify({ amount: 1 }),
        });
        break;
      default:
        throw new Error(kind);
    }
  }
  return seq;
}

const AUTH = `Basic ${Buffer.from("demo:demo").toString("base64")}`;

/** One request; resolves with [status, body bytes]. */
function send(agent, base, r, i) {
  return new Promise((resolve, reject) => {
    const headers = { Authorization: AUTH, Accept: "application/vnd.mambu.v2+json", "X-Bench-Seq": String(i) };
    if (r.body !== undefined) {
      headers["Content-Type"] = "application/json";
      headers["Content-Length"] = String(Buffer.byteLength(r.body));
    }
    const req = http.request(`${base}${r.path}`, { method: r.method, agent, headers }, (res) => {
      let n = 0;
      res.on("data", (c) => (n += c.length));
      res.on("end", () => resolve([res.statusCode, n]));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(r.body);
  });
}

/**
 * Sends the whole sequence with `concurrency` clients (keep-alive sockets), each taking the next request
 * when its previous one answered. Resolves with the wall time and each request's [status, bytes].
 */
async function runLoad(base, seq, concurrency) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const answers = new Array(seq.length);
  let next = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < seq.length) {
      const i = next++;
      answers[i] = await send(agent, base, seq[i], i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  agent.destroy();
  return { ms, answers };
}

/** GET/POST helper for the set-up (JSON in, JSON out); throws on a non-2xx answer. */
async function api(base, method, path, body) {
  const agent = new http.Agent({ keepAlive: false });
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers = { Authorization: AUTH, Accept: "application/vnd.mambu.v2+json" };
    if (text !== undefined) headers["Content-Type"] = "application/json";
    const req = http.request(`${base}${path}`, { method, agent, headers }, (res) => {
      let s = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (s += c));
      res.on("end", () => {
        if (res.statusCode >= 300) return reject(new Error(`${method} ${path}: ${res.statusCode} ${s.slice(0, 300)}`));
        resolve(s ? JSON.parse(s) : undefined);
      });
    });
    req.on("error", reject);
    req.end(text);
  });
}

module.exports = { ROUND, buildSequence, runLoad, api };
