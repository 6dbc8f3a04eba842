/**
 * Routes of configuration as code: the `configuration/*.yaml` endpoints. GET answers the document as YAML
 * (`application/vnd.mambu.v2+yaml`), built from the store; PUT takes a YAML document (`Content-Type:
 * application/yaml`, parsed under bounds by yaml-io.ts), checks it against its definition of the contract and
 * applies it, answering `warnings: [...]` (Mambu's success answer; organization.yaml answers the new document).
 */
import { invalidParameters } from "../errors";
import type { Router, RouteRequest, RouteResponse, SandboxContext } from "../router";
import { accountingRulesDocument, applyAccountingRules } from "./accounting-rules";
import { applyAuthorizationHolds, authorizationHoldsDocument } from "./authorization-holds";
import { applyBranches, branchesDocument } from "./branches";
import { applyCentres, centresDocument } from "./centres";
import { applyCustomFields, customFieldsDocument, customFieldsTemplate } from "./customfields";
import { applyOrganization, organizationDocument, organizationTemplate } from "./organization";
import { applyRoles, rolesDocument, rolesTemplate } from "./userroles";
import { checkDocument, parseYamlBody, warningsAnswer, yamlAnswer } from "./yaml-io";

/** One YAML document: its contract resource and definition, how it is read and how it is applied. */
interface ConfigEndpoint {
  path: string;
  resource: string;
  definition: string;
  get(ctx: SandboxContext, req: RouteRequest): unknown;
  /** Applies a checked document; returns the warnings (or, for organization.yaml, the answer itself). */
  put(ctx: SandboxContext, doc: never): string[] | RouteResponse;
  template?: { path: string; make(): unknown };
  /** Unknown fields are tolerated (documents newer than the contract's definition). */
  tolerateUnknown?: boolean;
}

const ENTITY_TYPES = ["CLIENT", "GROUP", "CREDIT_ARRANGEMENT", "LOAN_ACCOUNT", "GUARANTOR", "ASSET", "DEPOSIT_ACCOUNT", "TRANSACTION_CHANNEL", "BRANCH", "CENTRE", "USER"];

function availableFor(req: RouteRequest): string[] | undefined {
  const raw = req.query.availableFor;
  if (raw === undefined || raw === "") return undefined;
  const list = raw.split(",");
  const bad = list.find((x) => !ENTITY_TYPES.includes(x));
  if (bad !== undefined) throw invalidParameters(`availableFor: ${bad} is not one of ${ENTITY_TYPES.join(", ")}`);
  return list;
}

/** The configuration documents the sandbox serves. */
export const CONFIG_ENDPOINTS: ConfigEndpoint[] = [
  { path: "/configuration/branches.yaml", resource: "configuration__branches.yaml", definition: "BranchesConfiguration", get: branchesDocument, put: applyBranches },
  { path: "/configuration/centres.yaml", resource: "configuration__centres.yaml", definition: "CentresConfiguration", get: centresDocument, put: applyCentres },
  {
    path: "/configuration/customfields.yaml",
    resource: "configuration__customfields",
    definition: "CustomFieldsConfiguration",
    get: (ctx, req) => customFieldsDocument(ctx, availableFor(req)),
    put: applyCustomFields,
    template: { path: "/configuration/customfields/template.yaml", make: customFieldsTemplate },
  },
  {
    path: "/configuration/organization.yaml",
    resource: "configuration__organization",
    definition: "Organization",
    get: organizationDocument,
    put: (ctx, doc) => {
      applyOrganization(ctx, doc);
      return yamlAnswer(organizationDocument(ctx));
    },
    template: { path: "/configuration/organization/template.yaml", make: organizationTemplate },
  },
  {
    path: "/configuration/userroles.yaml",
    resource: "configuration__userroles",
    definition: "RolesConfiguration",
    get: rolesDocument,
    put: applyRoles,
    template: { path: "/configuration/userroles/template.yaml", make: rolesTemplate },
  },
  {
    path: "/configuration/authorizationholds.yaml",
    resource: "configuration__authorizationholds.yaml",
    definition: "AuthorizationHoldsConfiguration",
    get: authorizationHoldsDocument,
    put: (ctx, doc) => {
      applyAuthorizationHolds(ctx, doc);
      return [];
    },
  },
  {
    path: "/configuration/accountingrules.yaml",
    resource: "configuration__accountingrules.yaml",
    definition: "AccountingRulesConfiguration",
    get: accountingRulesDocument,
    put: (ctx, doc) => {
      applyAccountingRules(ctx, doc);
      return [];
    },
  },
];

/** Registers the configuration-as-code routes. */
export function registerConfigurationRoutes(router: Router): void {
  for (const e of CONFIG_ENDPOINTS) {
    router.add("GET", e.path, (ctx, req) => yamlAnswer(e.get(ctx, req)));
    router.add("PUT", e.path, (ctx, req) => {
      const doc = checkDocument(e.resource, e.definition, parseYamlBody(req.text), { tolerateUnknown: e.tolerateUnknown });
      const out = e.put(ctx, doc as never);
      return Array.isArray(out) ? warningsAnswer(out) : out;
    });
    if (e.template) {
      const make = e.template.make;
      router.add("GET", e.template.path, () => yamlAnswer(make()));
    }
  }
}
