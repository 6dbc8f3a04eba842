/**
 * How `mambu-migrate` shows the end of a run: the summary with a table of the steps by kind, and the
 * reconciliation as a table of totals and a table of the units that differ. The migration toolkit
 * gives the figures (lib/migrate: `Summary`, `Reconciliation`); rendering tables is the command's job.
 */
import { differingUnits, Reconciliation, showFigure, shownMetrics } from "../migrate/reconcile";
import { Summary, summaryHead, summaryTotals } from "../migrate/report";
import type { MigrationRenderer } from "../migrate/options";
import { STEP_NAMES } from "../migrate/types";
import { renderTable } from "./table";

/** The summary: rows read, a table of the steps by kind, clients, time and requests. */
export function summaryTable(s: Summary): string {
  const steps = STEP_NAMES.filter((n) => s.byStep[n]).map((n) => ({ step: n, ...s.byStep[n]! }));
  const table = renderTable(steps, [
    { header: "step", value: (x) => x.step },
    { header: "created", value: (x) => x.created, align: "right" },
    { header: "adopted", value: (x) => x.adopted, align: "right" },
    { header: "journal", value: (x) => x.journal, align: "right" },
  ]);
  return [summaryHead(s), table, ...summaryTotals(s)].join("\n");
}

/** The reconciliation: a table of totals (source, tenant, difference), then the units that differ (at most `limit`). */
export function reconciliationTable(r: Reconciliation, limit = 20): string {
  const rows = shownMetrics(r).map((m) => ({
    metric: m,
    source: showFigure(m, r.totals.source[m]),
    tenant: showFigure(m, r.totals.tenant[m]),
    diff: r.totals.tenant[m].equals(r.totals.source[m]) ? "=" : showFigure(m, r.totals.tenant[m].minus(r.totals.source[m])),
  }));
  const out = [
    renderTable(rows, [
      { header: "metric", value: (x) => x.metric },
      { header: "source", value: (x) => x.source, align: "right" },
      { header: "tenant", value: (x) => x.tenant, align: "right" },
      { header: "difference", value: (x) => x.diff, align: "right" },
    ]),
  ];
  const { shown, more, verdict } = differingUnits(r, limit);
  out.push(verdict);
  if (shown.length) {
    const lines = shown.flatMap((u) => u.differences.map((m) => ({ unit: u.unit, metric: m, source: showFigure(m, u.source[m]), tenant: showFigure(m, u.tenant[m]) })));
    out.push(
      renderTable(lines, [
        { header: "unit", value: (x) => x.unit },
        { header: "metric", value: (x) => x.metric },
        { header: "source", value: (x) => x.source, align: "right" },
        { header: "tenant", value: (x) => x.tenant, align: "right" },
      ]),
    );
  }
  if (more) out.push(`... and ${more} more (see the report)`);
  return out.join("\n");
}

/** The renderer `mambu-migrate` gives `runMigration`. */
export const TABLES: MigrationRenderer = { summary: summaryTable, reconciliation: reconciliationTable };
