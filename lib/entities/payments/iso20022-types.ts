/**
 * The ISO 20022 messages the Mambu Payment Gateway sends to a callout URL, as typed objects (see
 * ./iso20022-parse.ts and ./callout-listener.ts): a pacs.008 (an outgoing SEPA credit transfer), a camt.056 (a
 * request to cancel one already sent) and a pacs.002 (a payment status report, e.g. a collection rejected for a
 * blocked mandate). Amounts are exact `Decimal`s with their currency, times luxon `DateTime`s.
 */
import type { DateTime } from "luxon";
import type { Decimal } from "../../core/money";

/** The message kinds a callout carries, by their ISO 20022 name. */
export type CalloutMessageKind = "pacs.008" | "camt.056" | "pacs.002";

/** An amount with its currency, exactly as the message wrote it (`<IntrBkSttlmAmt Ccy="EUR">1500.00</IntrBkSttlmAmt>`). */
export interface Iso20022Amount {
  /** Exact. */
  value: Decimal;
  /** ISO 4217 code. */
  currency: string;
}

/** A party of a transfer: its name, account (IBAN) and bank (BIC of its agent). */
export interface Iso20022Party {
  name?: string;
  iban?: string;
  /** The BIC of the party's agent (`DbtrAgt`/`CdtrAgt`). */
  bic?: string;
}

/** Why something was cancelled or rejected: an ISO code (`AC04`, `DUPL`, `MS02`) or a proprietary one, and free text. */
export interface Iso20022Reason {
  code?: string;
  proprietary?: string;
  /** `AddtlInf` lines, in order. */
  additionalInformation: string[];
  /** Who gave the reason: a name, or a BIC. */
  originator?: string;
}

/** What every callout message has. */
interface CalloutMessageBase {
  kind: CalloutMessageKind;
  /** The `Message-Type` header: the document's namespace, e.g. `urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02`. */
  messageType: string;
  /** The message's id (`GrpHdr/MsgId`, or `Assgnmt/Id` of a camt.056): the `Message-Id` header. */
  messageId: string;
  /** `CreDtTm` (a time without an offset is read as UTC). */
  creationDateTime: DateTime;
  /** The XML document as received (to archive it, or to read a field this type does not carry). */
  xml: string;
}

/** One credit transfer of a pacs.008 (`CdtTrfTxInf`). */
export interface CreditTransferInstruction {
  instructionId?: string;
  endToEndId: string;
  transactionId: string;
  /** `IntrBkSttlmAmt`: the amount settled between the banks. */
  amount: Iso20022Amount;
  /** `ChrgBr` (`SLEV` under SEPA). */
  chargeBearer?: string;
  /** `PmtTpInf/SvcLvl/Cd` (`SEPA`). */
  serviceLevel?: string;
  debtor: Iso20022Party;
  creditor: Iso20022Party;
  /** `RmtInf/Ustrd` lines joined with a space. */
  remittanceInformation?: string;
  /** `RmtInf/Strd/CdtrRefInf/Ref`: a structured creditor reference (`RF18539007547034`). */
  creditorReference?: string;
  /** `Purp/Cd`. */
  purpose?: string;
}

/** A pacs.008 (FI-to-FI customer credit transfer): one or more outgoing SEPA credit transfers. */
export interface Pacs008Message extends CalloutMessageBase {
  kind: "pacs.008";
  /** `GrpHdr/NbOfTxs`: checked against the transfers received. */
  numberOfTransactions: number;
  /** `GrpHdr/TtlIntrBkSttlmAmt`: checked against the sum of the transfers when given. */
  totalAmount?: Iso20022Amount;
  /** `GrpHdr/IntrBkSttlmDt` (a date, UTC midnight). */
  settlementDate?: DateTime;
  /** `SttlmInf/SttlmMtd` (`CLRG`, `INDA`, ...). */
  settlementMethod?: string;
  /** `SttlmInf/ClrSys/Prtry` or `Cd` (`ST2`). */
  clearingSystem?: string;
  instructingAgentBic?: string;
  instructedAgentBic?: string;
  transfers: CreditTransferInstruction[];
}

/** One cancellation request of a camt.056 (`Undrlyg/TxInf`). */
export interface PaymentCancellation {
  cancellationId?: string;
  /** `OrgnlGrpInf/OrgnlMsgId`: the message of the payment to cancel. */
  originalMessageId?: string;
  /** `OrgnlGrpInf/OrgnlMsgNmId` (`pacs.008.001.02`). */
  originalMessageName?: string;
  originalInstructionId?: string;
  originalEndToEndId?: string;
  originalTransactionId?: string;
  /** `OrgnlIntrBkSttlmAmt`. */
  originalAmount?: Iso20022Amount;
  /** `OrgnlIntrBkSttlmDt`. */
  originalSettlementDate?: DateTime;
  /** `CxlRsnInf`. */
  reason: Iso20022Reason;
}

/** A camt.056 (FI-to-FI payment cancellation request). */
export interface Camt056Message extends CalloutMessageBase {
  kind: "camt.056";
  assignerBic?: string;
  assigneeBic?: string;
  /** `Case/Id`. */
  caseId?: string;
  /** `CtrlData/NbOfTxs`, when given (checked against the cancellations received). */
  numberOfTransactions?: number;
  cancellations: PaymentCancellation[];
}

/** The status of one transaction of a pacs.002 (`TxInfAndSts`). */
export interface TransactionStatus {
  statusId?: string;
  originalInstructionId?: string;
  originalEndToEndId?: string;
  originalTransactionId?: string;
  /** `TxSts` (`RJCT`, `ACCP`, ...). */
  status?: string;
  /** `StsRsnInf`, when given. */
  reason?: Iso20022Reason;
  /** `OrgnlTxRef/IntrBkSttlmAmt`. */
  originalAmount?: Iso20022Amount;
}

/** A pacs.002 (FI-to-FI payment status report). */
export interface Pacs002Message extends CalloutMessageBase {
  kind: "pacs.002";
  /** `OrgnlGrpInfAndSts/OrgnlMsgId`: the message reported on. */
  originalMessageId: string;
  /** `OrgnlGrpInfAndSts/OrgnlMsgNmId`. */
  originalMessageName?: string;
  /** `OrgnlGrpInfAndSts/GrpSts`. */
  groupStatus?: string;
  /** `OrgnlGrpInfAndSts/StsRsnInf`, when given. */
  groupReason?: Iso20022Reason;
  transactions: TransactionStatus[];
}

/** A message of a callout, typed by `kind`. */
export type CalloutMessage = Pacs008Message | Camt056Message | Pacs002Message;
