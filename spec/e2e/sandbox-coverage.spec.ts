/**
 * The sandbox serves every operation of the account resources of the contract (the Swagger files plus the
 * supplement of newer operations): loans, their transactions and installments, deposits and theirs, cards,
 * credit arrangements, funding sources, bulks and client documents. A new operation in the contract without a
 * sandbox route fails here.
 */
import { resource } from "../../lib/contract/schema";
import { Sandbox, startSandbox } from "../../lib/sandbox";

const ACCOUNT_RESOURCES = [
  "loans", "loans_transactions", "installments", "deposits", "deposits_transactions", "cards", "creditarrangements",
  "fundingsources", "bulks", "clients_documents", "loanproducts", "clients", "groups",
  "setup_general", "setup_organization", "organization_holidays", "organization_holidays_general", "organization_holidays_nonworkingdays",
  "organization_transactionChannels", "organization_identificationDocumentTemplates",
  "glaccounts", "gljournalentries",
  "accounting_interestaccrual", "accounting_reports",
  "currencies", "indexratesources",
  "application__status", "crons_eod",
  "consumers", "apikey_rotation", "database_backup",
  // configuration as code (YAML documents)
  "configuration__branches.yaml", "configuration__centres.yaml", "configuration__customfields", "configuration__organization",
  "configuration__userroles", "configuration__accountingrules.yaml", "configuration__authorizationholds.yaml",
];

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, data: "empty" });
});
afterAll(() => sb.stop());

test("every operation of the account resources has a sandbox route", () => {
  const served = new Set(sb.routes());
  const missing = ACCOUNT_RESOURCES.flatMap((r) =>
    resource(r).operations.map((op) => `${op.method} ${op.path}`).filter((key) => !served.has(key)).map((key) => `${r}: ${key}`),
  );
  expect(missing).toEqual([]);
  const count = ACCOUNT_RESOURCES.reduce((n, r) => n + resource(r).operations.length, 0);
  expect(count).toBe(193); // 217 + 21 newer operations in all; 193 of them on these resources (17 of configuration as code)
});
