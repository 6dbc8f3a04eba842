/**
 * mambu-ts: a TypeScript, ActiveRecord-style ORM for the Mambu core-banking API v2 (a port of
 * MambuPy). Public exports only.
 */
export { Decimal } from "./core/money";
export { DateTime } from "luxon";

export { mambuconfig, MambuConfig } from "./config";
export { MambuConnector, isV4Uuid, deterministicUuidV4 } from "./transport";
export type { ConnectorOptions, RequestOptions, MambuResponse, MambuStreamResponse, RetryEvent } from "./transport";

export { MambuTsError, MambuError, MambuCommError, MambuPyError } from "./errors";
export type { MambuErrorEntry, TppMessage } from "./errors";
export { MambuEntity } from "./core/entity";
export type { EntitySpec, GetOptions, GetAllOptions, SearchOptions, WriteOptions } from "./core/entity";
export type {
  CustomFieldPath, Listable, Listing, ListingTypes, LooseCriterion, LooseGetAllOptions, LooseSearchOptions, QueryValue, SearchCriterion,
  SortKey, TypedGetAllOptions, TypedSearchOptions,
} from "./core/query-types";
export { MambuStruct, MambuValueObject } from "./core/struct";
export { MambuList } from "./core/list";
export type { Chain } from "./core/chain";
export type { PatchOperation } from "./core/patch";
export type { FilterCriterion, SortingCriterion, DetailsLevel } from "./core/query";
export { RawNumber, parseJsonExact, stringifyExact } from "./core/json";
export { api } from "./core/api";
export type { Api, OperationArgs, OperationFunction, WireInput, WireOutput } from "./core/api";
export { services } from "./core/services";
export type { ServicesApi, ServicesOperationFunction, ServicesWireOutput } from "./core/services";
/** The Services API (`/v1`) as entities: `Services.Currency`, `Services.IndexRateSource`, `Services.HoldConfig`, `Services.Card`. */
export * as Services from "./entities/services";
export { payments } from "./core/payments";
export type { PaymentsApi, PaymentsOperationFunction, PaymentsWireOutput } from "./core/payments";
export * as Payments from "./entities/payments";
export { callOperation, operationSpec } from "./core/call";
export type { CallOptions, CallRequest, RawCallBody } from "./core/call";
export {
  getConfiguration, putConfiguration, validateConfiguration, configurationName, CONFIGURATION_NAMES, ConfigurationDocumentError,
} from "./core/configuration";
export type { ConfigurationName, ConfigurationDocuments, GetConfigurationOptions, PutConfigurationOptions, PutConfigurationResult } from "./core/configuration";
export { YamlDocumentError } from "./core/yaml-config";
export type { YamlProblem, YamlPosition } from "./core/yaml-config";
export { registerCustomFieldTypes, clearCustomFieldTypes } from "./core/custom-fields";
export type { TenantOptions } from "./core/tenant";
export {
  registerCustomFieldDefinitions, clearCustomFieldDefinitions, registerLinkTarget, isLinkType,
} from "./core/link-fields";
export { registerValueObjectClass } from "./core/value-objects";
export { MambuDocument, DOCUMENT_EXTENSIONS, MAX_DOCUMENT_BYTES } from "./core/attachments";
export type { AttachDocumentOptions, DocumentRef, DocumentSource } from "./core/attachments";
export { MambuComment } from "./core/comments";
export type { CommentOptions, OwnedListOptions } from "./core/comments";
export { getApplicationStatus, runEndOfDay } from "./core/platform";
export type { ApplicationStatus, EndOfDayOptions, EndOfDayRun, PlatformOptions } from "./core/platform";
export { backupDatabase, BackupFailedError, BackupTimeoutError, BackupZipError, DEFAULT_BACKUP_POLL_MS, DEFAULT_BACKUP_TIMEOUT_MS } from "./core/backup";
export type { BackupCallbackOptions, BackupCallbackPayload, BackupOptions, BackupProgress, BackupResult, BackupVia, BackupZipEntry } from "./core/backup";
export { Secret, isSecret, knownSecrets } from "./transport";
export { rotateApiKey, MAX_API_KEY_EXPIRATION } from "./core/apikey-rotation";
export { updateRcKey } from "./config/rc-update";
export type { RcUpdateResult, RcUpdateOptions } from "./config/rc-update";
export type { RotateApiKeyOptions, RotatedApiKey } from "./core/apikey-rotation";
export type { ReassignOptions, AssignmentRef } from "./core/reassign";

export { MambuBranch } from "./entities/branch";
export { MambuCentre } from "./entities/centre";
export { MambuClient } from "./entities/client";
export { MambuGroup, MambuGroupMember } from "./entities/group";
export { MambuLoan } from "./entities/loan";
export { MambuInstallment } from "./entities/installment";
export { MambuProduct } from "./entities/product";
export { MambuTransaction } from "./entities/transaction";
export { MambuUser } from "./entities/user";
export { MambuRole } from "./entities/role";
export { MambuApiConsumer, API_CONSUMER_TYPES } from "./entities/api-consumer";
export type { ApiConsumerFields, ApiKeyInfo, ApiKeyWriteOptions, CreateApiKeyOptions, CreatedApiKey } from "./entities/api-consumer";
export { MambuTask, TASK_LINK_TARGETS } from "./entities/task";
export { MambuCustomField, loadCustomFieldDefinitions } from "./entities/customfield";
export { MambuCustomFieldSet } from "./entities/customfieldset";
export { MambuDeposit } from "./entities/deposit";
export { MambuDepositProduct } from "./entities/deposit-product";
export { MambuDepositTransaction } from "./entities/deposit-transaction";
export { MambuBlockFund } from "./entities/block-fund";
export { MambuOrganization, MambuGeneralSetup, getGeneralSetup, MAX_INSTITUTION_NAME } from "./entities/organization";
export type { OrganizationReadOptions, OrganizationUpdateOptions } from "./entities/organization";
export {
  MambuHoliday, getHolidays, setHolidays, addGeneralHolidays, getNonWorkingDays, setNonWorkingDays, WEEK_DAYS, MAX_HOLIDAYS, MAX_HOLIDAY_NAME,
} from "./entities/holidays";
export type { WeekDay, HolidayInput, HolidaysList, HolidayReadOptions, HolidayWriteOptions, SetHolidaysOptions } from "./entities/holidays";
export { MambuTransactionChannel } from "./entities/transaction-channel";
export type { TransactionChannelListOptions } from "./entities/transaction-channel";
export { MambuIdentificationDocumentTemplate } from "./entities/identification-document-template";
export type { IdentificationDocumentTemplateOptions } from "./entities/identification-document-template";
export { MambuCard, CardAuthorizationHolds, CardFinancialTransactions } from "./entities/card";
export type {
  CardOptions, CardActionOptions, AuthorizationHoldInput, HoldAdjustOptions, CardTransactionFields, CardReversalOptions, MambuCardBalances,
} from "./entities/card";
export { MambuAuthorizationHold, MambuCardTransaction } from "./entities/authorization-hold";
export { MambuCreditArrangement } from "./entities/credit-arrangement";
export { MambuCurrency, MambuAccountingRate } from "./entities/currency";
export type { CurrencyOptions, AccountingRateOptions, AccountingRateListOptions } from "./entities/currency";
export { MambuIndexRateSource, MambuIndexRate, INDEX_RATE_SOURCE_TYPES } from "./entities/index-rate-source";
export type { IndexRateSourceType, IndexRateInput } from "./entities/index-rate-source";
export { MambuGLAccount, GL_ACCOUNT_TYPES } from "./entities/gl-account";
export type { GLAccountType, GLAccountGetOptions } from "./entities/gl-account";
export { MambuGLJournalEntry, MAX_JOURNAL_ENTRY_LINES } from "./entities/gl-journal-entry";
export type { JournalEntryInput, JournalEntryLine, JournalEntryPostOptions } from "./entities/gl-journal-entry";
export { MambuInterestAccrual } from "./entities/interest-accrual";
export { MambuCommunicationMessage, MAX_RESEND_BATCH, maskDestination } from "./entities/communication-message";
export type {
  CommunicationMessageInput, CommunicationMessageType, CommunicationMessageState, SendMessageOptions, ResendOptions, ResendFailedOptions,
} from "./entities/communication-message";
export { MambuAccountingReport } from "./entities/accounting-report";
export type {
  AccountingReportRequest, AccountingReportProgress, AccountingReportStatus, GenerateReportOptions, MambuAccountingReportItem,
} from "./entities/accounting-report";
export { getBulkStatus, waitForBulk, BULK_PENDING_STATES } from "./core/bulk";
export type { BulkStatus, BulkStatusOptions } from "./core/bulk";
export type { PollOptions } from "./core/poll";
export { MambuDataImport, MAX_DATA_IMPORT_BYTES, DATA_IMPORT_EXTENSIONS } from "./entities/data-import";
export type {
  DataImport, DataImportError, DataImportState, DataImportSource, DataImportUploadOptions, DataImportGetOptions, DataImportActionOptions,
  DataImportProgress, DataImportWaitOptions,
} from "./entities/data-import";
export type { CreditArrangementStateAction, CreditArrangementAccountsList, CreditArrangementListOptions } from "./entities/credit-arrangement";
export { MAX_BULK_DEPOSITS } from "./entities/deposit-servicing";
export type {
  BlockFundOptions, SeizeOptions, StartMaturityOptions, ChangeInterestRateOptions, AuthorizationHoldListOptions, DepositDocumentOptions,
  BulkDepositInput, BulkDepositOptions, BulkDepositResult, WaitForBulkOptions,
} from "./entities/deposit-servicing";
export type { LoanTransactionsOptions } from "./entities/transaction";
export type { DepositTransactionsOptions } from "./entities/deposit-transaction";
export type { CustomFieldsOptions } from "./entities/customfield";
export type {
  MambuBranchCustomFields, MambuCentreCustomFields, MambuClientCustomFields, MambuDepositCustomFields, MambuDepositProductCustomFields,
  MambuDepositTransactionCustomFields, MambuGroupCustomFields, MambuCreditArrangementCustomFields, MambuLoanCustomFields, MambuTransactionCustomFields, MambuUserCustomFields,
} from "./entities/custom-fields";
export type { ActionOptions } from "./core/actions";
export type { Amount, DateInput, EntityRef, Input, CustomFieldSets, TransactionListOptions } from "./core/operations";
export type {
  LoanAction, DisburseOptions, RepayOptions, LoanFeeOptions, PayOffOptions, LoanAdjustOptions, EditScheduleOptions, InstallmentInput,
} from "./entities/loan-operations";
export { MambuPayOffAmounts } from "./entities/loan-servicing";
export type {
  RescheduleOptions, RefinanceOptions, LoanTerminateOptions, PayOffPreviewOptions, LoanInterestRateOptions, ChangeRepaymentValueOptions,
  ChangePeriodicPaymentOptions, ChangeArrearsSettingsOptions, ChangeDueDatesSettingsOptions, LoanInterestOptions, SchedulePreviewTerms,
} from "./entities/loan-servicing";
export type { PaymentMadeOptions, RedrawOptions, LoanWithdrawalOptions, LoanLockOptions, LoanUnlockOptions } from "./entities/loan-payments";
export { MambuInvestorFund } from "./entities/loan-funding";
export type { InvestorFundInput, LoanHoldListOptions, LoanCardOptions, LoanDocumentOptions } from "./entities/loan-funding";
export type { InstallmentsOptions } from "./entities/installment";
export type {
  DepositAction, DepositOptions, WithdrawalOptions, TransferOptions, DepositFeeOptions, DepositInterestOptions, DepositAdjustOptions,
} from "./entities/deposit-operations";
