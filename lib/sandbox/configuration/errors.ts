/**
 * Mambu's refusals of configuration-as-code documents (reasons of the Swagger `RestError` enum). Certainty of
 * the codes, as in lib/sandbox/errors.ts: `INVALID_YAML_SYNTAX` 10000 and
 * `INVALID_DAYS_TO_EXPIRE_FOR_AUTHORIZATION_HOLD` 9957 are **sure** (the reference's examples show them); the
 * others are **guesses** (3400–3420, a block no other sandbox error uses) — the reasons are Mambu's.
 *
 * | reason                                         | code  | where                                                       |
 * |------------------------------------------------|-------|-------------------------------------------------------------|
 * | BRANCHES_CONFIGURATION_EMPTY                   | 3400  | branches.yaml without any branch                            |
 * | BLANK_BRANCH_ID / BLANK_BRANCH_NAME            | 3401/2| a branch with a blank id / name                             |
 * | DUPLICATE_BRANCH_ID                            | 3403  | two branches with one id                                    |
 * | CANNOT_DEACTIVATE_BRANCH                       | 3404  | a branch made (or left) INACTIVE while an active centre is assigned to it |
 * | DUPLICATE_HOLIDAY_ID / HOLIDAY_VALID_DATE_ERROR| 3405/6| a branch's holidays                                         |
 * | CENTRE_CONFIGURATION_EMPTY                     | 3407  | centres.yaml without any centre                             |
 * | BLANK_CENTRE_ID / BLANK_CENTRE_NAME            | 3408/9| a centre with a blank id / name                             |
 * | DUPLICATE_CENTRE_ID                            | 3410  | two centres with one id                                     |
 * | BRANCH_DOES_NOT_EXIST / BRANCH_IS_INACTIVE     | 3411/2| a centre's assignedBranchId                                 |
 * | ROLES_CONFIGURATION_EMPTY                      | 3413  | userroles.yaml without any role                             |
 * | NULL_OR_EMPTY_ID / MISSING_ROLE_NAME           | 3414/5| a role with a blank id / name                               |
 * | INVALID_ROLE_NAME                              | 3416  | two roles with one id or one name                           |
 * | ROLE_IN_USE                                    | 3417  | a role missing from the document while users have it        |
 * | CUSTOM_FIELDS_CONFIGURATION_EMPTY              | 3418  | customfields.yaml without any set                           |
 * | CF_SET_DUPLICATE_ID                            | 3419  | two sets, or two fields, with one id                        |
 * | CF_SET_INVALID_ID                              | 3420  | a set id that does not start with "_"                       |
 * | INVALID_DAYS_TO_EXPIRE_FOR_AUTHORIZATION_HOLD  | 9957  | daysToExpiration not a positive number                      |
 * | INVALID_YAML_SYNTAX                            | 10000 | a document that does not parse                             |
 */
import { SandboxError } from "../types";

const CODES = {
  BRANCHES_CONFIGURATION_EMPTY: 3400,
  BLANK_BRANCH_ID: 3401,
  BLANK_BRANCH_NAME: 3402,
  DUPLICATE_BRANCH_ID: 3403,
  CANNOT_DEACTIVATE_BRANCH: 3404,
  DUPLICATE_HOLIDAY_ID: 3405,
  HOLIDAY_VALID_DATE_ERROR: 3406,
  CENTRE_CONFIGURATION_EMPTY: 3407,
  BLANK_CENTRE_ID: 3408,
  BLANK_CENTRE_NAME: 3409,
  DUPLICATE_CENTRE_ID: 3410,
  BRANCH_DOES_NOT_EXIST: 3411,
  BRANCH_IS_INACTIVE: 3412,
  ROLES_CONFIGURATION_EMPTY: 3413,
  NULL_OR_EMPTY_ID: 3414,
  MISSING_ROLE_NAME: 3415,
  INVALID_ROLE_NAME: 3416,
  ROLE_IN_USE: 3417,
  CUSTOM_FIELDS_CONFIGURATION_EMPTY: 3418,
  CF_SET_DUPLICATE_ID: 3419,
  CF_SET_INVALID_ID: 3420,
  INVALID_DAYS_TO_EXPIRE_FOR_AUTHORIZATION_HOLD: 9957,
  INVALID_YAML_SYNTAX: 10000,
} as const;

/** A reason of the table above. */
export type ConfigErrorName = keyof typeof CODES;

/** A 400 with one of the reasons above. */
export function configError(reason: ConfigErrorName, source: string): SandboxError {
  return new SandboxError(400, CODES[reason], reason, source);
}
