/**
 * The backup schema (lib/contract/backup-schema.ts): Mambu's table and column names as MambuPy's ORM maps them,
 * and the DDL rendered from them.
 */
import { BACKUP_TABLES, backupColumn, backupTable, createTableSql, renderBackupDdl, sqlTypeText } from "../../lib/contract/backup-schema";

describe("backup schema", () => {
  it("has the tables MambuPy's ORM maps, each with a primary key made of its own columns", () => {
    const names = BACKUP_TABLES.map((t) => t.name);
    for (const n of ["client", "loanaccount", "branch", "centre", "user", "group", "groupmember", "customfield", "customfieldvalue", "address", "activity", "task", "loantransaction", "repayment", "loanproduct"]) {
      expect(names).toContain(n);
    }
    expect(new Set(names).size).toBe(names.length);
    for (const t of BACKUP_TABLES) {
      const cols = new Set(t.columns.map((c) => c.name));
      expect(cols.size).toBe(t.columns.length);
      for (const k of [...t.primaryKey, ...t.unique, ...t.relations.map((r) => r.column)]) expect(cols).toContain(k);
    }
  });

  it("names relations to tables that exist, and lists every table after the tables it points to (except polymorphic or self links)", () => {
    const seen = new Set<string>();
    for (const t of BACKUP_TABLES) {
      for (const r of t.relations) {
        for (const target of r.targets) expect(backupTable(target)).toBeDefined();
        if (r.targets.length === 1 && r.targets[0] !== t.name) expect(seen).toContain(r.targets[0]);
      }
      seen.add(t.name);
    }
  });

  it("maps money as DECIMAL(50,10) and dates as DATETIME, as MambuPy's Numeric(50, 10) and DateTime", () => {
    expect(sqlTypeText(backupColumn("loanaccount", "loanAmount")!.type)).toBe("DECIMAL(50,10)");
    expect(sqlTypeText(backupColumn("repayment", "dueDate")!.type)).toBe("DATETIME");
    expect(sqlTypeText(backupColumn("client", "encodedKey")!.type)).toBe("VARCHAR(32)");
    expect(backupColumn("client", "nope")).toBeUndefined();
  });

  it("renders CREATE TABLE with quoted names (group and user are reserved words), primary and unique keys", () => {
    const sql = createTableSql(backupTable("group")!);
    expect(sql.startsWith("CREATE TABLE `group` (\n  `encodedKey` VARCHAR(32) NOT NULL,\n  `id` VARCHAR(256) DEFAULT NULL,")).toBe(true);
    expect(sql).toContain("  PRIMARY KEY (`encodedKey`),\n  UNIQUE KEY `UK_group_id` (`id`),");
    expect(sql).toContain("KEY `IX_group_assignedBranchKey` (`assignedBranchKey`)");
    expect(sql.endsWith(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;")).toBe(true);
    expect(createTableSql(backupTable("groupmember")!)).toContain("PRIMARY KEY (`clientkey`,`groupkey`)");
    const ddl = renderBackupDdl();
    expect(ddl.match(/^DROP TABLE IF EXISTS /gm)!.length).toBe(BACKUP_TABLES.length);
    expect(ddl).not.toMatch(/FOREIGN KEY/);
  });
});
