/**
 * The sandbox's error vocabulary: Mambu's error codes and reasons, and helpers that build `SandboxError`s.
 *
 * Code table (reason → code, HTTP status). Mambu publishes codes in blocks (generic 0–60, loans 100–199,
 * groups 200–299, clients 300–399, deposits 400–...). The Swagger files list only the reasons, in code order;
 * "sure" codes are the ones Mambu documents or shows in its examples, "derived" ones are our best reading of
 * the block layout (block start + position of the reason in the Swagger enum) and may differ from a real tenant.
 *
 * | reason                                  | code | status | where                                          | certainty |
 * |-----------------------------------------|------|--------|------------------------------------------------|-----------|
 * | INVALID_CREDENTIALS                     |    2 | 401    | wrong/missing Basic or apiKey (source "credentials") | sure |
 * | INVALID_API_OPERATION                   |    3 | 404    | unknown route; 400 for a wrong Accept header   | sure      |
 * | INVALID_PARAMETERS                      |    4 | 400    | validation (required, enum, offsets, patch, search, sortBy, Idempotency-Key, `__proto__` keys and paths, invalid UTF-8 in query or form fields); 422 for an Idempotency-Key reused for another request | sure |
 * | METHOD_NOT_IMPLEMENTED                  |    5 | 405    | known path, unsupported method                 | sure      |
 * | INTERNAL_ERROR                          |    6 | 500    | unexpected failure; injected 500               | sure      |
 * | INVALID_PAGINATION_OFFSET_VALUE         |   11 | 400    | (non-integer offsets answer INVALID_PARAMETERS)| sure      |
 * | OUT_OF_BOUNDS_PAGINATION_OFFSET_VALUE   |   12 | 400    | offset < 0                                     | sure      |
 * | OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE    |   14 | 400    | limit < 0 or > 1000                            | sure      |
 * | MAX_FILE_SIZE_EXCEEDED                  |   20 | 413    | request body over the size limit (limits.ts)   | sure (status: sandbox) |
 * | INVALID_JSON_SYNTAX                     |   26 | 400    | body is not JSON, not UTF-8, or nested too deep | sure     |
 * | INVALID_LOAN_ACCOUNT_ID                 |  100 | 404    | unknown loan                                   | sure      |
 * | INVALID_ACCOUNT_STATE                   |  105 | 400    | delete of an active loan                       | derived   |
 * | INVALID_GROUP_ID                        |  201 | 404    | unknown group                                  | derived   |
 * | INVALID_CLIENT_ID                       |  301 | 404    | unknown client                                 | sure      |
 * | CLIENT_IS_MEMBER_OF_A_GROUP             |  313 | 400    | delete of a group member                       | derived   |
 * | CLIENT_HAS_ACCOUNTS                     |  315 | 400    | delete of a client with accounts               | derived   |
 * | CLIENT_ID_ALREADY_IN_USE                |  316 | 400    | duplicate client id                            | derived   |
 * | GROUP_ID_ALREADY_IN_USE                 |  317 | 400    | duplicate group id                             | derived   |
 * | GROUP_HAS_ACCOUNTS                      |  318 | 400    | delete of a group with accounts                | derived   |
 * | INVALID_DEPOSIT_ACCOUNT_ID              |  428 | 404    | unknown deposit account                        | derived   |
 * | ACCOUNT_ID_ALREADY_IN_USE               |  411 | 400    | duplicate loan/deposit id                      | derived   |
 * | INVALID_PRODUCT_ID                      |  505 | 404    | unknown loan or deposit product                | derived   |
 * | INVALID_USER_ID                         |  701 | 404    | unknown user (id, encodedKey or username)      | derived   |
 * | INVALID_BRANCH_ID                       |  800 | 404    | unknown branch                                 | derived   |
 * | INVALID_BRANCH_KEY                      |  801 | 400    | assignedBranchKey that does not exist          | derived   |
 * | INVALID_CENTRE_KEY                      |  850 | 400    | assignedCentreKey that does not exist          | derived   |
 * | INVALID_CENTRE_ID                       |  851 | 404    | unknown centre                                 | derived   |
 * | INVALID_CUSTOM_FIELD_ID                 |  902 | 404    | GET /customfields/{id} of an unknown field (bad custom fields in bodies answer INVALID_PARAMETERS) | derived |
 * | INVALID_CUSTOM_FIELD_SET_ID             | 1107 | 404    | unknown custom field set                       | derived   |
 * | INVALID_DOCUMENT_ID                     | 1001 | 404    | unknown document                               | derived   |
 * | INVALID_TASK_ID                         | 1100 | 404    | unknown task                                   | derived   |
 * | INVALID_ROLE_ID                         | 1663 | 404    | unknown user role                              | guess     |
 * | INVALID_CREDIT_OFFICER_KEY              |  702 | 400    | assignedUserKey that does not exist            | derived   |
 * | INVALID_TRANSACTION_ID                  |  212 | 404    | unknown loan/deposit transaction               | derived   |
 * | TOO_MANY_REQUESTS (no Mambu code)       |    — | 429    | injected rate limit: body has errorCode 429    | sandbox   |
 */
import { SandboxError } from "./types";

/** One entry of the table above. */
export interface ErrorDef {
  code: number;
  reason: string;
  status: number;
}

const def = (code: number, reason: string, status: number): ErrorDef => ({ code, reason, status });

/** Mambu's errors as the sandbox answers them (see the table at the top of this file). */
export const ERRORS = {
  INVALID_CREDENTIALS: def(2, "INVALID_CREDENTIALS", 401),
  INVALID_API_OPERATION: def(3, "INVALID_API_OPERATION", 404),
  INVALID_PARAMETERS: def(4, "INVALID_PARAMETERS", 400),
  METHOD_NOT_IMPLEMENTED: def(5, "METHOD_NOT_IMPLEMENTED", 405),
  INTERNAL_ERROR: def(6, "INTERNAL_ERROR", 500),
  INVALID_PAGINATION_OFFSET_VALUE: def(11, "INVALID_PAGINATION_OFFSET_VALUE", 400),
  OUT_OF_BOUNDS_PAGINATION_OFFSET_VALUE: def(12, "OUT_OF_BOUNDS_PAGINATION_OFFSET_VALUE", 400),
  OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE: def(14, "OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE", 400),
  MAX_FILE_SIZE_EXCEEDED: def(20, "MAX_FILE_SIZE_EXCEEDED", 413),
  INVALID_JSON_SYNTAX: def(26, "INVALID_JSON_SYNTAX", 400),
  INVALID_LOAN_ACCOUNT_ID: def(100, "INVALID_LOAN_ACCOUNT_ID", 404),
  INVALID_ACCOUNT_STATE: def(105, "INVALID_ACCOUNT_STATE", 400),
  INVALID_GROUP_ID: def(201, "INVALID_GROUP_ID", 404),
  INVALID_TRANSACTION_ID: def(212, "INVALID_TRANSACTION_ID", 404),
  INVALID_CLIENT_ID: def(301, "INVALID_CLIENT_ID", 404),
  CLIENT_ID_ALREADY_IN_USE: def(316, "CLIENT_ID_ALREADY_IN_USE", 400),
  GROUP_ID_ALREADY_IN_USE: def(317, "GROUP_ID_ALREADY_IN_USE", 400),
  CLIENT_IS_MEMBER_OF_A_GROUP: def(313, "CLIENT_IS_MEMBER_OF_A_GROUP", 400),
  GROUP_HAS_ACCOUNTS: def(318, "GROUP_HAS_ACCOUNTS", 400),
  CLIENT_HAS_ACCOUNTS: def(315, "CLIENT_HAS_ACCOUNTS", 400),
  ACCOUNT_ID_ALREADY_IN_USE: def(411, "ACCOUNT_ID_ALREADY_IN_USE", 400),
  INVALID_DEPOSIT_ACCOUNT_ID: def(428, "INVALID_DEPOSIT_ACCOUNT_ID", 404),
  INVALID_PRODUCT_ID: def(505, "INVALID_PRODUCT_ID", 404),
  INVALID_USER_ID: def(701, "INVALID_USER_ID", 404),
  INVALID_CREDIT_OFFICER_KEY: def(702, "INVALID_CREDIT_OFFICER_KEY", 400),
  INVALID_BRANCH_ID: def(800, "INVALID_BRANCH_ID", 404),
  INVALID_BRANCH_KEY: def(801, "INVALID_BRANCH_KEY", 400),
  INVALID_CENTRE_KEY: def(850, "INVALID_CENTRE_KEY", 400),
  INVALID_CENTRE_ID: def(851, "INVALID_CENTRE_ID", 404),
  INVALID_CUSTOM_FIELD_ID: def(902, "INVALID_CUSTOM_FIELD_ID", 404),
  INVALID_CUSTOM_FIELD_SET_ID: def(1107, "INVALID_CUSTOM_FIELD_SET_ID", 404),
  INVALID_DOCUMENT_ID: def(1001, "INVALID_DOCUMENT_ID", 404),
  INVALID_TASK_ID: def(1100, "INVALID_TASK_ID", 404),
  INVALID_ROLE_ID: def(1663, "INVALID_ROLE_ID", 404),
} as const;

/** Name of an entry of {@link ERRORS}. */
export type ErrorName = keyof typeof ERRORS;

/** A SandboxError for an entry of the table, with an optional errorSource (and an optional status override). */
export function mambuError(name: ErrorName, errorSource?: string, status?: number): SandboxError {
  const d = ERRORS[name];
  return new SandboxError(status ?? d.status, d.code, d.reason, errorSource);
}

/** 400 INVALID_PARAMETERS with the given errorSource: the sandbox's answer to any invalid request. */
export function invalidParameters(errorSource: string): SandboxError {
  return mambuError("INVALID_PARAMETERS", errorSource);
}

/** The body Mambu sends for a wrong user, password or API key. */
export const INVALID_CREDENTIALS_BODY = {
  errors: [{ errorCode: 2, errorSource: "credentials", errorReason: "INVALID_CREDENTIALS" }],
};

/** Mambu's error body for a SandboxError, keys in Mambu's order: errorCode, errorSource (when any), errorReason. */
export function errorBody(e: SandboxError): { errors: Array<{ errorCode: number; errorSource?: string; errorReason: string }> } {
  const entry: { errorCode: number; errorSource?: string; errorReason: string } = { errorCode: e.errorCode } as never;
  if (e.errorSource !== undefined) entry.errorSource = e.errorSource;
  entry.errorReason = e.errorReason;
  return { errors: [entry] };
}
