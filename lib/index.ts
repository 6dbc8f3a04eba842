/**
 * mambu-ts: a TypeScript, ActiveRecord-style ORM for the Mambu core-banking API v2 (a port of
 * MambuPy). Public exports only.
 */
import * as ServicesCore from "./core/services";
import * as ServicesModule from "./entities/services";
import * as PaymentsCore from "./core/payments";
import * as PaymentsModule from "./entities/payments";

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
// The Services and Payments APIs load on first use (`services`, `Services`, `payments`, `Payments` are getters): a
// program that never calls them does not pay for their modules, contracts and XML/IBAN parsers (issue 19). Their
// types are these modules' own: the namespaces below alias every export of lib/entities/services and
// lib/entities/payments (spec/unit/lazy-exports.spec.ts checks that none is missing). Their imports (at the top) are
// type-only in effect: used in declarations alone, the compiler emits no require for them.

let servicesCore: typeof ServicesCore | undefined;
let servicesModule: typeof ServicesModule | undefined;
let paymentsCore: typeof PaymentsCore | undefined;
let paymentsModule: typeof PaymentsModule | undefined;
const lazy = {
  get services(): typeof ServicesCore.services {
    return (servicesCore ??= require("./core/services") as typeof ServicesCore).services;
  },
  get Services(): typeof ServicesModule {
    return (servicesModule ??= require("./entities/services") as typeof ServicesModule);
  },
  get payments(): typeof PaymentsCore.payments {
    return (paymentsCore ??= require("./core/payments") as typeof PaymentsCore).payments;
  },
  get Payments(): typeof PaymentsModule {
    return (paymentsModule ??= require("./entities/payments") as typeof PaymentsModule);
  },
};
// In the form Node's ESM loader recognises as named exports (a getter returning a member expression), so that
// `import { Services } from "mambu-ts"` works from ES modules as before.
Object.defineProperty(exports, "services", { enumerable: true, get: function () { return lazy.services; } });
Object.defineProperty(exports, "Services", { enumerable: true, get: function () { return lazy.Services; } });
Object.defineProperty(exports, "payments", { enumerable: true, get: function () { return lazy.payments; } });
Object.defineProperty(exports, "Payments", { enumerable: true, get: function () { return lazy.Payments; } });

/** Every operation of the Services API (`/v1`): `services.<resource>.<operationId>(...)` (loaded on first use). */
export declare const services: typeof ServicesCore.services;
export type { ServicesApi, ServicesOperationFunction, ServicesWireOutput } from "./core/services";
/** The Services API (`/v1`) as entities: `Services.Currency`, `Services.IndexRateSource`, `Services.HoldConfig`, `Services.Card` (loaded on first use). */
export declare namespace Services {
  export import Currency = ServicesModule.Currency;
  export import AccountingRate = ServicesModule.AccountingRate;
  export import ExchangeRate = ServicesModule.ExchangeRate;
  export type CurrencyFields = ServicesModule.CurrencyFields;
  export import IndexRateSource = ServicesModule.IndexRateSource;
  export import IndexRate = ServicesModule.IndexRate;
  export type IndexRateSourceFields = ServicesModule.IndexRateSourceFields;
  export type IndexRateSourceType = ServicesModule.IndexRateSourceType;
  export import HoldConfig = ServicesModule.HoldConfig;
  export type HoldConfigFields = ServicesModule.HoldConfigFields;
  export import Card = ServicesModule.Card;
  export import CardHolds = ServicesModule.CardHolds;
  export import CardTransaction = ServicesModule.CardTransaction;
  export import CardTransactions = ServicesModule.CardTransactions;
  export import Hold = ServicesModule.Hold;
  export type CardAcceptor = ServicesModule.CardAcceptor;
  export type CardBalance = ServicesModule.CardBalance;
  export type CardTransactionInput = ServicesModule.CardTransactionInput;
  export type HoldInput = ServicesModule.HoldInput;
  export type HoldStatus = ServicesModule.HoldStatus;
  export import parseServicesDuration = ServicesModule.parseServicesDuration;
  export import formatServicesDuration = ServicesModule.formatServicesDuration;
  export type Amount = ServicesModule.Amount;
  export type AmountInput = ServicesModule.AmountInput;
  export type ServicesOptions = ServicesModule.ServicesOptions;
  export type CreateOptions = ServicesModule.CreateOptions;
  export import checkListQuery = ServicesModule.checkListQuery;
  export type TokenListOptions = ServicesModule.TokenListOptions;
}
/** Every operation of the Payments API (`/api/v1`): `payments.<resource>.<operationId>(...)` (loaded on first use). */
export declare const payments: typeof PaymentsCore.payments;
export type { PaymentsApi, PaymentsOperationFunction, PaymentsWireOutput } from "./core/payments";
/** The Payments API (`/api/v1`) as entities and checks: `Payments.CreditTransfer`, `Payments.StandingOrder`, `Payments.listenForCallouts`... (loaded on first use). */
export declare namespace Payments {
  export import CreditTransfer = PaymentsModule.CreditTransfer;
  export import Payment = PaymentsModule.Payment;
  export type CreditTransferFields = PaymentsModule.CreditTransferFields;
  export type PaymentStatus = PaymentsModule.PaymentStatus;
  export type SepaAmount = PaymentsModule.SepaAmount;
  export import Collection = PaymentsModule.Collection;
  export type CollectionFields = PaymentsModule.CollectionFields;
  export import StandingOrder = PaymentsModule.StandingOrder;
  export import AccountIdentification = PaymentsModule.AccountIdentification;
  export type AccountIdentificationFields = PaymentsModule.AccountIdentificationFields;
  export type AccountIdentificationListOptions = PaymentsModule.AccountIdentificationListOptions;
  export type AccountIdentificationMatch = PaymentsModule.AccountIdentificationMatch;
  export type AccountIdentificationSearch = PaymentsModule.AccountIdentificationSearch;
  export type AccountMapping = PaymentsModule.AccountMapping;
  export type InternalAccount = PaymentsModule.InternalAccount;
  export import BlockingRule = PaymentsModule.BlockingRule;
  export type CreditorMandate = PaymentsModule.CreditorMandate;
  export type PaymentsDay = PaymentsModule.PaymentsDay;
  export type StandingOrderExecution = PaymentsModule.StandingOrderExecution;
  export type StandingOrderFields = PaymentsModule.StandingOrderFields;
  export type StandingOrderFrequency = PaymentsModule.StandingOrderFrequency;
  export type StandingOrderPayment = PaymentsModule.StandingOrderPayment;
  export type StandingOrderSearch = PaymentsModule.StandingOrderSearch;
  export type StandingOrderStatus = PaymentsModule.StandingOrderStatus;
  export type PaymentsReadOptions = PaymentsModule.PaymentsReadOptions;
  export type PaymentsWriteOptions = PaymentsModule.PaymentsWriteOptions;
  export import checkBic = PaymentsModule.checkBic;
  export import checkEurAmount = PaymentsModule.checkEurAmount;
  export import checkIban = PaymentsModule.checkIban;
  export import checkSepaPayment = PaymentsModule.checkSepaPayment;
  export import checkSepaText = PaymentsModule.checkSepaText;
  export import maskIban = PaymentsModule.maskIban;
  export import SEPA_MAX_AMOUNT = PaymentsModule.SEPA_MAX_AMOUNT;
  export import SEPA_MAX_LENGTH = PaymentsModule.SEPA_MAX_LENGTH;
  export import checkCollection = PaymentsModule.checkCollection;
  export import checkCreditorIdentifier = PaymentsModule.checkCreditorIdentifier;
  export import SEQUENCE_TYPES = PaymentsModule.SEQUENCE_TYPES;
  export import listenForCallouts = PaymentsModule.listenForCallouts;
  export import DEFAULT_CALLOUT_MAX_BYTES = PaymentsModule.DEFAULT_CALLOUT_MAX_BYTES;
  export import DEFAULT_CALLOUT_QUEUE = PaymentsModule.DEFAULT_CALLOUT_QUEUE;
  export import MAX_CALLOUT_MAX_BYTES = PaymentsModule.MAX_CALLOUT_MAX_BYTES;
  export type CalloutListener = PaymentsModule.CalloutListener;
  export type CalloutListenerOptions = PaymentsModule.CalloutListenerOptions;
  export type CalloutRejection = PaymentsModule.CalloutRejection;
  export import calloutKind = PaymentsModule.calloutKind;
  export import Iso20022Error = PaymentsModule.Iso20022Error;
  export import ISO20022_URN = PaymentsModule.ISO20022_URN;
  export import MAX_MESSAGE_TRANSACTIONS = PaymentsModule.MAX_MESSAGE_TRANSACTIONS;
  export import parseCalloutMessage = PaymentsModule.parseCalloutMessage;
  export type CalloutMessage = PaymentsModule.CalloutMessage;
  export type CalloutMessageKind = PaymentsModule.CalloutMessageKind;
  export type Camt056Message = PaymentsModule.Camt056Message;
  export type CreditTransferInstruction = PaymentsModule.CreditTransferInstruction;
  export type Iso20022Amount = PaymentsModule.Iso20022Amount;
  export type Iso20022Party = PaymentsModule.Iso20022Party;
  export type Iso20022Reason = PaymentsModule.Iso20022Reason;
  export type Pacs002Message = PaymentsModule.Pacs002Message;
  export type Pacs008Message = PaymentsModule.Pacs008Message;
  export type PaymentCancellation = PaymentsModule.PaymentCancellation;
  export type TransactionStatus = PaymentsModule.TransactionStatus;
}
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
