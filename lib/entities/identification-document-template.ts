/** Identification document templates (`/api/organization/identificationDocumentTemplates`). */
import { callOperation } from "../core/call";
import { checkOptionKeys, connectorOf } from "../core/entity";
import { MambuValueObject, structFromWire } from "../core/struct";
import type { IdentificationDocumentTemplate } from "../generated/types/organization_identificationDocumentTemplates";
import { MambuError, MambuTsError } from "../errors";
import type { MambuConnector } from "../transport";

/** Options of `MambuIdentificationDocumentTemplate.getAll(...)`. */
export interface IdentificationDocumentTemplateOptions {
  /** BASIC (default) or FULL. */
  detailsLevel?: "BASIC" | "FULL";
  /** The connection to use (default: `MambuConnector.default()`). */
  connector?: MambuConnector;
}

/**
 * A kind of identification document the tenant records for its clients (Swagger `IdentificationDocumentTemplate`):
 * `documentType`, `issuingAuthority`, `documentIdTemplate` (`@` a letter, `#` a digit, any other character
 * itself), `mandatory` (for individual clients), `allowAttachments`, `encodedKey`. Read-only in the API.
 */
export class MambuIdentificationDocumentTemplate extends MambuValueObject {
  static override resource = "organization_identificationDocumentTemplates";
  static override definition = "IdentificationDocumentTemplate";

  /** Every template of the tenant (`GET /organization/identificationDocumentTemplates`: one list). */
  static async getAll(opts: IdentificationDocumentTemplateOptions = {}): Promise<MambuIdentificationDocumentTemplate[]> {
    const label = "MambuIdentificationDocumentTemplate.getAll";
    checkOptionKeys(label, opts, ["detailsLevel", "connector"]);
    if (opts.detailsLevel !== undefined && opts.detailsLevel !== "BASIC" && opts.detailsLevel !== "FULL") {
      throw new MambuTsError(`${label}: detailsLevel must be BASIC or FULL, got ${JSON.stringify(opts.detailsLevel)}`);
    }
    const answer = await callOperation("organization_identificationDocumentTemplates", "getAll", {
      query: { detailsLevel: opts.detailsLevel }, connector: connectorOf(undefined, opts.connector),
    });
    if (!Array.isArray(answer)) throw new MambuError(`malformed response from Mambu to ${label}: expected a JSON list`);
    return answer.map((raw) => {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new MambuError(`malformed response from Mambu to ${label}: a template is not a JSON object`);
      return structFromWire<MambuIdentificationDocumentTemplate>(MambuIdentificationDocumentTemplate, raw as Record<string, unknown>);
    });
  }

  /**
   * Whether a document id follows the template (`@` a letter, `#` a digit, any other character itself); true
   * when the template has no `documentIdTemplate`.
   */
  matches(documentId: string): boolean {
    const template = this.documentIdTemplate;
    if (template === undefined || template === "") return true;
    if (typeof documentId !== "string" || documentId.length !== template.length) return false;
    return [...template].every((t, i) => {
      const c = documentId[i];
      if (t === "@") return /[A-Za-z]/.test(c);
      if (t === "#") return /[0-9]/.test(c);
      return t === c;
    });
  }
}
export interface MambuIdentificationDocumentTemplate extends IdentificationDocumentTemplate {}
