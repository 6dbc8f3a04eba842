#!/usr/bin/env node
"use strict";
/**
 * Generates the example migration data in config/migration/ (deterministic: a seeded PRNG, fixed
 * dates): clients.csv (CRLF, BOM, quoted fields with commas, quotes and a line break), groups.jsonl,
 * loans.csv (client and group loans, backdated disbursements, settlement accounts), schedules.csv
 * (edited schedules), fees.csv (predefined and arbitrary fees) and repayments.csv.
 *
 *   node scripts/gen-migration-data.js [--clients 300] [--out config/migration]
 *
 * The references (branches, centres, officers, products, custom fields) are those of the sandbox's
 * demo tenant (config/sandbox-demo.json).
 */
const fs = require("fs");
const path = require("path");

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const N = Number(opt("--clients", "300"));
const OUT = path.resolve(opt("--out", path.join(__dirname, "..", "config", "migration")));

let seed = 20250101;
function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const between = (a, b) => a + Math.floor(rand() * (b - a + 1));

/** Cents as an exact decimal text. */
const money = (cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
function addMonths(iso, n) {
  const [y, m, day] = iso.split("-").map(Number);
  const total = y * 12 + (m - 1) + n;
  const yy = Math.floor(total / 12);
  const mm = (total % 12) + 1;
  const last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  return `${yy}-${String(mm).padStart(2, "0")}-${String(Math.min(day, last)).padStart(2, "0")}`;
}

function csv(rows, header, eol = "\n", bom = false) {
  const q = (v) => {
    const s = v === undefined || v === null ? "" : String(v);
    return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (bom ? "\ufeff" : "") + [header.join(","), ...rows.map((r) => header.map((h) => q(r[h])).join(","))].join(eol) + eol;
}

const FIRST_F = ["JOSEFA", "MARIA", "ANA", "LUCIA", "CARMEN", "ROSA", "ELENA", "SOFIA", "PAULA", "ISABEL", "GUADALUPE", "TERESA"];
const FIRST_M = ["JUAN", "JOSE", "LUIS", "CARLOS", "MIGUEL", "PEDRO", "JORGE", "DIEGO", "RAUL", "ANTONIO", "MANUEL", "FRANCISCO"];
const LAST = ["GARCIA", "HERNANDEZ", "LOPEZ", "MARTINEZ", "GONZALEZ", "PEREZ", "RODRIGUEZ", "SANCHEZ", "RAMIREZ", "CRUZ", "FLORES", "O'NEIL", "DE LA CRUZ"];
const EMPLOYERS = ["Tienda La Esperanza", 'Abarrotes "El Sol", S.A.', "Taller Mecanico Ruiz", "Panaderia Santa Fe", "Self-employed", "Mercado Central, local 12"];
const CITIES = { CCAZ: ["Ciudad de Mexico", "06000"], MTY: ["Monterrey", "64000"] };
const ASSETS = ["Land", "Car", "House", "Livestock", "Machinery"];

const clients = [];
for (let i = 1; i <= N; i++) {
  const female = rand() < 0.55;
  const branch = rand() < 0.6 ? "CCAZ" : "MTY";
  const c = {
    client_id: `MIG-C${String(i).padStart(4, "0")}`,
    first_name: pick(female ? FIRST_F : FIRST_M),
    last_name: pick(LAST),
    gender: female ? "FEMALE" : "MALE",
    birth_date: `${between(1955, 2002)}-${String(between(1, 12)).padStart(2, "0")}-${String(between(1, 28)).padStart(2, "0")}`,
    email: `client${i}@example.invalid`,
    mobile: `55${String(between(10000000, 99999999))}`,
    branch,
    centre: branch === "CCAZ" ? "TribeAZ-1" : "TribeMTY-1",
    officer: branch === "CCAZ" ? "a.alas" : "j.lopez",
    street: `Calle ${between(1, 200)}`,
    city: CITIES[branch][0],
    postcode: CITIES[branch][1],
    id_document: `INE${String(100000 + i)}`,
    age: "",
    employer: pick(EMPLOYERS),
    asset1_type: "",
    asset1_age: "",
    asset1_value: "",
    asset2_type: "",
    asset2_age: "",
    asset2_value: "",
    notes: "",
  };
  c.age = String(2025 - Number(c.birth_date.slice(0, 4)));
  if (rand() < 0.5) {
    c.asset1_type = pick(ASSETS);
    c.asset1_age = String(between(1, 30));
    c.asset1_value = String(between(5, 500) * 1000);
    if (rand() < 0.4) {
      c.asset2_type = pick(ASSETS);
      c.asset2_age = String(between(1, 30));
      c.asset2_value = String(between(5, 500) * 1000);
    }
  }
  if (i % 37 === 0) c.notes = "Migrated from the legacy system.\nSecond line of the note, with a comma, and \"quotes\".";
  clients.push(c);
}

// groups: disjoint members among the last clients
const groups = [];
const industries = ["agriculture", "arboriculture", "commerce"];
let memberFrom = N - 20;
for (let g = 1; g <= 4; g++) {
  const size = between(3, 5);
  const members = clients.slice(memberFrom, memberFrom + size).map((c) => c.client_id);
  memberFrom += size;
  const first = clients.find((c) => c.client_id === members[0]);
  groups.push({
    id: `MIG-G${String(g).padStart(3, "0")}`,
    name: `Grupo Solidario ${g}`,
    branch: first.branch,
    centre: first.centre,
    officer: first.officer,
    members,
    industry: industries[g % 3],
    notes: g === 1 ? "Meets on Mondays" : undefined,
  });
}

// within the demo tenant's products (config/sandbox-demo.json loanproducts: amount, installments, rate)
const PRODUCTS = {
  "FLAT-MICRO": { min: 500, max: 50000, nmin: 3, nmax: 12, rmin: 24, rmax: 48 },
  "DB-PERSONAL": { min: 1000, max: 60000, nmin: 3, nmax: 18, rmin: 12, rmax: 36 },
};
const loans = [];
const schedules = [];
const fees = [];
const repayments = [];
let loanSeq = 0;
let settleSeq = 0;
let repSeq = 0;
const LAST_TX_DATE = "2026-06-30";

function makeLoan(holderId, holderType) {
  loanSeq++;
  const product = rand() < 0.6 ? "FLAT-MICRO" : "DB-PERSONAL";
  const p = PRODUCTS[product];
  // the odd cents never take an amount above the product's maximum
  const amountCents = Math.min(between(p.min / 100, p.max / 100) * 10000 + (rand() < 0.3 ? between(1, 99) * 50 : 0), p.max * 100);
  const n = between(p.nmin, p.nmax);
  const disbursed = rand() < 0.9;
  const disb = addDays("2025-01-06", between(0, 420));
  const edited = product === "FLAT-MICRO" && disbursed && loanSeq % 23 === 0;
  const loan = {
    loan_id: `MIG-L${String(loanSeq).padStart(5, "0")}`,
    holder_id: holderId,
    holder_type: holderType,
    product,
    amount: money(amountCents),
    interest_rate: String(between(p.rmin, p.rmax)),
    installments: String(n),
    disbursement_date: disbursed ? disb : "",
    first_repayment_date: disbursed && !edited ? addMonths(disb, 1) : "",
    settlement_account_id: "",
    amount_score: rand() < 0.5 ? String(between(1, 10)) : "",
    time_score: rand() < 0.5 ? String(between(1, 10)) : "",
    notes: loanSeq % 50 === 0 ? "Restructured in 2024; balances carried over" : "",
  };
  if (rand() < 0.3) loan.settlement_account_id = `MIG-S${String(++settleSeq).padStart(5, "0")}`;
  loans.push(loan);
  if (edited) {
    // custom schedule: principal split evenly (remainder last), flat interest 2% a month, due the 15th
    const per = Math.floor(amountCents / n);
    for (let k = 1; k <= n; k++) {
      const principal = k === n ? amountCents - per * (n - 1) : per;
      const due = addMonths(`${addMonths(disb, 1).slice(0, 8)}15`, k - 1);
      schedules.push({ loan_id: loan.loan_id, installment: String(k), due_date: due, principal: money(principal), interest: money(Math.round(amountCents * 0.02)) });
    }
  }
  if (!disbursed) return;
  // repayments: monthly, never more than 90% of the principal in total
  const count = between(0, n);
  let left = Math.floor(amountCents * 0.9);
  for (let k = 1; k <= count; k++) {
    const date = addDays(addMonths(disb, k), between(-3, 3));
    if (date > LAST_TX_DATE || date <= disb) break;
    const cents = Math.min(left, Math.round(amountCents / n) + between(0, 40) * 25);
    if (cents <= 0) break;
    left -= cents;
    repayments.push({ repayment_id: `MIG-R${String(++repSeq).padStart(6, "0")}`, loan_id: loan.loan_id, value_date: date, amount: money(cents), notes: k === 1 ? "First installment" : "" });
  }
  // fees: the product's LATE fee on micro loans, arbitrary ones on personal loans
  if (rand() < 0.3) {
    const date = addDays(disb, between(20, 200));
    if (date <= LAST_TX_DATE) {
      if (product === "FLAT-MICRO") fees.push({ loan_id: loan.loan_id, value_date: date, fee: "LATE", amount: "", installment: "", notes: "Late payment" });
      else fees.push({ loan_id: loan.loan_id, value_date: date, fee: "", amount: money(between(5, 40) * 100 + 50), installment: String(n), notes: "Collection visit" });
    }
  }
}

for (const c of clients) {
  const k = rand();
  const count = k < 0.08 ? 0 : k < 0.9 ? 1 : 2;
  for (let i = 0; i < count; i++) makeLoan(c.client_id, "CLIENT");
}
for (const g of groups.slice(0, 2)) makeLoan(g.id, "GROUP");

fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(
  path.join(OUT, "clients.csv"),
  csv(clients, Object.keys(clients[0]), "\r\n", true),
);
fs.writeFileSync(
  path.join(OUT, "groups.jsonl"),
  groups.map((g) => JSON.stringify(g) + "\n").join(""),
);
fs.writeFileSync(path.join(OUT, "loans.csv"), csv(loans, Object.keys(loans[0])));
fs.writeFileSync(path.join(OUT, "schedules.csv"), csv(schedules, ["loan_id", "installment", "due_date", "principal", "interest"]));
fs.writeFileSync(path.join(OUT, "fees.csv"), csv(fees, ["loan_id", "value_date", "fee", "amount", "installment", "notes"]));
fs.writeFileSync(path.join(OUT, "repayments.csv"), csv(repayments, ["repayment_id", "loan_id", "value_date", "amount", "notes"]));
process.stdout.write(
  `wrote ${OUT}: ${clients.length} clients, ${groups.length} groups, ${loans.length} loans, ${new Set(schedules.map((s) => s.loan_id)).size} edited schedules, ${fees.length} fees, ${repayments.length} repayments\n`,
);
