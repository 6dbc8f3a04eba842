/**
 * Documents attached to the plan's records (the `documents` source): each row names its owner — a
 * client (the default `ownerType`), a group, a loan (`LOAN_ACCOUNT`) or a deposit account
 * (`DEPOSIT_ACCOUNT`) of the plan, by id — and a file given relative to the plan's `documentsDir`
 * (default: the plan's directory; no
 * absolute path, no `..`), which must be there, be a file Mambu takes (one period, an accepted
 * extension), not be empty nor larger than Mambu's 50 MB; `name` (its title in Mambu, default the
 * file name without its extension) and `notes` are optional. The file's name, the title and the notes
 * are personal data: a problem about them never quotes them. Each row joins its owner's unit (its
 * documents are attached after the unit's accounts).
 */
import { statSync } from "fs";
import { basename, isAbsolute, join } from "path";
import { checkDocumentFileName, MAX_DOCUMENT_BYTES } from "../../core/attachments";
import { shortHash } from "../keys";
import { withholdValue } from "../personal";
import type { DocumentPlan, Unit } from "../types";
import { BookContext, checkShape, colOf, mapInto, rowProblem } from "./context";

const OWNER_TYPES = new Set(["CLIENT", "GROUP", "LOAN_ACCOUNT", "DEPOSIT_ACCOUNT"]);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The documents of the rows, in their owners' units (after the units, loans and deposits are built). */
export function documentPlans(c: BookContext): void {
  const { plan, problems } = c;
  const block = c.blocks.documents;
  if (!block) return;
  const occurrences = new Map<string, number>();
  for (const row of c.rows.documents ?? []) {
    checkShape(c, row);
    const r = mapInto(c, block, row);
    const s = r.specials;
    const typeCol = colOf(block, "ownerType");
    const idCol = colOf(block, "ownerId");
    const fileCol = colOf(block, "file");
    const ownerType = String(s.ownerType ?? "CLIENT").toUpperCase();
    if (!OWNER_TYPES.has(ownerType)) {
      problems.push(rowProblem(row, `ownerType: expected CLIENT, GROUP, LOAN_ACCOUNT or DEPOSIT_ACCOUNT, got "${String(s.ownerType)}"`, typeCol));
      continue;
    }
    const ownerId = s.ownerId as string | undefined;
    if (!ownerId) {
      problems.push(rowProblem(row, "ownerId: is required but empty", idCol));
      continue;
    }
    const unit: Unit | undefined =
      ownerType === "CLIENT"
        ? c.clientUnits.get(ownerId)
        : ownerType === "GROUP"
          ? c.groupUnits.get(ownerId)
          : ownerType === "LOAN_ACCOUNT"
            ? c.loanUnit.get(ownerId)
            : c.depositUnit.get(ownerId);
    if (!unit) {
      const what = { CLIENT: "client", GROUP: "group", LOAN_ACCOUNT: "loan", DEPOSIT_ACCOUNT: "deposit account" }[ownerType as DocumentPlan["ownerType"]];
      problems.push(rowProblem(row, `ownerId: no ${what} "${ownerId}" in the plan`, idCol));
      continue;
    }
    unit.rows.push(row);
    if (!plan.steps.has("document")) continue;
    const file = s.file as string | undefined;
    if (!file) {
      problems.push(rowProblem(row, "file: is required (the document's file, relative to the documents' directory)", fileCol));
      continue;
    }
    if (isAbsolute(file) || file.split(/[/\\]/).includes("..") || CONTROL.test(file)) {
      problems.push(rowProblem(row, "file: give the path relative to the documents' directory (the plan's, or documentsDir), without .. (a value withheld: personal data)", fileCol));
      continue;
    }
    const fileName = basename(file);
    try {
      checkDocumentFileName(fileName, "file");
    } catch (e) {
      problems.push(rowProblem(row, withholdValue((e as Error).message, fileName), fileCol));
      continue;
    }
    const base = plan.documentsDir ?? plan.dir;
    const path = join(base, file);
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) throw Object.assign(new Error("not a file"), { code: "ENOTFILE" });
      size = st.size;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push(rowProblem(row, `file: ${code === "ENOENT" ? "no such file" : code === "ENOTFILE" ? "not a file" : `cannot be read (${code ?? "error"})`} in the documents' directory ${base}`, fileCol));
      continue;
    }
    if (size === 0) problems.push(rowProblem(row, "file: the file is empty (Mambu refuses empty files)", fileCol));
    else if (size > MAX_DOCUMENT_BYTES) problems.push(rowProblem(row, `file: the file is larger than Mambu's 50 MB limit (${size} bytes)`, fileCol));
    if (size === 0 || size > MAX_DOCUMENT_BYTES) continue;
    const title = (s.name as string | undefined) ?? fileName.slice(0, fileName.lastIndexOf("."));
    const notes = s.notes as string | undefined;
    const tuple = `${ownerType}\u0000${ownerId}\u0000${file}\u0000${title}`;
    const occ = (occurrences.get(tuple) ?? 0) + 1;
    occurrences.set(tuple, occ);
    const doc: DocumentPlan = {
      row,
      key: `document:${ownerType}:${ownerId}:${shortHash([plan.id, ownerType, ownerId, file, title, String(occ)])}`,
      ownerType: ownerType as DocumentPlan["ownerType"],
      ownerId,
      path,
      fileName,
      size,
      title,
      ...(notes ? { notes } : {}),
    };
    (unit.documents ??= []).push(doc);
  }
}
