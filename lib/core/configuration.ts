/**
 * Configuration as code: a tenant's setup as YAML documents (`GET`/`PUT /configuration/<name>.yaml`).
 *
 * ```ts
 * const doc = await getConfiguration("branches");          // { branches: [{ id: "MTY", name: "Monterrey", ... }] }
 * doc.branches[1].name = "Monterrey Centro";
 * const { warnings } = await putConfiguration("branches", doc);
 * ```
 *
 * Documents are plain objects as Mambu's YAML has them, typed by the contract's definitions
 * ({@link ConfigurationDocuments}). Numbers are exact: the fields the contract types as decimal (a selection
 * option's `score`) and any fractional number are `Decimal`s made from the digits as written; integers are
 * `number`s. A document is checked against its definition of the contract before anything is sent.
 */
import { operationSpec, callOperation } from "./call";
import type { CallOptions } from "./call";
import { definition, validateAgainst } from "../contract/schema";
import type { FieldSpec } from "../contract/schema";
import { MambuTsError } from "../errors";
import type * as T from "../generated/types";
import { Decimal } from "./money";
import { decimalsAsText, depthOf, locateInYaml, MAX_CONFIG_DEPTH, parseConfigYaml, problemPath, stringifyConfigYaml, YamlDocumentError } from "./yaml-config";
import type { YamlProblem } from "./yaml-config";

/** The configuration documents, by the name of their file (`branches` ↔ `configuration/branches.yaml`). */
export const CONFIGURATION_NAMES = ["branches", "centres", "customfields", "organization", "userroles", "accountingrules", "authorizationholds"] as const;

/** A configuration document's name. */
export type ConfigurationName = (typeof CONFIGURATION_NAMES)[number];

/** The document of each configuration (the contract's definitions, hydrated: decimals as Decimal). */
export interface ConfigurationDocuments {
  branches: T.configuration__branches_yaml.BranchesConfiguration;
  centres: T.configuration__centres_yaml.CentresConfiguration;
  customfields: T.configuration__customfields.CustomFieldsConfiguration;
  organization: T.configuration__organization.Organization;
  userroles: T.configuration__userroles.RolesConfiguration;
  accountingrules: T.configuration__accountingrules_yaml.AccountingRulesConfiguration;
  authorizationholds: T.configuration__authorizationholds_yaml.AuthorizationHoldsConfiguration;
}

/** The contract resource of each document (its `get` and `update` operations). @internal */
export const CONFIGURATION_RESOURCES: Readonly<Record<ConfigurationName, string>> = {
  branches: "configuration__branches.yaml",
  centres: "configuration__centres.yaml",
  customfields: "configuration__customfields",
  organization: "configuration__organization",
  userroles: "configuration__userroles",
  accountingrules: "configuration__accountingrules.yaml",
  authorizationholds: "configuration__authorizationholds.yaml",
};

/** Options of {@link getConfiguration}. */
export interface GetConfigurationOptions extends Pick<CallOptions, "connector" | "signal"> {
  /** customfields only: the sets of these entity types (`["CLIENT", "GROUP"]`); all when absent. */
  availableFor?: string[];
}

/** Options of {@link putConfiguration}. */
export type PutConfigurationOptions = Pick<CallOptions, "connector" | "signal" | "idempotencyKey">;

/** What Mambu answers to a PUT: its warnings (e.g. "Centre [id = DT1] could not be deleted and was deactivated"). */
export interface PutConfigurationResult {
  warnings: string[];
  /** The whole answer, parsed (organization.yaml answers the new document). */
  answer: unknown;
}

/** A document that does not follow its definition: every problem, with line and column when it came as YAML. */
export class ConfigurationDocumentError extends MambuTsError {
  constructor(
    message: string,
    readonly problems: YamlProblem[],
  ) {
    super(message);
    this.name = "ConfigurationDocumentError";
  }
}

/**
 * The name checked against {@link CONFIGURATION_NAMES}.
 * @throws MambuTsError naming the known documents.
 */
export function configurationName(name: string): ConfigurationName {
  if ((CONFIGURATION_NAMES as readonly string[]).includes(name)) return name as ConfigurationName;
  throw new MambuTsError(`unknown configuration "${name}"; configurations: ${CONFIGURATION_NAMES.join(", ")}`);
}

/**
 * Problems of a document against its definition (empty when it follows it). Paths read `document.branches[0].state`.
 * With the YAML text it came from, each problem has the line and column of the value.
 */
export function validateConfiguration(name: ConfigurationName, doc: unknown, yamlText?: string): YamlProblem[] {
  const resource = CONFIGURATION_RESOURCES[configurationName(name)];
  const op = operationSpec(resource, "update");
  if (depthOf(doc, MAX_CONFIG_DEPTH) > MAX_CONFIG_DEPTH) return [{ message: `document: nested deeper than ${MAX_CONFIG_DEPTH} levels` }];
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return [{ message: "document: expected a mapping", ...(yamlText ? { line: 1, column: 1 } : {}) }];
  const problems = validateAgainst(resource, op.body!, decimalsAsText(doc), { path: "document" });
  return problems.map((message) => {
    const at = yamlText === undefined ? undefined : locateInYaml(yamlText, problemPath(message));
    return at ? { message, line: at.line, column: at.column } : { message };
  });
}

/** "where: message" lines of problems (`source:line:column: message`). */
export function formatProblems(problems: YamlProblem[], source = "document"): string {
  return problems.map((p) => `${source}${p.line !== undefined ? `:${p.line}:${p.column}` : ""}: ${p.message}`).join("\n");
}

/** Makes the fields the contract types as decimal `Decimal`s (in place; depth bounded by the parser). */
function hydrateDecimals(resource: string, spec: FieldSpec | undefined, value: unknown): unknown {
  if (!spec || value === null || value === undefined) return value;
  if (spec.type === "decimal" && (typeof value === "number" || (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)))) return new Decimal(value);
  if (spec.type === "array" && Array.isArray(value)) {
    value.forEach((x, i) => (value[i] = hydrateDecimals(resource, spec.items, x)));
    return value;
  }
  if (spec.type === "object" && value && typeof value === "object" && !Array.isArray(value) && !Decimal.isDecimal(value)) {
    let fields = spec.fields;
    if (spec.ref) {
      try {
        fields = definition(resource, spec.ref).fields;
      } catch {
        fields = undefined;
      }
    }
    if (!fields) return value;
    const rec = value as Record<string, unknown>;
    for (const k of Object.keys(rec)) if (Object.prototype.hasOwnProperty.call(fields, k)) rec[k] = hydrateDecimals(resource, fields[k], rec[k]);
  }
  return value;
}

/**
 * Reads a configuration document from Mambu, parsed (numbers exact: fractional ones as `Decimal`).
 * @throws MambuTsError for an unknown name; MambuError when Mambu refuses; YamlDocumentError when the answer
 *   is not a YAML document within bounds.
 */
export async function getConfiguration<N extends ConfigurationName>(name: N, options: GetConfigurationOptions = {}): Promise<ConfigurationDocuments[N]> {
  const resource = CONFIGURATION_RESOURCES[configurationName(name)];
  if (options.availableFor !== undefined && name !== "customfields") throw new MambuTsError(`getConfiguration: availableFor applies to customfields only, not ${name}`);
  const text = await callOperation(resource, "get", {
    connector: options.connector,
    signal: options.signal,
    ...(options.availableFor ? { query: { availableFor: options.availableFor } } : {}),
  });
  const doc = parseConfigYaml(String(text ?? ""), `${name}.yaml from Mambu`);
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new YamlDocumentError(`${name}.yaml from Mambu is not a mapping`, [{ message: "not a mapping" }]);
  const op = operationSpec(resource, "get");
  return hydrateDecimals(resource, op.responses["200"] ?? undefined, doc) as ConfigurationDocuments[N];
}

/**
 * Replaces a configuration document on Mambu: `doc` is the document (an object, as {@link getConfiguration}
 * gives) or its YAML text (sent as written, comments included, once it parsed and validated).
 * @throws MambuTsError for an unknown name; YamlDocumentError when the text does not parse (line and column);
 *   ConfigurationDocumentError when the document does not follow its definition (nothing is sent); MambuError
 *   when Mambu refuses it.
 */
export async function putConfiguration<N extends ConfigurationName>(name: N, doc: ConfigurationDocuments[N] | string, options: PutConfigurationOptions = {}): Promise<PutConfigurationResult> {
  const resource = CONFIGURATION_RESOURCES[configurationName(name)];
  const yamlText = typeof doc === "string" ? doc : undefined;
  const value = typeof doc === "string" ? parseConfigYaml(doc, `${name}.yaml`) : doc;
  const problems = validateConfiguration(name, value, yamlText);
  if (problems.length) {
    throw new ConfigurationDocumentError(`${name}.yaml does not follow its definition:\n${formatProblems(problems, `${name}.yaml`)}`, problems);
  }
  const body = yamlText ?? stringifyConfigYaml(value);
  const answer = await callOperation(resource, "update", { body, connector: options.connector, signal: options.signal, idempotencyKey: options.idempotencyKey });
  const text = String(answer ?? "").trim();
  const parsed = text === "" ? undefined : parseConfigYaml(text, `answer to PUT ${name}.yaml`);
  const w = parsed && typeof parsed === "object" ? (parsed as { warnings?: unknown }).warnings : undefined;
  return { warnings: Array.isArray(w) ? w.map(String) : [], answer: parsed };
}
