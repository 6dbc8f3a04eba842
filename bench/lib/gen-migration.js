"use strict";
/**
 * Writes a migration plan for the writes benchmark: `count` clients of the sandbox's demo tenant,
 * each with one loan (FLAT-MICRO or DB-PERSONAL), its approval, its disbursement 60 days ago and one
 * repayment 25 days ago — five writes per client. Deterministic for a seed.
 */
const fs = require("node:fs");
const path = require("node:path");

const FIRST = ["CARLOS", "LUCIA", "MARIA", "JUAN", "ANA", "LUIS", "ROSA", "PEDRO"];
const LAST = ["LOPEZ", "GARCIA", "DE LA CRUZ", "PEREZ", "TORRES", "DIAZ", "REYES"];

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

const day = (offsetDays) => new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);
const pad = (n, w) => String(n).padStart(w, "0");

/** Writes plan.yaml and its CSV sources into `dir`; returns the plan path and the number of writes it makes. */
function writeMigrationPlan(dir, count, seed = 7) {
  const rand = prng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const clients = ["client_id,first_name,last_name,gender,birth_date,branch"];
  const loans = ["loan_id,holder_id,holder_type,product,amount,interest_rate,installments,disbursement_date,first_repayment_date"];
  const repayments = ["repayment_id,loan_id,value_date,amount"];
  const disbursed = day(-60);
  const first = day(-30);
  const repaid = day(-25);
  for (let i = 1; i <= count; i++) {
    const c = `BENCH-C${pad(i, 6)}`;
    const l = `BENCH-L${pad(i, 6)}`;
    clients.push(`${c},${pick(FIRST)},${pick(LAST)},${rand() < 0.5 ? "FEMALE" : "MALE"},19${60 + Math.floor(rand() * 40)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)},CCAZ`);
    const amount = 5000 + Math.floor(rand() * 200) * 100;
    loans.push(`${l},${c},CLIENT,${rand() < 0.5 ? "FLAT-MICRO" : "DB-PERSONAL"},${amount}.00,${12 + Math.floor(rand() * 24)},12,${disbursed},${first}`);
    repayments.push(`BENCH-R${pad(i, 6)},${l},${repaid},${(amount / 10).toFixed(2)}`);
  }
  fs.writeFileSync(path.join(dir, "clients.csv"), clients.join("\n") + "\n");
  fs.writeFileSync(path.join(dir, "loans.csv"), loans.join("\n") + "\n");
  fs.writeFileSync(path.join(dir, "repayments.csv"), repayments.join("\n") + "\n");
  const plan = `# Writes benchmark: ${count} clients, each with a loan, approval, disbursement and one repayment.
id: bench-writes-${count}
sources:
  clients: { file: clients.csv }
  loans: { file: loans.csv }
  repayments: { file: repayments.csv }
steps: [client, loan, approve, disburse, repayment]
mapping:
  clients:
    id: client_id
    firstName: first_name
    lastName: last_name
    gender: gender
    birthDate: birth_date
    assignedBranchKey: branch
  loans:
    account:
      id: loan_id
      accountHolderId: holder_id
      accountHolderType: holder_type
      productTypeKey: product
      loanAmount: amount
      interestSettings.interestRate: interest_rate
      scheduleSettings.repaymentInstallments: installments
    approve:
      notes: { value: Approved at migration }
    disburse:
      valueDate: disbursement_date
      firstRepaymentDate: first_repayment_date
  repayments:
    loanId: loan_id
    externalId: repayment_id
    valueDate: value_date
    amount: amount
defaults:
  clients:
    state: ACTIVE
    preferredLanguage: SPANISH
  loans:
    account:
      scheduleSettings.gracePeriod: 0
      scheduleSettings.repaymentPeriodCount: 1
      scheduleSettings.repaymentPeriodUnit: MONTHS
`;
  const file = path.join(dir, "plan.yaml");
  fs.writeFileSync(file, plan);
  return { planPath: file, writes: count * 5 };
}

module.exports = { writeMigrationPlan };
