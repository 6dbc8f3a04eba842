/**
 * Identification document templates (`GET /organization/identificationDocumentTemplates`): the kinds of ID
 * documents the tenant records for its clients (`documentType`, `issuingAuthority`, `documentIdTemplate` — `@` a
 * letter, `#` a digit —, `mandatory`, `allowAttachments`). Read-only in the API; the seed gives them
 * (collection `idtemplates`). {@link matchesIdTemplate} is the check Mambu makes of a document id.
 */
import { validateQuery } from "../contract";
import type { Router } from "../router";

const FIELDS = ["encodedKey", "documentType", "issuingAuthority", "documentIdTemplate", "mandatory", "allowAttachments"];

/** Whether a document id follows a template (`@` a letter, `#` a digit, any other character itself). */
export function matchesIdTemplate(template: string, documentId: string): boolean {
  if (template.length !== documentId.length) return false;
  return [...template].every((t, i) => {
    const c = documentId[i];
    if (t === "@") return /[A-Za-z]/.test(c);
    if (t === "#") return /[0-9]/.test(c);
    return t === c;
  });
}

/** Registers the identification document template route. */
export function registerIdTemplateRoutes(router: Router): void {
  const path = "/organization/identificationDocumentTemplates";
  router.add("GET", path, (ctx, req) => {
    validateQuery("organization_identificationDocumentTemplates", "GET", path, req.query);
    const body = ctx.store.all("idtemplates").map((t) => {
      const out: Record<string, unknown> = {};
      for (const k of FIELDS) if (t[k] !== undefined) out[k] = t[k];
      return out;
    });
    return { status: 200, body };
  });
}
