/**
 * The read models' tables (lib/db/tables.ts) agree with the backup schema the sandbox dumps from
 * (lib/contract/backup-schema.ts): every known column exists there, with a type read the way the model says
 * (DECIMAL → Decimal, DATETIME → DateTime, INT/BIGINT → number, VARCHAR/TEXT → string).
 */
import { backupTable, BackupSqlType } from "../../lib/contract/backup-schema";
import { TABLES } from "../../lib/db";

const KIND: Record<BackupSqlType["kind"], string> = { varchar: "string", text: "string", decimal: "decimal", datetime: "datetime", int: "int", bigint: "int" };

test("every column of every read model is a column of the backup schema, of the same kind", () => {
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(TABLES)) {
    const t = backupTable(table);
    if (!t) {
      problems.push(`${table}: no such table in the backup schema`);
      continue;
    }
    for (const [column, kind] of Object.entries(columns)) {
      const c = t.columns.find((x) => x.name === column);
      if (!c) problems.push(`${table}.${column}: no such column`);
      else if (KIND[c.type.kind] !== kind) problems.push(`${table}.${column}: ${kind} here, ${c.type.kind} in the schema`);
    }
  }
  expect(problems).toEqual([]);
});

test("the money columns MambuPy maps as Numeric are Decimals in the models", () => {
  expect(TABLES.loanaccount.loanAmount).toBe("decimal");
  expect(TABLES.loanaccount.principalBalance).toBe("decimal");
  expect(TABLES.repayment.principalDue).toBe("decimal");
  expect(TABLES.loantransaction.amount).toBe("decimal");
  expect(TABLES.customfieldvalue.amount).toBe("decimal");
});
