/**
 * The sandbox's error vocabulary — the one table of Mambu's error codes and reasons that every part of the
 * sandbox answers with (the HTTP layer, the generic handlers and the loan/deposit engine) — and the helpers
 * that build `SandboxError`s from it.
 *
 * Mambu numbers its reasons in blocks (generic 0–60, loans 100–199, groups/transactions 200–299, clients
 * 300–399, deposits 400–499, transfers/products 500–, users 700–, branches 800–, centres 850–, custom fields
 * 900–, documents 1000–, tasks 1100–); the Swagger `RestError.errorReason` enum lists the reasons in code order,
 * without the numbers. Certainty of each code:
 * - **sure**: documented by Mambu, shown in its examples, or used by MambuPy (`INVALID_LOAN_ACCOUNT_ID` 100,
 *   `INVALID_ACCOUNT_STATE` 105, `EXCESS_REPAYMENT_ERROR` 110, `INVALID_STATE_TRANSITION` 116,
 *   `INVALID_ACCOUNT_STATE_FOR_REPAYMENTS` 128, `INCONSISTENT_SCHEDULE_PRINCIPAL_DUE_WITH_LOAN_AMOUNT` 132,
 *   `INVALID_CLIENT_ID` 301);
 * - **derived**: NOT confirmed by Mambu's docs — block start + position of the reason in the Swagger enum (the
 *   sure anchors all fit: loan code = enum index + 62, deposit code = enum index + 159, transfer/product code =
 *   enum index + 204);
 * - **guess**: NOT confirmed — reasons of newer Mambu versions whose block is unknown;
 * - **sandbox**: the sandbox's own choice where Mambu documents nothing.
 * A real tenant may differ on derived and guessed numbers; the reasons are Mambu's. The status is the default;
 * call sites override it where Mambu does (an unknown client/group/loan/deposit named in a body is a 400).
 *
 * | reason                                                 | code | status | where                                                          | certainty |
 * |--------------------------------------------------------|------|--------|----------------------------------------------------------------|-----------|
 * | INVALID_CREDENTIALS                                    |    2 | 401    | wrong/missing Basic or apiKey (source "credentials")           | sure      |
 * | INVALID_API_OPERATION                                  |    3 | 404    | unknown route; 400 for a wrong Accept header                   | sure      |
 * | INVALID_PARAMETERS                                     |    4 | 400    | validation (required, enum, offsets, patch, search, sortBy, Idempotency-Key, `__proto__` keys and paths, invalid UTF-8 in query or form fields, engine input, a date offset ≠ the tenant's); 422 for an Idempotency-Key reused for another request | sure |
 * | METHOD_NOT_IMPLEMENTED                                 |    5 | 405    | known path, unsupported method                                 | sure      |
 * | INTERNAL_ERROR                                         |    6 | 500    | unexpected failure; injected 500                               | sure      |
 * | INVALID_PAGINATION_OFFSET_VALUE                        |   11 | 400    | (non-integer offsets answer INVALID_PARAMETERS)                | sure      |
 * | OUT_OF_BOUNDS_PAGINATION_OFFSET_VALUE                  |   12 | 400    | offset < 0                                                     | sure      |
 * | OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE                   |   14 | 400    | limit < 0 or > 1000                                            | sure      |
 * | MAX_FILE_SIZE_EXCEEDED                                 |   20 | 413    | request body over the size limit (limits.ts)                   | sure (status: sandbox) |
 * | INVALID_JSON_SYNTAX                                    |   26 | 400    | body is not JSON, not UTF-8, or nested too deep                | sure      |
 * | NON_REVERSIBLE_WRITE_OFF                               |   36 | 400    | undoWriteOff with later transactions                           | derived   |
 * | INVALID_LOAN_ACCOUNT_ID                                |  100 | 404    | unknown loan (400 when named in a body)                        | sure      |
 * | INVALID_AMOUNT                                         |  101 | 400    | amount missing, ≤ 0, not matching the loan amount              | derived   |
 * | INVALID_DATE                                           |  102 | 400    | transaction dated before the disbursement                      | derived   |
 * | INVALID_ACCOUNT_STATE                                  |  105 | 400    | delete of an active loan/deposit; disburse a non-APPROVED loan; fee/write-off/pay-off state | sure |
 * | INVALID_FEE                                            |  106 | 400    | predefinedFeeKey not a fee of the product                      | derived   |
 * | EXCESS_REPAYMENT_ERROR                                 |  110 | 400    | repayment above the total outstanding                          | sure      |
 * | INVALID_STATE_TRANSITION                               |  116 | 400    | changeState action not allowed from the current state          | sure      |
 * | INVALID_FIRST_REPAYMENT_DUE_DATE                       |  118 | 400    | firstRepaymentDate not after the disbursement date             | derived   |
 * | INVALID_INTEREST_RATE                                  |  120 | 400    | rate missing or outside the product's min/max                  | derived   |
 * | INVALID_PENALTY_RATE                                   |  195 | 400    | a loan's penalty rate outside the product's min/max            | derived   |
 * | INVALID_INSTALLMENTS                                   |  121 | 400    | installments missing, < 1 or outside the product's min/max     | derived   |
 * | REPAYMENT_DATE_IN_THE_FUTURE_ERROR                     |  124 | 400    | loan transaction valueDate after now                           | derived   |
 * | INVALID_DISBURSEMENT_DATE                              |  125 | 400    | disbursement valueDate in the future                           | derived   |
 * | INVALID_ACCOUNT_STATE_FOR_REPAYMENTS                   |  128 | 400    | repayment on a loan that is not ACTIVE / ACTIVE_IN_ARREARS     | sure      |
 * | DISBURSEMENT_FEES_EXCEED_LOAN_AMOUNT                   |  129 | 400    | upfront fees ≥ loan amount                                     | derived   |
 * | INCONSISTENT_SCHEDULE_PRINCIPAL_DUE_WITH_LOAN_AMOUNT   |  132 | 400    | edited schedule whose principal ≠ loan amount                  | sure      |
 * | INVALID_TRANSACTION_TYPE                               |  165 | 400    | adjust of a transaction type that cannot be adjusted           | derived   |
 * | UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE        |  166 | 400    | adjust a disbursement/write-off with later transactions        | derived   |
 * | INVALID_REPAYMENT_NUMBER                               |  170 | 400    | fee installmentNumber outside the schedule                     | derived   |
 * | ARBITRARY_FEE_NOT_ALLOWED                              |  174 | 400    | fee without predefinedFeeKey when the product forbids it       | derived   |
 * | INVALID_PRODUCT_STATE                                  |  189 | 400    | product INACTIVE                                               | derived   |
 * | FIRST_REPAYMENT_DATE_BEFORE_EXPECTED_DISBURSEMENT_DATE |  194 | 400    | creation/preview with inconsistent dates                       | derived   |
 * | INVALID_GROUP_ID                                       |  201 | 404    | unknown group (400 when named in a body: accountHolderKey)     | derived   |
 * | TRANSACTION_ALREADY_REVERSED                           |  211 | 400    | adjust of an adjusted transaction                              | derived   |
 * | INVALID_TRANSACTION_ID                                 |  212 | 404    | unknown loan/deposit transaction                               | derived   |
 * | TRANSACTION_MADE_FROM_A_TRANSFER                       |  217 | 400    | adjust a loan repayment made by a deposit transfer             | derived   |
 * | TRANSACTION_MADE_FROM_A_DISBURSEMENT                   |  218 | 400    | adjust the deposit side of a loan disbursement                 | derived   |
 * | DEPOSIT_ACCOUNT_HAS_MATURITY_DATE_SET                  |  219 | 400    | deposit into a FIXED_DEPOSIT whose maturity period started     | derived   |
 * | INVALID_CLIENT_ID                                      |  301 | 404    | unknown client (400 when named in a body: accountHolderKey, groupMembers) | sure |
 * | INVALID_CLIENT_STATE                                   |  305 | 400    | holder EXITED / REJECTED / BLACKLISTED                         | derived   |
 * | CLIENT_IS_MEMBER_OF_A_GROUP                            |  313 | 400    | delete of a group member                                       | derived   |
 * | CLIENT_HAS_ACCOUNTS                                    |  315 | 400    | delete of a client with accounts                               | derived   |
 * | CLIENT_ID_ALREADY_IN_USE                               |  316 | 400    | duplicate client id                                            | derived   |
 * | GROUP_ID_ALREADY_IN_USE                                |  317 | 400    | duplicate group id                                             | derived   |
 * | GROUP_HAS_ACCOUNTS                                     |  318 | 400    | delete of a group with accounts                                | derived   |
 * | BALANCE_BELOW_ZERO                                     |  401 | 400    | withdrawal/fee/transfer/adjust above the available funds       | derived   |
 * | BACKDATE_BEFORE_ACTIVATION                             |  403 | 400    | deposit transaction dated before the account's activation      | derived   |
 * | BACKDATE_SET_IN_THE_FUTURE                             |  405 | 400    | deposit transaction valueDate after now                        | derived   |
 * | INVALID_DEPOSIT_AMOUNT                                 |  406 | 400    | deposit amount missing or ≤ 0                                  | derived   |
 * | INVALID_DEPOSIT_ACCOUNT_STATE                          |  407 | 400    | transaction on a deposit in the wrong state                    | derived   |
 * | ACCOUNT_ID_ALREADY_IN_USE                              |  411 | 400    | duplicate loan/deposit/product id                              | derived   |
 * | INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION               |  416 | 400    | deposit changeState not allowed                                | derived   |
 * | MAXIMUM_WITHDRAWAL_AMOUNT_EXCEEDED                     |  417 | 400    | above internalControls.maxWithdrawalAmount                     | derived   |
 * | MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED                       |  418 | 400    | overdraft above the limit / the product's maximum              | derived   |
 * | INVALID_DEPOSIT_ACCOUNT_ID                             |  428 | 404    | unknown deposit account (400 when named in a body)             | derived   |
 * | PRODUCT_SPECIFIES_OVERDRAFT_NOT_ALLOWED                |  430 | 400    | allowOverdraft on a product without overdrafts                 | derived   |
 * | TRANSFER_CANT_BE_MADE                                  |  500 | 400    | transfer target missing/closed/other currency                  | derived   |
 * | CANNOT_MAKE_TRANSFER_TO_SOURCE_ACCOUNT                 |  501 | 400    | transfer to the same deposit                                   | derived   |
 * | TRANSFER_AMOUNT_IS_NOT_POSITIVE                        |  504 | 400    | transfer amount ≤ 0                                            | derived   |
 * | INVALID_PRODUCT_ID                                     |  505 | 404    | unknown loan or deposit product                                | derived   |
 * | INVALID_PRODUCT_KEY                                    |  508 | 400    | productTypeKey is not a product of that kind                   | derived   |
 * | ACCOUNT_HAS_REMAINING_BALANCE                          |  511 | 400    | CLOSE of an account with money in it / owed                    | derived   |
 * | PAY_OFF_INVALID_INTEREST_PAID                          |  536 | 400    | payOffAdjustableAmounts.interestPaid above outstanding         | derived   |
 * | PAY_OFF_INVALID_FEES_PAID                              |  537 | 400    | payOffAdjustableAmounts.feesPaid above outstanding             | derived   |
 * | PAY_OFF_INVALID_PENALTY_PAID                           |  538 | 400    | payOffAdjustableAmounts.penaltyPaid above outstanding          | derived   |
 * | INVALID_USER_ID                                        |  701 | 404    | unknown user (id, encodedKey or username)                      | derived   |
 * | INVALID_CREDIT_OFFICER_KEY                             |  702 | 400    | assignedUserKey that does not exist                            | derived   |
 * | INVALID_BRANCH_ID                                      |  800 | 404    | unknown branch                                                 | derived   |
 * | INVALID_BRANCH_KEY                                     |  801 | 400    | assignedBranchKey that does not exist                          | derived   |
 * | INVALID_CENTRE_KEY                                     |  850 | 400    | assignedCentreKey that does not exist                          | derived   |
 * | INVALID_CENTRE_ID                                      |  851 | 404    | unknown centre                                                 | derived   |
 * | INVALID_CUSTOM_FIELD_ID                                |  902 | 404    | GET /customfields/{id} of an unknown field (bad custom fields in bodies answer INVALID_PARAMETERS) | derived |
 * | INVALID_DOCUMENT_ID                                    | 1001 | 404    | unknown document                                               | derived   |
 * | INVALID_TASK_ID                                        | 1100 | 404    | unknown task                                                   | derived   |
 * | INVALID_CUSTOM_FIELD_SET_ID                            | 1107 | 404    | unknown custom field set                                       | derived   |
 * | INVALID_ROLE_ID                                        | 1663 | 404    | unknown user role                                              | guess     |
 * | CANNOT_APPLY_FEE_ON_PAID_INSTALLMENT                   | 2015 | 400    | fee on a PAID installment                                      | guess     |
 * | INVALID_INSTALLMENT_KEY                                | 2016 | 400    | installmentEncodedKey not of this loan                         | guess     |
 * | INVALID_REPAYMENT_AMOUNT_FOR_SPECIFIC_INSTALLMENT      | 2017 | 400    | repayment above the named installment's outstanding            | guess     |
 * | MATURITY_PERIOD_ALREADY_STARTED                        | 2101 | 400    | startMaturity on an account whose maturity period is running   | guess     |
 * | MATURITY_PERIOD_NOT_STARTED                            | 2102 | 400    | undoMaturity on an account without a maturity date            | guess     |
 * | INTEREST_RATE_CHANGED_TRANSACTION_NOT_ALLOWED_FOR_DEPOSIT_PRODUCT_SETTINGS | 2103 | 400 | changeInterestRate on a non-FIXED (tiered, index) rate | guess |
 * | INTEREST_RATE_CHANGED_NOT_ALLOWED_INTEREST_APPLIANCE_TRANSACTIONS_AFTER_VALUE_DATE | 2104 | 400 | changeInterestRate dated before applied interest | guess |
 * | DUPLICATE_BLOCK_ID                                     | 2105 | 400    | a fund block whose externalReferenceId the account already has | guess     |
 * | INVALID_BLOCK_FUND_STATE                               | 2106 | 400    | unblock/seize of a SEIZED or REMOVED block                     | guess     |
 * | BLOCK_FUND_DOES_NOT_EXIST                              | 2107 | 404    | unknown block (400 when named in a seizure body)               | guess     |
 * | INVALID_BULK_PROCESS_KEY                               | 2108 | 404    | GET /bulks/{key} of an unknown bulk                            | guess     |
 * | BULK_API_REQUEST_SIZE_LIMIT_REACHED                    | 2109 | 400    | a bulk of more than 1000 rows                                  | guess     |
 * | INVALID_DATA_IMPORT_TASK_KEY                           | 3720 | 404    | GET /data/import/{importKey} of an unknown import            | guess     |
 * | INVALID_DATA_MIGRATION_EVENT_KEY                       | 3721 | 404    | POST /data/import/events/{eventKey}:action of an unknown event | guess   |
 * | DATABASE_BACKUP_IN_PROGRESS                            | 3730 | 400    | POST /database/backup while a backup is being made             | guess     |
 * | DATABASE_BACKUP_NOT_FOUND                              | 3731 | 404    | GET /database/backup/LATEST before any backup was made         | guess     |
 * | POSITIVE_AMOUNT_REQUIRED                               | 2110 | 400    | a bulk row whose amount is not positive                        | guess     |
 * | INVALID_TRANSACTION_CHANNEL_ID                         | 3301 | 404    | unknown transaction channel (/organization/transactionChannels/{id}) | guess     |
 * | DUPLICATE_TRANSACTION_CHANNEL_ID                       | 3302 | 400    | a transaction channel whose id another channel has             | guess     |
 * | DUPLICATE_TRANSACTION_CHANNEL_NAME                     | 3303 | 400    | a transaction channel whose name another channel has           | guess     |
 * | TRANSACTION_CHANNEL_ID_CONTAINS_SPACES                 | 3304 | 400    | a transaction channel id with white space                      | guess     |
 * | EMPTY_TRANSACTION_CHANNEL_ID                           | 3305 | 400    | a blank transaction channel id                                 | guess     |
 * | EMPTY_TRANSACTION_CHANNEL_NAME                         | 3306 | 400    | a blank transaction channel name                               | guess     |
 * | INVALID_TRANSACTION_CHANNEL_LOAN_CONSTRAINTS           | 3307 | 400    | loanConstraints LIMITED without constraints, or UNCONSTRAINED with | guess     |
 * | INVALID_TRANSACTION_CHANNEL_SAVINGS_CONSTRAINTS        | 3308 | 400    | depositConstraints likewise                                    | guess     |
 * | CANNOT_DELETE_DEFAULT_TRANSACTION_CHANNEL              | 3309 | 400    | DELETE of the default transaction channel                      | guess     |
 * | TRANSACTION_CHANNEL_IN_USE                             | 3310 | 400    | DELETE of a channel that loan or deposit transactions name     | guess     |
 * | TRANSACTION_CHANNEL_CANNOT_BE_DEACTIVATED              | 3311 | 400    | PUT making the default channel INACTIVE                        | guess     |
 * | TRANSACTION_CHANNEL_IS_MANDATORY                       |  228 | 400    | a seizure or card transaction without transactionChannelId     | derived   |
 * | INVALID_TRANSACTION_CHANNEL                            |  232 | 400    | a loan/deposit transaction naming a channel the tenant lacks, or an INACTIVE one | derived   |
 * | TRANSACTION_IS_NOT_WITHIN_CHANNEL_CONSTRAINTS          | 1114 | 400    | a transaction outside the channel's loanConstraints / depositConstraints (LIMITED: product, type, amount) | derived   |
 * | INCONSISTENCY_BETWEEN_CHANNEL_KEY_AND_ID               | 3312 | 400    | transactionDetails whose transactionChannelId and transactionChannelKey name two channels | guess     |
 * | BLANK_INSTITUTION_NAME                                 | 3320 | 400    | PUT /setup/organization without institutionName                | guess     |
 * | INSTITUTION_NAME_LENGTH                                | 3321 | 400    | institutionName longer than 255 characters                     | guess     |
 * | BLANK_DECIMAL_SEPARATOR                                | 3322 | 400    | PUT /setup/organization without decimalSeparator               | guess     |
 * | INVALID_DECIMAL_SEPARATOR                              | 3323 | 400    | decimalSeparator not COMMA or POINT                            | guess     |
 * | INVALID_DATE_FORMAT                                    | 3324 | 400    | dateFormat blank, with letters other than d, M, y, or lacking one | guess     |
 * | BLANK_DATE_TIME                                        | 3325 | 400    | PUT /setup/organization without dateTimeFormat                 | guess     |
 * | HAS_INVALID_DATE_TIME_CHARACTER                        | 3326 | 400    | dateTimeFormat with a letter other than d, M, y, H, h, m, s, a | guess     |
 * | MISSING_REQUIRED_DATE_TIME_CHARACTER                   | 3327 | 400    | dateTimeFormat without d, M, y, an hour (H or h) or m          | guess     |
 * | BLANK_HOLIDAY_NAME                                     | 3330 | 400    | a holiday without name                                         | guess     |
 * | HOLIDAY_NAME_LENGTH                                    | 3331 | 400    | a holiday name longer than 255 characters                      | guess     |
 * | HOLIDAY_VALID_DATE_ERROR                               | 3332 | 400    | a holiday without a valid date (YYYY-MM-DD), also in branches.yaml | guess     |
 * | DUPLICATE_HOLIDAY_ID                                   | 3333 | 400    | two holidays with one id (in the body, or one the tenant has; a branch's in branches.yaml) | guess     |
 * | INVALID_HOLIDAY_SETUP                                  | 3334 | 400    | more than 1000 holidays, or two on one date                    | guess     |
 * | DUPLICATE_NON_WORKING_DAYS                             | 3335 | 400    | a day named twice in nonWorkingDays, or all seven days         | guess     |
 * | BRANCHES_CONFIGURATION_EMPTY                           | 3400 | 400    | branches.yaml without any branch                               | guess     |
 * | BLANK_BRANCH_ID                                        | 3401 | 400    | branches.yaml: a branch with a blank id                        | guess     |
 * | BLANK_BRANCH_NAME                                      | 3402 | 400    | branches.yaml: a branch with a blank name                      | guess     |
 * | DUPLICATE_BRANCH_ID                                    | 3403 | 400    | branches.yaml: two branches with one id                        | guess     |
 * | CANNOT_DEACTIVATE_BRANCH                               | 3404 | 400    | branches.yaml: a branch made (or left) INACTIVE while an active centre is assigned to it | guess     |
 * | CENTRE_CONFIGURATION_EMPTY                             | 3407 | 400    | centres.yaml without any centre                                | guess     |
 * | BLANK_CENTRE_ID                                        | 3408 | 400    | centres.yaml: a centre with a blank id                         | guess     |
 * | BLANK_CENTRE_NAME                                      | 3409 | 400    | centres.yaml: a centre with a blank name                       | guess     |
 * | DUPLICATE_CENTRE_ID                                    | 3410 | 400    | centres.yaml: two centres with one id                          | guess     |
 * | BRANCH_DOES_NOT_EXIST                                  | 3411 | 400    | centres.yaml: an assignedBranchId the tenant lacks             | guess     |
 * | BRANCH_IS_INACTIVE                                     | 3412 | 400    | centres.yaml: an active centre assigned to an INACTIVE branch  | guess     |
 * | ROLES_CONFIGURATION_EMPTY                              | 3413 | 400    | userroles.yaml without any role                                | guess     |
 * | NULL_OR_EMPTY_ID                                       | 3414 | 400    | userroles.yaml: a role with a blank id                         | guess     |
 * | MISSING_ROLE_NAME                                      | 3415 | 400    | userroles.yaml: a role with a blank name                       | guess     |
 * | INVALID_ROLE_NAME                                      | 3416 | 400    | userroles.yaml: two roles with one id or one name              | guess     |
 * | ROLE_IN_USE                                            | 3417 | 400    | userroles.yaml: a role missing from the document while users have it | guess     |
 * | CUSTOM_FIELDS_CONFIGURATION_EMPTY                      | 3418 | 400    | customfields.yaml without any set                              | guess     |
 * | CF_SET_DUPLICATE_ID                                    | 3419 | 400    | customfields.yaml: two sets, or two fields, with one id        | guess     |
 * | CF_SET_INVALID_ID                                      | 3420 | 400    | customfields.yaml: a set id that does not start with "_"; a blank field id; an unknown dependentFieldId | guess     |
 * | INVALID_DAYS_TO_EXPIRE_FOR_AUTHORIZATION_HOLD          | 9957 | 400    | authorizationholds.yaml: daysToExpiration not a positive number | sure      |
 * | INVALID_YAML_SYNTAX                                    | 10000 | 400    | a configuration document (configuration/*.yaml) that does not parse | sure      |
 * | INVALID_PRODUCT_WITH_FUNDING_SOURCE_DISABLED           |  148 | 400    | investor funds on a loan whose product has funding disabled    | derived   |
 * | INVALID_GUARANTOR_KEY                                  |  155 | 400    | fund guarantorKey not a client/group, or not the funding deposit's holder | derived   |
 * | DISBURSE_TO_SAVINGS_NOT_AVALAIBLE_WITH_INVESTOR_FUNDS  |  227 | 400    | disbursement of an investor-funded loan into a deposit (transferDetails) | derived   |
 * | INVALID_CREDIT_ARRANGEMENT_ID                          | 2300 | 404    | unknown credit arrangement (400 when named in a body: creditArrangementKey) | guess     |
 * | INVALID_CREDIT_ARRANGEMENT_STATE                       | 2301 | 400    | changeState not allowed; account linked to an arrangement not APPROVED/ACTIVE; edit of a closed one | guess     |
 * | CREDIT_ARRANGEMENT_ID_ALREADY_IN_USE                   | 2302 | 400    | duplicate credit arrangement id                                | guess     |
 * | CREDIT_ARRANGEMENT_AMOUNT_NOT_STRICTLY_POSITIVE        | 2304 | 400    | credit arrangement amount ≤ 0                                  | guess     |
 * | PRODUCT_CREDIT_ARRANGEMENT_AFFILIATION_CONSTRAINT_MISMATCH | 2305 | 400    | account linked while its product's creditArrangementRequirement is NOT_REQUIRED | guess     |
 * | ACCOUNT_ALREADY_ON_CREDIT_ARRANGEMENT                  | 2306 | 400    | :addAccount of an account already under an arrangement         | guess     |
 * | INCONSISTENT_CREDIT_ARRANGEMENT_CLIENT_WITH_ACCOUNT_OWNER | 2307 | 400    | account holder ≠ the arrangement's holder                      | guess     |
 * | CREDIT_ARRANGEMENT_REQUIRES_OVERDRAFT_MAX_LIMIT        | 2309 | 400    | deposit linked without an overdraft limit                      | guess     |
 * | CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED                     | 2310 | 400    | linking/creating/approving/disbursing beyond the arrangement's available amount; amount lowered below the consumed | guess     |
 * | MATURITY_DATE_AFTER_CREDIT_ARRANGEMENT_END_DATE        | 2311 | 400    | loan's last due date after the arrangement's expireDate        | guess     |
 * | OVERDRAFT_EXPIRY_DATE_AFTER_CREDIT_ARRANGEMENT_END_DATE | 2312 | 400    | overdraftExpiryDate after the arrangement's expireDate         | guess     |
 * | DISBURSEMENT_DATE_BEFORE_CREDIT_ARRANGEMENT_START_DATE | 2313 | 400    | disbursement before the arrangement's startDate                | guess     |
 * | CREDIT_ARRANGEMENT_REQUIRED_EXCEPTION                  | 2314 | 400    | approval / unlinking of an account whose product REQUIRES an arrangement | guess     |
 * | ACCOUNT_IS_NOT_PART_OF_CREDIT_ARRANGEMENT              | 2315 | 400    | :removeAccount of an account not under this arrangement        | guess     |
 * | CREDIT_ARRANGEMENT_ILLEGAL_PARAMETER_MODIFICATION      | 2316 | 400    | holder or exposureLimitType changed while accounts are linked  | guess     |
 * | CREDIT_ARRANGEMENT_HAS_NON_CLOSED_ACCOUNTS             | 2317 | 400    | CLOSE / UNDO_APPROVE / DELETE with linked accounts not closed  | guess     |
 * | INSUFFICIENT_FUNDS_ACCOUNT_BALANCE                     | 2400 | 400    | funding deposit's available balance below its fund amount      | guess     |
 * | INSUFFICIENT_FUNDS_TOTAL_AMOUNT                        | 2401 | 400    | approval with funds below the product's requiredFunds percentage | guess     |
 * | FUNDING_AMOUNT_MUST_BE_STRICTLY_POSITIVE               | 2403 | 400    | fund amount ≤ 0                                                | guess     |
 * | INVALID_FUND_ENCODED_KEY                               | 2406 | 404    | DELETE of a fund the loan does not have                        | guess     |
 * | INVESTORS_TOTAL_AMOUNT_MORE_THAN_LOAN_AMOUNT           | 2407 | 400    | funds adding up to more than the loan amount                   | guess     |
 * | INVALID_FUND_ID                                        | 2408 | 404    | sell of an unknown funding source                              | guess     |
 * | INACTIVE_FUND_ID                                       | 2409 | 400    | sell of a fund version replaced by an earlier sale             | guess     |
 * | INVALID_FUNDED_ACCOUNT_STATE                           | 2410 | 400    | sell of a fund whose loan is not running                       | guess     |
 * | FUND_SELL_WITH_NO_PURCHASES                            | 2411 | 400    | sell without purchases                                         | guess     |
 * | FUND_OVERSELL                                          | 2412 | 400    | purchases above the fund amount                                | guess     |
 * | FUND_SELF_SELL                                         | 2417 | 400    | buyer deposit is the seller's                                  | guess     |
 * | INVALID_BUYER_FUNDING_ACCOUNT                          | 2418 | 400    | buyer deposit unknown, not an investor account, other currency or not active | guess     |
 * | DUPLICATE_BUYER_FUNDING_ACCOUNT                        | 2419 | 400    | one buyer deposit twice in a sale                              | guess     |
 * | INVALID_BUYER_FUND_AMOUNT                              | 2420 | 400    | purchase amount ≤ 0                                            | guess     |
 * | INVALID_FUND_PURCHASE_PRICE                            | 2421 | 400    | purchase price < 0                                             | guess     |
 * | INSUFFICIENT_BUYER_FUNDING_ACCOUNT_FUNDS               | 2422 | 400    | buyer deposit's available balance below the price              | guess     |
 * | INVALID_SAVINGS_ACCOUNT_TYPE_FOR_FUNDING               | 2425 | 400    | funding deposit not an INVESTOR_ACCOUNT, or of another currency | guess     |
 * | DUPLICATED_SAVINGS_ACCOUNT_FOR_FUNDING                 | 2426 | 400    | one deposit in two funds of a loan                             | guess     |
 * | LOAN_ACCOUNT_NOT_FUNDED_BY_DEPOSIT_ACCOUNT             | 2436 | 400    | funded schedule of a loan the deposit does not fund            | guess     |
 * | INVALID_LOAN_ACCOUNT_STATE_FOR_FUNDS_EDIT              | 2509 | 400    | funds edited on a loan not in PARTIAL_APPLICATION / PENDING_APPROVAL | guess     |
 * | CARD_REFERENCE_TOKEN_FORMAT_INVALID                    | 2601 | 400    | a card reference token that is empty, longer than 255 or not printable ASCII | guess     |
 * | CARD_REFERENCE_TOKEN_ALREADY_IN_USE                    | 2602 | 400    | POST /loans/{id}/cards or /deposits/{id}/cards, token linked  | guess     |
 * | CARD_REFERENCE_HAS_ASSOCIATED_HOLDS_OR_TRANSACTIONS    | 2603 | 400    | DELETE of a card that still has PENDING authorization holds    | guess     |
 * | CARD_REFERENCE_NOT_FOUND                               | 2604 | 404    | a card reference token linked to no account (or not to this one) | guess     |
 * | DUPLICATE_AUTHORIZATION_HOLD                           | 2605 | 400    | an authorization hold whose externalReferenceId exists         | guess     |
 * | DUPLICATE_CARD_TRANSACTION                             | 2606 | 400    | a card transaction / reversal whose externalReferenceId exists | guess     |
 * | AVAILABLE_BALANCE_BELOW_ZERO                           | 2607 | 400    | a debit hold or card transaction above a deposit's available funds (no advice) | guess     |
 * | AUTHORIZATION_HOLD_NOT_FOUND                           | 2608 | 404    | unknown hold on this card (400 when named by a card transaction) | guess     |
 * | INVALID_AUTHORIZATION_HOLD_STATE                       | 2609 | 400    | increase/decrease/reverse/settle of a hold that is not PENDING | guess     |
 * | CARD_TRANSACTION_CANNOT_BE_ADJUSTED                    | 2610 | 400    | reversal of an adjusted card transaction, or of a card draw on a loan | guess     |
 * | CARD_TRANSACTION_NOT_FOUND                             | 2611 | 404    | reversal of an unknown card transaction of this card           | guess     |
 * | CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED          | 2612 | 400    | reversals above the card transaction's amount                  | guess     |
 * | INSUFFICIENT_AVAILABLE_AMOUNT_FOR_AUTHORIZATION_HOLD_ON_LOANS | 2613 | 400    | a hold above a loan's available credit (no advice)             | guess     |
 * | CARD_TRANSACTION_REVERSAL_CANNOT_BE_ADJUSTED           | 2614 | 400    | :adjust of a deposit's CARD_TRANSACTION_REVERSAL (Swagger enum index 993: outside the deposit block) | guess     |
 * | MANDATORY_PERIODIC_PAYMENT                             |  191 | 400    | :changePeriodicPayment without periodicPayment                 | derived   |
 * | PERIODIC_PAYMENT_GREATER_THAN_LOAN_AMOUNT              |  192 | 400    | periodicPayment above the loan amount                          | derived   |
 * | INVALID_INTEREST_SPREAD                                |  197 | 400    | :changeInterestRate of an indexed loan without interestSpread  | derived   |
 * | INVALID_PERIODIC_PAYMENT                               |  198 | 400    | periodicPayment ≤ 0, with too many decimals, not covering the interest, or on a loan that is not equal-installments | derived   |
 * | INTEREST_RATE_NOT_AVAILABLE_FOR_INDEXED_RATES          |  514 | 400    | interestRate given to an indexed-rate loan                     | derived   |
 * | INTEREST_SPREAD_NOT_AVAILABLE_FOR_FIXED_RATES          |  515 | 400    | interestSpread given to a fixed-rate loan                      | derived   |
 * | INTEREST_RATE_CHANGED_TRANSACTION_NOT_ALLOWED_FOR_LOAN_PRODUCT_TYPE | 2701 | 400    | :changeInterestRate of an INTEREST_FREE_LOAN                   | guess     |
 * | REPAYMENT_VALUE_CHANGE_NOT_ALLOWED                     | 2702 | 400    | :changeRepaymentValue of an equal-installments loan            | guess     |
 * | AMOUNT_REQUIRED_FOR_FLAT_PRINCIPAL_PAYMENT_METHOD      | 2703 | 400    | :changeRepaymentValue without amount (FLAT principal payment)  | guess     |
 * | PERCENTAGE_REQUIRED_FOR_PRINCIPAL_PAYMENT_PERCENTAGE_METHOD | 2704 | 400    | :changeRepaymentValue without percentage (percentage method)   | guess     |
 * | AMOUNT_ONLY_AVAILABLE_FOR_FLAT_PRINCIPAL_PAYMENT_METHOD | 2705 | 400    | amount given with a percentage principal payment method        | guess     |
 * | INVALID_PRINCIPAL_PAYMENT_FLAT_AMOUNT_WITH_DECIMALS    | 2706 | 400    | principal amount with more decimals than the currency          | guess     |
 * | INVALID_PRINCIPAL_PAYMENT_PERCENTAGE_VALUE             | 2707 | 400    | percentage not in (0, 100]                                     | guess     |
 * | REQUIRED_ARREARS_TOLERANCE_PERIOD_MISSING              | 2708 | 400    | :changeArrearsSettings without an integer arrearsTolerancePeriod | guess     |
 * | NEGATIVE_ARREARS_TOLERANCE_PERIOD                      | 2709 | 400    | arrearsTolerancePeriod < 0                                     | guess     |
 * | ARREARS_TOLERANCE_PERIOD_OUTSIDE_CONSTRAINTS           | 2710 | 400    | arrearsTolerancePeriod outside the product's min/max           | guess     |
 * | CHANGE_ARREARS_SETTINGS_NOT_ALLOWED_FOR_PRODUCT_TOLERANCE_CALCULATION_METHOD | 2711 | 400    | product with MONTHLY_ARREARS_TOLERANCE_DAY                     | guess     |
 * | MISSING_FIXED_DAYS_OF_MONTH                            | 2712 | 400    | :changeDueDatesSettings with no fixedDaysOfMonth               | guess     |
 * | INVALID_FIXED_DAYS_OF_MONTH                            | 2713 | 400    | a fixed day outside 1–31                                       | guess     |
 * | FIXED_DAYS_OF_MONTH_NOT_ALLOWED                        | 2714 | 400    | fixed days on a loan not repaid monthly                        | guess     |
 * | CHANGE_MONTHLY_REPAYMENT_DAY_NOT_ALLOWED_FOR_ACCOUNTS_WITH_CUSTOM_SCHEDULE | 2715 | 400    | due dates change of an edited schedule                         | guess     |
 * | CHANGE_MONTHLY_REPAYMENT_DAY_ALLOWED_ONLY_FOR_ACCOUNTS_WITH_A_SINGLE_FIXED_DAY_OF_MONTH | 2716 | 400    | more than one fixed day asked                                  | guess     |
 * | INSTALLMENT_WITH_PENALTY_APPLIED_CANNOT_BE_EDITED      | 2717 | 400    | a settings change (backdated) that would recompute an installment with penalties | guess     |
 * | INVALID_TEMPLATE_ID                                    | 2718 | 404    | document template not among the product's templates            | guess     |
 * | INVALID_TEMPLATE_TYPE                                  | 2719 | 400    | ACCOUNT template asked for a transaction, TRANSACTION template for an account | guess     |
 * | ACCOUNT_ALREADY_UNLOCKED                               |  144 | 400    | unlock of a loan that is not locked                            | derived   |
 * | RESCHEDULED_LOAN                                       |  146 | 400    | undo refinance of a rescheduled loan                           | derived   |
 * | REFINANCED_LOAN                                        |  147 | 400    | undo reschedule of a refinanced loan                           | derived   |
 * | REDRAW_DISABLED                                        |  244 | 400    | redraw repayment on a loan whose product has no redraw (enum index + 62, extrapolated past the last sure anchor) | derived   |
 * | INSUFFICIENT_REDRAW_BALANCE                            |  245 | 400    | a redraw transaction (or its undo) taking the redraw balance below zero (extrapolated) | derived   |
 * | PRODUCT_DOES_NOT_ALLOW_WITHDRAWAL_TRANSACTIONS         |  247 | 400    | withdrawal redraw on a loan whose product has no redraw (extrapolated) | derived   |
 * | EXCESS_PAYMENT_MADE_AMOUNT                             |  248 | 400    | a payment made taking the redraw balance above the principal balance (extrapolated) | derived   |
 * | PRODUCT_DOES_NOT_ALLOW_PAYMENT_MADE_TRANSACTIONS       |  249 | 400    | payment made on a loan whose product has no redraw (extrapolated) | derived   |
 * | ACCOUNT_ALREADY_LOCKED                                 | 2801 | 400    | lock of a loan already locked for the same operations          | guess     |
 * | NEGATIVE_WRITE_OFF_AMOUNT                              | 2802 | 400    | reschedule/refinance writeOffAmounts below zero                | guess     |
 * | TOP_UP_AMOUNT_IS_MANDATORY                             | 2803 | 400    | refinance without topUpAmount                                  | guess     |
 * | NEGATIVE_TOP_UP_AMOUNT                                 | 2804 | 400    | refinance topUpAmount below zero                               | guess     |
 * | WRITE_OFF_AMOUNT_MORE_THAN_BALANCE_AMOUNT              | 2805 | 400    | writeOffAmounts above the balance written off                  | guess     |
 * | CANNOT_REFINANCE_REVOLVING_CREDIT_LOAN                 | 2806 | 400    | refinance of a revolving credit loan                           | guess     |
 * | INVALID_TERMINATION_DATE                               | 2807 | 400    | terminate dated in the future or before the loan's last transaction | guess     |
 * | LOAN_ACCOUNT_ALREADY_FULLY_PAID                        | 2808 | 400    | terminate of a loan that owes nothing                          | guess     |
 * | INVALID_SETUP_OF_LOAN_ACCOUNT_TO_TERMINATE             | 2809 | 400    | terminate of a loan that is not dynamic term, declining balance, equal installments | guess     |
 * | LOAN_ACCOUNT_TERMINATION_AFTER_LAST_INSTALLMENT_DUE_DATE | 2810 | 400    | terminate after the last installment fell due                  | guess     |
 * | RESTRUCTURE_DETAILS_ARE_MANDATORY                      | 2811 | 400    | reschedule/refinance without loanAccount.productTypeKey        | guess     |
 * | ACCOUNT_IS_LOCKED                                      | 2812 | 400    | terminate of a locked loan                                     | guess     |
 * | INVALID_GL_ACCOUNT_ID                                  |  540 | 404    | unknown GL account (GET /glaccounts/{id}; 400 when named in a journal entry or accounting rule) | derived   |
 * | DEBITS_DO_NOT_MATCH_CREDITS                            |  543 | 400    | manual journal entry whose debits ≠ credits                    | derived   |
 * | JOURNAL_ENTRY_DATE_NOT_DEFINED                         |  544 | 400    | manual journal entry without a date                            | derived   |
 * | GL_ACCOUNT_IS_HEADER                                   |  545 | 400    | manual journal entry on a HEADER GL account                    | derived   |
 * | GL_ACCOUNT_DOES_NOT_SUPPORT_MANUALLY_ENTRIES           |  546 | 400    | manual journal entry on a GL account with allowManualJournalEntries false | derived   |
 * | JOURNAL_ENTRY_DATE_IN_THE_FUTURE                       |  552 | 400    | manual journal entry dated after now                           | derived   |
 * | OBJECT_NOT_FOUND                                       |   29 | 404    | unknown index rate of a source (reference/index-rates.ts); unknown API consumer, or API key of a consumer (platform/consumers.ts: the RestError enum has no reason of its own for them) | derived   |
 * | INVALID_TAX_RATE                                       |  137 | 400    | a negative rate for a tax index rate source                    | derived   |
 * | CURRENCY_SHOULD_BE_DIFFERENT_THEN_ORGANISATION_BASE_CURRENCY | 559 | 400 | accounting rate for the organization's base currency        | derived   |
 * | START_DATE_SHOULD_BE_AFTER_LAST_ACCOUNTING_RATE        |  560 | 400    | accounting rate starting on or before the currency's last one  | derived   |
 * | RATE_SHOULD_BE_POSITIVE                                |  561 | 400    | accounting rate ≤ 0                                            | derived   |
 * | FUTURE_START_DATE_NOT_ALLOWED                          |  562 | 400    | accounting rate starting after now                             | derived   |
 * | INVALID_CURRENCY_CODE                                  |  565 | 400    | a currency code that is not 3 capital letters                  | derived   |
 * | INVALID_INDEX_RATE_SOURCE_ID                           | 1135 | 404    | unknown index rate source                                      | derived   |
 * | INVALID_INDEX_RATE_START_DATE                          | 1137 | 400    | index rate without a start date, or on a date the source has   | derived   |
 * | NO_INDEX_RATE_AVAILABLE                                | 1138 | 400    | an indexed loan whose source has no rate in force              | derived   |
 * | INDEX_RATE_SOURCE_IN_USE                               | 1141 | 400    | delete of a source a product or account uses                   | derived   |
 * | CURRENCY_DOES_NOT_EXIST                                | 2901 | 404    | a currency the tenant does not have                            | guess     |
 * | INVALID_COMMUNICATION_MESSAGE_ENCODED_KEY              | 3701 | 404    | unknown communication message (GET, :resend)                   | guess     |
 * | MESSAGE_STATE_MUST_BE_FAILED                           | 3702 | 400    | :resend of a message that is not FAILED                        | guess     |
 * | MAXIMUM_NUMBER_OF_COMMUNICATION_MESSAGES_TO_RESEND_EXCEEDED | 3703 | 400 | :resend of more than 1000 messages                           | guess     |
 * | DUPLICATED_NOTIFICATION_ENCODED_KEY                    | 3704 | 400    | :resend naming one message twice                               | guess     |
 * | MISSING_RECIPIENT                                      | 3705 | 400    | a message sent without destination, clientKey, groupKey or userKey | guess     |
 * | INVALID_EMAIL_SUBJECT                                  | 3706 | 400    | an EMAIL message without subject, or one over 255 characters   | guess     |
 * | TOO_MANY_REQUESTS (no Mambu code)                      |    — | 429    | injected rate limit: body has errorCode 429                    | sandbox   |
 */
import { SandboxError } from "./types";

/** One entry of the table above: Mambu's code and reason, and the default HTTP status. */
export interface ErrorDef {
  readonly code: number;
  readonly reason: string;
  readonly status: number;
}

const def = (code: number, reason: string, status = 400): ErrorDef => ({ code, reason, status });

/** Mambu's errors as the sandbox answers them, in code order (see the table at the top of this file). */
export const ERRORS = {
  INVALID_CREDENTIALS: def(2, "INVALID_CREDENTIALS", 401),
  INVALID_API_OPERATION: def(3, "INVALID_API_OPERATION", 404),
  INVALID_PARAMETERS: def(4, "INVALID_PARAMETERS"),
  METHOD_NOT_IMPLEMENTED: def(5, "METHOD_NOT_IMPLEMENTED", 405),
  INTERNAL_ERROR: def(6, "INTERNAL_ERROR", 500),
  INVALID_PAGINATION_OFFSET_VALUE: def(11, "INVALID_PAGINATION_OFFSET_VALUE"),
  OUT_OF_BOUNDS_PAGINATION_OFFSET_VALUE: def(12, "OUT_OF_BOUNDS_PAGINATION_OFFSET_VALUE"),
  OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE: def(14, "OUT_OF_BOUNDS_PAGINATION_LIMIT_VALUE"),
  MAX_FILE_SIZE_EXCEEDED: def(20, "MAX_FILE_SIZE_EXCEEDED", 413),
  INVALID_JSON_SYNTAX: def(26, "INVALID_JSON_SYNTAX"),
  NON_REVERSIBLE_WRITE_OFF: def(36, "NON_REVERSIBLE_WRITE_OFF"),
  INVALID_LOAN_ACCOUNT_ID: def(100, "INVALID_LOAN_ACCOUNT_ID", 404),
  INVALID_AMOUNT: def(101, "INVALID_AMOUNT"),
  INVALID_DATE: def(102, "INVALID_DATE"),
  INVALID_ACCOUNT_STATE: def(105, "INVALID_ACCOUNT_STATE"),
  INVALID_FEE: def(106, "INVALID_FEE"),
  EXCESS_REPAYMENT_ERROR: def(110, "EXCESS_REPAYMENT_ERROR"),
  INVALID_STATE_TRANSITION: def(116, "INVALID_STATE_TRANSITION"),
  INVALID_FIRST_REPAYMENT_DUE_DATE: def(118, "INVALID_FIRST_REPAYMENT_DUE_DATE"),
  INVALID_INTEREST_RATE: def(120, "INVALID_INTEREST_RATE"),
  INVALID_PENALTY_RATE: def(195, "INVALID_PENALTY_RATE"),
  INVALID_INSTALLMENTS: def(121, "INVALID_INSTALLMENTS"),
  REPAYMENT_DATE_IN_THE_FUTURE_ERROR: def(124, "REPAYMENT_DATE_IN_THE_FUTURE_ERROR"),
  INVALID_DISBURSEMENT_DATE: def(125, "INVALID_DISBURSEMENT_DATE"),
  INVALID_ACCOUNT_STATE_FOR_REPAYMENTS: def(128, "INVALID_ACCOUNT_STATE_FOR_REPAYMENTS"),
  DISBURSEMENT_FEES_EXCEED_LOAN_AMOUNT: def(129, "DISBURSEMENT_FEES_EXCEED_LOAN_AMOUNT"),
  INCONSISTENT_SCHEDULE_PRINCIPAL_DUE_WITH_LOAN_AMOUNT: def(132, "INCONSISTENT_SCHEDULE_PRINCIPAL_DUE_WITH_LOAN_AMOUNT"),
  INVALID_TRANSACTION_TYPE: def(165, "INVALID_TRANSACTION_TYPE"),
  UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE: def(166, "UNREVERSED_TRANSACTION_LOGGED_AFTER_CURRENT_ONE"),
  INVALID_REPAYMENT_NUMBER: def(170, "INVALID_REPAYMENT_NUMBER"),
  ARBITRARY_FEE_NOT_ALLOWED: def(174, "ARBITRARY_FEE_NOT_ALLOWED"),
  INVALID_PRODUCT_STATE: def(189, "INVALID_PRODUCT_STATE"),
  FIRST_REPAYMENT_DATE_BEFORE_EXPECTED_DISBURSEMENT_DATE: def(194, "FIRST_REPAYMENT_DATE_BEFORE_EXPECTED_DISBURSEMENT_DATE"),
  INVALID_GROUP_ID: def(201, "INVALID_GROUP_ID", 404),
  TRANSACTION_ALREADY_REVERSED: def(211, "TRANSACTION_ALREADY_REVERSED"),
  INVALID_TRANSACTION_ID: def(212, "INVALID_TRANSACTION_ID", 404),
  TRANSACTION_MADE_FROM_A_TRANSFER: def(217, "TRANSACTION_MADE_FROM_A_TRANSFER"),
  TRANSACTION_MADE_FROM_A_DISBURSEMENT: def(218, "TRANSACTION_MADE_FROM_A_DISBURSEMENT"),
  DEPOSIT_ACCOUNT_HAS_MATURITY_DATE_SET: def(219, "DEPOSIT_ACCOUNT_HAS_MATURITY_DATE_SET"),
  INVALID_CLIENT_ID: def(301, "INVALID_CLIENT_ID", 404),
  INVALID_CLIENT_STATE: def(305, "INVALID_CLIENT_STATE"),
  CLIENT_IS_MEMBER_OF_A_GROUP: def(313, "CLIENT_IS_MEMBER_OF_A_GROUP"),
  CLIENT_HAS_ACCOUNTS: def(315, "CLIENT_HAS_ACCOUNTS"),
  CLIENT_ID_ALREADY_IN_USE: def(316, "CLIENT_ID_ALREADY_IN_USE"),
  GROUP_ID_ALREADY_IN_USE: def(317, "GROUP_ID_ALREADY_IN_USE"),
  GROUP_HAS_ACCOUNTS: def(318, "GROUP_HAS_ACCOUNTS"),
  BALANCE_BELOW_ZERO: def(401, "BALANCE_BELOW_ZERO"),
  BACKDATE_BEFORE_ACTIVATION: def(403, "BACKDATE_BEFORE_ACTIVATION"),
  BACKDATE_SET_IN_THE_FUTURE: def(405, "BACKDATE_SET_IN_THE_FUTURE"),
  INVALID_DEPOSIT_AMOUNT: def(406, "INVALID_DEPOSIT_AMOUNT"),
  INVALID_DEPOSIT_ACCOUNT_STATE: def(407, "INVALID_DEPOSIT_ACCOUNT_STATE"),
  ACCOUNT_ID_ALREADY_IN_USE: def(411, "ACCOUNT_ID_ALREADY_IN_USE"),
  INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION: def(416, "INVALID_SAVINGS_ACCOUNT_STATE_TRANSITION"),
  MAXIMUM_WITHDRAWAL_AMOUNT_EXCEEDED: def(417, "MAXIMUM_WITHDRAWAL_AMOUNT_EXCEEDED"),
  MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED: def(418, "MAXIMUM_OVERDRAFT_LIMIT_EXCEEDED"),
  INVALID_DEPOSIT_ACCOUNT_ID: def(428, "INVALID_DEPOSIT_ACCOUNT_ID", 404),
  PRODUCT_SPECIFIES_OVERDRAFT_NOT_ALLOWED: def(430, "PRODUCT_SPECIFIES_OVERDRAFT_NOT_ALLOWED"),
  TRANSFER_CANT_BE_MADE: def(500, "TRANSFER_CANT_BE_MADE"),
  CANNOT_MAKE_TRANSFER_TO_SOURCE_ACCOUNT: def(501, "CANNOT_MAKE_TRANSFER_TO_SOURCE_ACCOUNT"),
  TRANSFER_AMOUNT_IS_NOT_POSITIVE: def(504, "TRANSFER_AMOUNT_IS_NOT_POSITIVE"),
  INVALID_PRODUCT_ID: def(505, "INVALID_PRODUCT_ID", 404),
  INVALID_PRODUCT_KEY: def(508, "INVALID_PRODUCT_KEY"),
  ACCOUNT_HAS_REMAINING_BALANCE: def(511, "ACCOUNT_HAS_REMAINING_BALANCE"),
  PAY_OFF_INVALID_INTEREST_PAID: def(536, "PAY_OFF_INVALID_INTEREST_PAID"),
  PAY_OFF_INVALID_FEES_PAID: def(537, "PAY_OFF_INVALID_FEES_PAID"),
  PAY_OFF_INVALID_PENALTY_PAID: def(538, "PAY_OFF_INVALID_PENALTY_PAID"),
  INVALID_USER_ID: def(701, "INVALID_USER_ID", 404),
  INVALID_CREDIT_OFFICER_KEY: def(702, "INVALID_CREDIT_OFFICER_KEY"),
  INVALID_BRANCH_ID: def(800, "INVALID_BRANCH_ID", 404),
  INVALID_BRANCH_KEY: def(801, "INVALID_BRANCH_KEY"),
  INVALID_CENTRE_KEY: def(850, "INVALID_CENTRE_KEY"),
  INVALID_CENTRE_ID: def(851, "INVALID_CENTRE_ID", 404),
  INVALID_CUSTOM_FIELD_ID: def(902, "INVALID_CUSTOM_FIELD_ID", 404),
  INVALID_DOCUMENT_ID: def(1001, "INVALID_DOCUMENT_ID", 404),
  INVALID_TASK_ID: def(1100, "INVALID_TASK_ID", 404),
  INVALID_CUSTOM_FIELD_SET_ID: def(1107, "INVALID_CUSTOM_FIELD_SET_ID", 404),
  INVALID_ROLE_ID: def(1663, "INVALID_ROLE_ID", 404),
  CANNOT_APPLY_FEE_ON_PAID_INSTALLMENT: def(2015, "CANNOT_APPLY_FEE_ON_PAID_INSTALLMENT"),
  INVALID_INSTALLMENT_KEY: def(2016, "INVALID_INSTALLMENT_KEY"),
  INVALID_REPAYMENT_AMOUNT_FOR_SPECIFIC_INSTALLMENT: def(2017, "INVALID_REPAYMENT_AMOUNT_FOR_SPECIFIC_INSTALLMENT"),
  MATURITY_PERIOD_ALREADY_STARTED: def(2101, "MATURITY_PERIOD_ALREADY_STARTED"),
  MATURITY_PERIOD_NOT_STARTED: def(2102, "MATURITY_PERIOD_NOT_STARTED"),
  INTEREST_RATE_CHANGED_TRANSACTION_NOT_ALLOWED_FOR_DEPOSIT_PRODUCT_SETTINGS: def(2103, "INTEREST_RATE_CHANGED_TRANSACTION_NOT_ALLOWED_FOR_DEPOSIT_PRODUCT_SETTINGS"),
  INTEREST_RATE_CHANGED_NOT_ALLOWED_INTEREST_APPLIANCE_TRANSACTIONS_AFTER_VALUE_DATE: def(2104, "INTEREST_RATE_CHANGED_NOT_ALLOWED_INTEREST_APPLIANCE_TRANSACTIONS_AFTER_VALUE_DATE"),
  DUPLICATE_BLOCK_ID: def(2105, "DUPLICATE_BLOCK_ID"),
  INVALID_BLOCK_FUND_STATE: def(2106, "INVALID_BLOCK_FUND_STATE"),
  BLOCK_FUND_DOES_NOT_EXIST: def(2107, "BLOCK_FUND_DOES_NOT_EXIST", 404),
  INVALID_BULK_PROCESS_KEY: def(2108, "INVALID_BULK_PROCESS_KEY", 404),
  BULK_API_REQUEST_SIZE_LIMIT_REACHED: def(2109, "BULK_API_REQUEST_SIZE_LIMIT_REACHED"),
  INVALID_DATA_IMPORT_TASK_KEY: def(3720, "INVALID_DATA_IMPORT_TASK_KEY", 404),
  INVALID_DATA_MIGRATION_EVENT_KEY: def(3721, "INVALID_DATA_MIGRATION_EVENT_KEY", 404),
  DATABASE_BACKUP_IN_PROGRESS: def(3730, "DATABASE_BACKUP_IN_PROGRESS"),
  DATABASE_BACKUP_NOT_FOUND: def(3731, "DATABASE_BACKUP_NOT_FOUND", 404),
  POSITIVE_AMOUNT_REQUIRED: def(2110, "POSITIVE_AMOUNT_REQUIRED"),
  // reference data: transaction channels, organization setup, holidays (reference/*.ts); guessed codes 3301–3335
  INVALID_TRANSACTION_CHANNEL_ID: def(3301, "INVALID_TRANSACTION_CHANNEL_ID", 404),
  DUPLICATE_TRANSACTION_CHANNEL_ID: def(3302, "DUPLICATE_TRANSACTION_CHANNEL_ID"),
  DUPLICATE_TRANSACTION_CHANNEL_NAME: def(3303, "DUPLICATE_TRANSACTION_CHANNEL_NAME"),
  TRANSACTION_CHANNEL_ID_CONTAINS_SPACES: def(3304, "TRANSACTION_CHANNEL_ID_CONTAINS_SPACES"),
  EMPTY_TRANSACTION_CHANNEL_ID: def(3305, "EMPTY_TRANSACTION_CHANNEL_ID"),
  EMPTY_TRANSACTION_CHANNEL_NAME: def(3306, "EMPTY_TRANSACTION_CHANNEL_NAME"),
  INVALID_TRANSACTION_CHANNEL_LOAN_CONSTRAINTS: def(3307, "INVALID_TRANSACTION_CHANNEL_LOAN_CONSTRAINTS"),
  INVALID_TRANSACTION_CHANNEL_SAVINGS_CONSTRAINTS: def(3308, "INVALID_TRANSACTION_CHANNEL_SAVINGS_CONSTRAINTS"),
  CANNOT_DELETE_DEFAULT_TRANSACTION_CHANNEL: def(3309, "CANNOT_DELETE_DEFAULT_TRANSACTION_CHANNEL"),
  TRANSACTION_CHANNEL_IN_USE: def(3310, "TRANSACTION_CHANNEL_IN_USE"),
  TRANSACTION_CHANNEL_CANNOT_BE_DEACTIVATED: def(3311, "TRANSACTION_CHANNEL_CANNOT_BE_DEACTIVATED"),
  // the channel of a loan/deposit transaction (engine/transaction-channel.ts)
  TRANSACTION_CHANNEL_IS_MANDATORY: def(228, "TRANSACTION_CHANNEL_IS_MANDATORY"),
  INVALID_TRANSACTION_CHANNEL: def(232, "INVALID_TRANSACTION_CHANNEL"),
  TRANSACTION_IS_NOT_WITHIN_CHANNEL_CONSTRAINTS: def(1114, "TRANSACTION_IS_NOT_WITHIN_CHANNEL_CONSTRAINTS"),
  INCONSISTENCY_BETWEEN_CHANNEL_KEY_AND_ID: def(3312, "INCONSISTENCY_BETWEEN_CHANNEL_KEY_AND_ID"),
  BLANK_INSTITUTION_NAME: def(3320, "BLANK_INSTITUTION_NAME"),
  INSTITUTION_NAME_LENGTH: def(3321, "INSTITUTION_NAME_LENGTH"),
  BLANK_DECIMAL_SEPARATOR: def(3322, "BLANK_DECIMAL_SEPARATOR"),
  INVALID_DECIMAL_SEPARATOR: def(3323, "INVALID_DECIMAL_SEPARATOR"),
  INVALID_DATE_FORMAT: def(3324, "INVALID_DATE_FORMAT"),
  BLANK_DATE_TIME: def(3325, "BLANK_DATE_TIME"),
  HAS_INVALID_DATE_TIME_CHARACTER: def(3326, "HAS_INVALID_DATE_TIME_CHARACTER"),
  MISSING_REQUIRED_DATE_TIME_CHARACTER: def(3327, "MISSING_REQUIRED_DATE_TIME_CHARACTER"),
  BLANK_HOLIDAY_NAME: def(3330, "BLANK_HOLIDAY_NAME"),
  HOLIDAY_NAME_LENGTH: def(3331, "HOLIDAY_NAME_LENGTH"),
  HOLIDAY_VALID_DATE_ERROR: def(3332, "HOLIDAY_VALID_DATE_ERROR"),
  DUPLICATE_HOLIDAY_ID: def(3333, "DUPLICATE_HOLIDAY_ID"),
  INVALID_HOLIDAY_SETUP: def(3334, "INVALID_HOLIDAY_SETUP"),
  DUPLICATE_NON_WORKING_DAYS: def(3335, "DUPLICATE_NON_WORKING_DAYS"),
  // credit arrangements and investor funds (engine/credit-arrangements.ts, engine/funding.ts)
  INVALID_PRODUCT_WITH_FUNDING_SOURCE_DISABLED: def(148, "INVALID_PRODUCT_WITH_FUNDING_SOURCE_DISABLED"),
  INVALID_GUARANTOR_KEY: def(155, "INVALID_GUARANTOR_KEY"),
  DISBURSE_TO_SAVINGS_NOT_AVALAIBLE_WITH_INVESTOR_FUNDS: def(227, "DISBURSE_TO_SAVINGS_NOT_AVALAIBLE_WITH_INVESTOR_FUNDS"),
  INVALID_CREDIT_ARRANGEMENT_ID: def(2300, "INVALID_CREDIT_ARRANGEMENT_ID", 404),
  INVALID_CREDIT_ARRANGEMENT_STATE: def(2301, "INVALID_CREDIT_ARRANGEMENT_STATE"),
  CREDIT_ARRANGEMENT_ID_ALREADY_IN_USE: def(2302, "CREDIT_ARRANGEMENT_ID_ALREADY_IN_USE"),
  CREDIT_ARRANGEMENT_AMOUNT_NOT_STRICTLY_POSITIVE: def(2304, "CREDIT_ARRANGEMENT_AMOUNT_NOT_STRICTLY_POSITIVE"),
  PRODUCT_CREDIT_ARRANGEMENT_AFFILIATION_CONSTRAINT_MISMATCH: def(2305, "PRODUCT_CREDIT_ARRANGEMENT_AFFILIATION_CONSTRAINT_MISMATCH"),
  ACCOUNT_ALREADY_ON_CREDIT_ARRANGEMENT: def(2306, "ACCOUNT_ALREADY_ON_CREDIT_ARRANGEMENT"),
  INCONSISTENT_CREDIT_ARRANGEMENT_CLIENT_WITH_ACCOUNT_OWNER: def(2307, "INCONSISTENT_CREDIT_ARRANGEMENT_CLIENT_WITH_ACCOUNT_OWNER"),
  CREDIT_ARRANGEMENT_REQUIRES_OVERDRAFT_MAX_LIMIT: def(2309, "CREDIT_ARRANGEMENT_REQUIRES_OVERDRAFT_MAX_LIMIT"),
  CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED: def(2310, "CREDIT_ARRANGEMENT_AMOUNT_EXCEEDED"),
  MATURITY_DATE_AFTER_CREDIT_ARRANGEMENT_END_DATE: def(2311, "MATURITY_DATE_AFTER_CREDIT_ARRANGEMENT_END_DATE"),
  OVERDRAFT_EXPIRY_DATE_AFTER_CREDIT_ARRANGEMENT_END_DATE: def(2312, "OVERDRAFT_EXPIRY_DATE_AFTER_CREDIT_ARRANGEMENT_END_DATE"),
  DISBURSEMENT_DATE_BEFORE_CREDIT_ARRANGEMENT_START_DATE: def(2313, "DISBURSEMENT_DATE_BEFORE_CREDIT_ARRANGEMENT_START_DATE"),
  CREDIT_ARRANGEMENT_REQUIRED_EXCEPTION: def(2314, "CREDIT_ARRANGEMENT_REQUIRED_EXCEPTION"),
  ACCOUNT_IS_NOT_PART_OF_CREDIT_ARRANGEMENT: def(2315, "ACCOUNT_IS_NOT_PART_OF_CREDIT_ARRANGEMENT"),
  CREDIT_ARRANGEMENT_ILLEGAL_PARAMETER_MODIFICATION: def(2316, "CREDIT_ARRANGEMENT_ILLEGAL_PARAMETER_MODIFICATION"),
  CREDIT_ARRANGEMENT_HAS_NON_CLOSED_ACCOUNTS: def(2317, "CREDIT_ARRANGEMENT_HAS_NON_CLOSED_ACCOUNTS"),
  INSUFFICIENT_FUNDS_ACCOUNT_BALANCE: def(2400, "INSUFFICIENT_FUNDS_ACCOUNT_BALANCE"),
  INSUFFICIENT_FUNDS_TOTAL_AMOUNT: def(2401, "INSUFFICIENT_FUNDS_TOTAL_AMOUNT"),
  FUNDING_AMOUNT_MUST_BE_STRICTLY_POSITIVE: def(2403, "FUNDING_AMOUNT_MUST_BE_STRICTLY_POSITIVE"),
  INVALID_FUND_ENCODED_KEY: def(2406, "INVALID_FUND_ENCODED_KEY", 404),
  INVESTORS_TOTAL_AMOUNT_MORE_THAN_LOAN_AMOUNT: def(2407, "INVESTORS_TOTAL_AMOUNT_MORE_THAN_LOAN_AMOUNT"),
  INVALID_FUND_ID: def(2408, "INVALID_FUND_ID", 404),
  INACTIVE_FUND_ID: def(2409, "INACTIVE_FUND_ID"),
  INVALID_FUNDED_ACCOUNT_STATE: def(2410, "INVALID_FUNDED_ACCOUNT_STATE"),
  FUND_SELL_WITH_NO_PURCHASES: def(2411, "FUND_SELL_WITH_NO_PURCHASES"),
  FUND_OVERSELL: def(2412, "FUND_OVERSELL"),
  FUND_SELF_SELL: def(2417, "FUND_SELF_SELL"),
  INVALID_BUYER_FUNDING_ACCOUNT: def(2418, "INVALID_BUYER_FUNDING_ACCOUNT"),
  DUPLICATE_BUYER_FUNDING_ACCOUNT: def(2419, "DUPLICATE_BUYER_FUNDING_ACCOUNT"),
  INVALID_BUYER_FUND_AMOUNT: def(2420, "INVALID_BUYER_FUND_AMOUNT"),
  INVALID_FUND_PURCHASE_PRICE: def(2421, "INVALID_FUND_PURCHASE_PRICE"),
  INSUFFICIENT_BUYER_FUNDING_ACCOUNT_FUNDS: def(2422, "INSUFFICIENT_BUYER_FUNDING_ACCOUNT_FUNDS"),
  INVALID_SAVINGS_ACCOUNT_TYPE_FOR_FUNDING: def(2425, "INVALID_SAVINGS_ACCOUNT_TYPE_FOR_FUNDING"),
  DUPLICATED_SAVINGS_ACCOUNT_FOR_FUNDING: def(2426, "DUPLICATED_SAVINGS_ACCOUNT_FOR_FUNDING"),
  LOAN_ACCOUNT_NOT_FUNDED_BY_DEPOSIT_ACCOUNT: def(2436, "LOAN_ACCOUNT_NOT_FUNDED_BY_DEPOSIT_ACCOUNT"),
  INVALID_LOAN_ACCOUNT_STATE_FOR_FUNDS_EDIT: def(2509, "INVALID_LOAN_ACCOUNT_STATE_FOR_FUNDS_EDIT"),
  CARD_REFERENCE_TOKEN_FORMAT_INVALID: def(2601, "CARD_REFERENCE_TOKEN_FORMAT_INVALID"),
  CARD_REFERENCE_TOKEN_ALREADY_IN_USE: def(2602, "CARD_REFERENCE_TOKEN_ALREADY_IN_USE"),
  CARD_REFERENCE_HAS_ASSOCIATED_HOLDS_OR_TRANSACTIONS: def(2603, "CARD_REFERENCE_HAS_ASSOCIATED_HOLDS_OR_TRANSACTIONS"),
  CARD_REFERENCE_NOT_FOUND: def(2604, "CARD_REFERENCE_NOT_FOUND", 404),
  DUPLICATE_AUTHORIZATION_HOLD: def(2605, "DUPLICATE_AUTHORIZATION_HOLD"),
  DUPLICATE_CARD_TRANSACTION: def(2606, "DUPLICATE_CARD_TRANSACTION"),
  AVAILABLE_BALANCE_BELOW_ZERO: def(2607, "AVAILABLE_BALANCE_BELOW_ZERO"),
  AUTHORIZATION_HOLD_NOT_FOUND: def(2608, "AUTHORIZATION_HOLD_NOT_FOUND", 404),
  INVALID_AUTHORIZATION_HOLD_STATE: def(2609, "INVALID_AUTHORIZATION_HOLD_STATE"),
  CARD_TRANSACTION_CANNOT_BE_ADJUSTED: def(2610, "CARD_TRANSACTION_CANNOT_BE_ADJUSTED"),
  CARD_TRANSACTION_NOT_FOUND: def(2611, "CARD_TRANSACTION_NOT_FOUND", 404),
  CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED: def(2612, "CARD_TRANSACTION_MAX_REVERSAL_AMOUNT_EXCEEDED"),
  INSUFFICIENT_AVAILABLE_AMOUNT_FOR_AUTHORIZATION_HOLD_ON_LOANS: def(2613, "INSUFFICIENT_AVAILABLE_AMOUNT_FOR_AUTHORIZATION_HOLD_ON_LOANS"),
  CARD_TRANSACTION_REVERSAL_CANNOT_BE_ADJUSTED: def(2614, "CARD_TRANSACTION_REVERSAL_CANNOT_BE_ADJUSTED"),
  // loan settings changes, document templates (engine/loan-settings.ts, engine/templates.ts)
  MANDATORY_PERIODIC_PAYMENT: def(191, "MANDATORY_PERIODIC_PAYMENT"),
  PERIODIC_PAYMENT_GREATER_THAN_LOAN_AMOUNT: def(192, "PERIODIC_PAYMENT_GREATER_THAN_LOAN_AMOUNT"),
  INVALID_INTEREST_SPREAD: def(197, "INVALID_INTEREST_SPREAD"),
  INVALID_PERIODIC_PAYMENT: def(198, "INVALID_PERIODIC_PAYMENT"),
  INTEREST_RATE_NOT_AVAILABLE_FOR_INDEXED_RATES: def(514, "INTEREST_RATE_NOT_AVAILABLE_FOR_INDEXED_RATES"),
  INTEREST_SPREAD_NOT_AVAILABLE_FOR_FIXED_RATES: def(515, "INTEREST_SPREAD_NOT_AVAILABLE_FOR_FIXED_RATES"),
  INTEREST_RATE_CHANGED_TRANSACTION_NOT_ALLOWED_FOR_LOAN_PRODUCT_TYPE: def(2701, "INTEREST_RATE_CHANGED_TRANSACTION_NOT_ALLOWED_FOR_LOAN_PRODUCT_TYPE"),
  REPAYMENT_VALUE_CHANGE_NOT_ALLOWED: def(2702, "REPAYMENT_VALUE_CHANGE_NOT_ALLOWED"),
  AMOUNT_REQUIRED_FOR_FLAT_PRINCIPAL_PAYMENT_METHOD: def(2703, "AMOUNT_REQUIRED_FOR_FLAT_PRINCIPAL_PAYMENT_METHOD"),
  PERCENTAGE_REQUIRED_FOR_PRINCIPAL_PAYMENT_PERCENTAGE_METHOD: def(2704, "PERCENTAGE_REQUIRED_FOR_PRINCIPAL_PAYMENT_PERCENTAGE_METHOD"),
  AMOUNT_ONLY_AVAILABLE_FOR_FLAT_PRINCIPAL_PAYMENT_METHOD: def(2705, "AMOUNT_ONLY_AVAILABLE_FOR_FLAT_PRINCIPAL_PAYMENT_METHOD"),
  INVALID_PRINCIPAL_PAYMENT_FLAT_AMOUNT_WITH_DECIMALS: def(2706, "INVALID_PRINCIPAL_PAYMENT_FLAT_AMOUNT_WITH_DECIMALS"),
  INVALID_PRINCIPAL_PAYMENT_PERCENTAGE_VALUE: def(2707, "INVALID_PRINCIPAL_PAYMENT_PERCENTAGE_VALUE"),
  REQUIRED_ARREARS_TOLERANCE_PERIOD_MISSING: def(2708, "REQUIRED_ARREARS_TOLERANCE_PERIOD_MISSING"),
  NEGATIVE_ARREARS_TOLERANCE_PERIOD: def(2709, "NEGATIVE_ARREARS_TOLERANCE_PERIOD"),
  ARREARS_TOLERANCE_PERIOD_OUTSIDE_CONSTRAINTS: def(2710, "ARREARS_TOLERANCE_PERIOD_OUTSIDE_CONSTRAINTS"),
  CHANGE_ARREARS_SETTINGS_NOT_ALLOWED_FOR_PRODUCT_TOLERANCE_CALCULATION_METHOD: def(2711, "CHANGE_ARREARS_SETTINGS_NOT_ALLOWED_FOR_PRODUCT_TOLERANCE_CALCULATION_METHOD"),
  MISSING_FIXED_DAYS_OF_MONTH: def(2712, "MISSING_FIXED_DAYS_OF_MONTH"),
  INVALID_FIXED_DAYS_OF_MONTH: def(2713, "INVALID_FIXED_DAYS_OF_MONTH"),
  FIXED_DAYS_OF_MONTH_NOT_ALLOWED: def(2714, "FIXED_DAYS_OF_MONTH_NOT_ALLOWED"),
  CHANGE_MONTHLY_REPAYMENT_DAY_NOT_ALLOWED_FOR_ACCOUNTS_WITH_CUSTOM_SCHEDULE: def(2715, "CHANGE_MONTHLY_REPAYMENT_DAY_NOT_ALLOWED_FOR_ACCOUNTS_WITH_CUSTOM_SCHEDULE"),
  CHANGE_MONTHLY_REPAYMENT_DAY_ALLOWED_ONLY_FOR_ACCOUNTS_WITH_A_SINGLE_FIXED_DAY_OF_MONTH: def(2716, "CHANGE_MONTHLY_REPAYMENT_DAY_ALLOWED_ONLY_FOR_ACCOUNTS_WITH_A_SINGLE_FIXED_DAY_OF_MONTH"),
  INSTALLMENT_WITH_PENALTY_APPLIED_CANNOT_BE_EDITED: def(2717, "INSTALLMENT_WITH_PENALTY_APPLIED_CANNOT_BE_EDITED"),
  INVALID_TEMPLATE_ID: def(2718, "INVALID_TEMPLATE_ID", 404),
  INVALID_TEMPLATE_TYPE: def(2719, "INVALID_TEMPLATE_TYPE"),
  // restructure, terminate, lock, redraw (engine/loan-restructure.ts, loan-terminate.ts, loan-lock.ts, loan-redraw.ts);
  // the guessed codes are 2801–2812 (2101–2112 are the deposit servicing and bulk reasons above)
  ACCOUNT_ALREADY_UNLOCKED: def(144, "ACCOUNT_ALREADY_UNLOCKED"),
  RESCHEDULED_LOAN: def(146, "RESCHEDULED_LOAN"),
  REFINANCED_LOAN: def(147, "REFINANCED_LOAN"),
  REDRAW_DISABLED: def(244, "REDRAW_DISABLED"),
  INSUFFICIENT_REDRAW_BALANCE: def(245, "INSUFFICIENT_REDRAW_BALANCE"),
  PRODUCT_DOES_NOT_ALLOW_WITHDRAWAL_TRANSACTIONS: def(247, "PRODUCT_DOES_NOT_ALLOW_WITHDRAWAL_TRANSACTIONS"),
  EXCESS_PAYMENT_MADE_AMOUNT: def(248, "EXCESS_PAYMENT_MADE_AMOUNT"),
  PRODUCT_DOES_NOT_ALLOW_PAYMENT_MADE_TRANSACTIONS: def(249, "PRODUCT_DOES_NOT_ALLOW_PAYMENT_MADE_TRANSACTIONS"),
  ACCOUNT_ALREADY_LOCKED: def(2801, "ACCOUNT_ALREADY_LOCKED"),
  NEGATIVE_WRITE_OFF_AMOUNT: def(2802, "NEGATIVE_WRITE_OFF_AMOUNT"),
  TOP_UP_AMOUNT_IS_MANDATORY: def(2803, "TOP_UP_AMOUNT_IS_MANDATORY"),
  NEGATIVE_TOP_UP_AMOUNT: def(2804, "NEGATIVE_TOP_UP_AMOUNT"),
  WRITE_OFF_AMOUNT_MORE_THAN_BALANCE_AMOUNT: def(2805, "WRITE_OFF_AMOUNT_MORE_THAN_BALANCE_AMOUNT"),
  CANNOT_REFINANCE_REVOLVING_CREDIT_LOAN: def(2806, "CANNOT_REFINANCE_REVOLVING_CREDIT_LOAN"),
  INVALID_TERMINATION_DATE: def(2807, "INVALID_TERMINATION_DATE"),
  LOAN_ACCOUNT_ALREADY_FULLY_PAID: def(2808, "LOAN_ACCOUNT_ALREADY_FULLY_PAID"),
  INVALID_SETUP_OF_LOAN_ACCOUNT_TO_TERMINATE: def(2809, "INVALID_SETUP_OF_LOAN_ACCOUNT_TO_TERMINATE"),
  LOAN_ACCOUNT_TERMINATION_AFTER_LAST_INSTALLMENT_DUE_DATE: def(2810, "LOAN_ACCOUNT_TERMINATION_AFTER_LAST_INSTALLMENT_DUE_DATE"),
  RESTRUCTURE_DETAILS_ARE_MANDATORY: def(2811, "RESTRUCTURE_DETAILS_ARE_MANDATORY"),
  ACCOUNT_IS_LOCKED: def(2812, "ACCOUNT_IS_LOCKED"),
  // general ledger (engine/ledger-*.ts, engine/routes-accounting.ts)
  INVALID_GL_ACCOUNT_ID: def(540, "INVALID_GL_ACCOUNT_ID", 404),
  DEBITS_DO_NOT_MATCH_CREDITS: def(543, "DEBITS_DO_NOT_MATCH_CREDITS"),
  JOURNAL_ENTRY_DATE_NOT_DEFINED: def(544, "JOURNAL_ENTRY_DATE_NOT_DEFINED"),
  GL_ACCOUNT_IS_HEADER: def(545, "GL_ACCOUNT_IS_HEADER"),
  GL_ACCOUNT_DOES_NOT_SUPPORT_MANUALLY_ENTRIES: def(546, "GL_ACCOUNT_DOES_NOT_SUPPORT_MANUALLY_ENTRIES"),
  JOURNAL_ENTRY_DATE_IN_THE_FUTURE: def(552, "JOURNAL_ENTRY_DATE_IN_THE_FUTURE"),
  // currencies and accounting rates, index rate sources and index rates (reference/currencies.ts, reference/index-rates.ts);
  // OBJECT_NOT_FOUND also for API consumers and their keys (platform/consumers.ts)
  OBJECT_NOT_FOUND: def(29, "OBJECT_NOT_FOUND", 404),
  INVALID_TAX_RATE: def(137, "INVALID_TAX_RATE"),
  CURRENCY_SHOULD_BE_DIFFERENT_THEN_ORGANISATION_BASE_CURRENCY: def(559, "CURRENCY_SHOULD_BE_DIFFERENT_THEN_ORGANISATION_BASE_CURRENCY"),
  START_DATE_SHOULD_BE_AFTER_LAST_ACCOUNTING_RATE: def(560, "START_DATE_SHOULD_BE_AFTER_LAST_ACCOUNTING_RATE"),
  RATE_SHOULD_BE_POSITIVE: def(561, "RATE_SHOULD_BE_POSITIVE"),
  FUTURE_START_DATE_NOT_ALLOWED: def(562, "FUTURE_START_DATE_NOT_ALLOWED"),
  INVALID_CURRENCY_CODE: def(565, "INVALID_CURRENCY_CODE"),
  INVALID_INDEX_RATE_SOURCE_ID: def(1135, "INVALID_INDEX_RATE_SOURCE_ID", 404),
  INVALID_INDEX_RATE_START_DATE: def(1137, "INVALID_INDEX_RATE_START_DATE"),
  NO_INDEX_RATE_AVAILABLE: def(1138, "NO_INDEX_RATE_AVAILABLE"),
  INDEX_RATE_SOURCE_IN_USE: def(1141, "INDEX_RATE_SOURCE_IN_USE"),
  CURRENCY_DOES_NOT_EXIST: def(2901, "CURRENCY_DOES_NOT_EXIST", 404),
  // communication messages (platform/communications.ts, platform/messages-*.ts); guessed codes 3701–3706
  INVALID_COMMUNICATION_MESSAGE_ENCODED_KEY: def(3701, "INVALID_COMMUNICATION_MESSAGE_ENCODED_KEY", 404),
  MESSAGE_STATE_MUST_BE_FAILED: def(3702, "MESSAGE_STATE_MUST_BE_FAILED"),
  MAXIMUM_NUMBER_OF_COMMUNICATION_MESSAGES_TO_RESEND_EXCEEDED: def(3703, "MAXIMUM_NUMBER_OF_COMMUNICATION_MESSAGES_TO_RESEND_EXCEEDED"),
  DUPLICATED_NOTIFICATION_ENCODED_KEY: def(3704, "DUPLICATED_NOTIFICATION_ENCODED_KEY"),
  MISSING_RECIPIENT: def(3705, "MISSING_RECIPIENT"),
  INVALID_EMAIL_SUBJECT: def(3706, "INVALID_EMAIL_SUBJECT"),
  // configuration as code (configuration/*.ts); 9957 and 10000 are shown by the reference's examples, 3400–3420 guessed
  BRANCHES_CONFIGURATION_EMPTY: def(3400, "BRANCHES_CONFIGURATION_EMPTY"),
  BLANK_BRANCH_ID: def(3401, "BLANK_BRANCH_ID"),
  BLANK_BRANCH_NAME: def(3402, "BLANK_BRANCH_NAME"),
  DUPLICATE_BRANCH_ID: def(3403, "DUPLICATE_BRANCH_ID"),
  CANNOT_DEACTIVATE_BRANCH: def(3404, "CANNOT_DEACTIVATE_BRANCH"),
  CENTRE_CONFIGURATION_EMPTY: def(3407, "CENTRE_CONFIGURATION_EMPTY"),
  BLANK_CENTRE_ID: def(3408, "BLANK_CENTRE_ID"),
  BLANK_CENTRE_NAME: def(3409, "BLANK_CENTRE_NAME"),
  DUPLICATE_CENTRE_ID: def(3410, "DUPLICATE_CENTRE_ID"),
  BRANCH_DOES_NOT_EXIST: def(3411, "BRANCH_DOES_NOT_EXIST"),
  BRANCH_IS_INACTIVE: def(3412, "BRANCH_IS_INACTIVE"),
  ROLES_CONFIGURATION_EMPTY: def(3413, "ROLES_CONFIGURATION_EMPTY"),
  NULL_OR_EMPTY_ID: def(3414, "NULL_OR_EMPTY_ID"),
  MISSING_ROLE_NAME: def(3415, "MISSING_ROLE_NAME"),
  INVALID_ROLE_NAME: def(3416, "INVALID_ROLE_NAME"),
  ROLE_IN_USE: def(3417, "ROLE_IN_USE"),
  CUSTOM_FIELDS_CONFIGURATION_EMPTY: def(3418, "CUSTOM_FIELDS_CONFIGURATION_EMPTY"),
  CF_SET_DUPLICATE_ID: def(3419, "CF_SET_DUPLICATE_ID"),
  CF_SET_INVALID_ID: def(3420, "CF_SET_INVALID_ID"),
  INVALID_DAYS_TO_EXPIRE_FOR_AUTHORIZATION_HOLD: def(9957, "INVALID_DAYS_TO_EXPIRE_FOR_AUTHORIZATION_HOLD"),
  INVALID_YAML_SYNTAX: def(10000, "INVALID_YAML_SYNTAX"),
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
