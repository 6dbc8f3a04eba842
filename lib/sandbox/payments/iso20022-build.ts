/**
 * The gateway's outgoing ISO 20022 messages, in the versions the seed names: pacs.008.001.02 (FI-to-FI customer
 * credit transfer, one per credit transfer sent; the financial-institution transfer is sent as one too, its
 * debtor and creditor being institutions), pacs.002.001.03 (payment status report: the gateway's reject of a
 * received pacs.008 it cannot book) and camt.056.001.01 (FI-to-FI payment cancellation request: a sent credit
 * transfer whose debit was adjusted through API v2, ./cancellation.ts). Elements in the schema's order, SEPA usage: service level SEPA, charge bearer
 * SLEV, BIC in `FinInstnId/BIC` (`Othr/Id NOTPROVIDED` when the creditor agent is not given), amounts with the
 * currency's decimals in `Ccy`.
 *
 * No npm package ships the official XSDs (checked: `iso20022.js` and `sepa` ship none; the schemas are published
 * by iso20022.org), so the tests check these documents by parsing them and reading the required elements and
 * their order, not with `xmllint-wasm` against the XSD.
 */
import { buildXml, XmlNode } from "./iso20022-xml";

/** The `Message-Type` of a pacs.008 sent. */
export const PACS_008 = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02";
/** The `Message-Type` of a pacs.002 sent. */
export const PACS_002 = "urn:iso:std:iso:20022:tech:xsd:pacs.002.001.03";
/** The `Message-Type` of a camt.056 sent. */
export const CAMT_056 = "urn:iso:std:iso:20022:tech:xsd:camt.056.001.01";
/** The gateway's own BIC (instructing agent, and debtor agent when the request names none). */
export const GATEWAY_BIC = "SANDDEFFXXX";

/** A party of a transfer. */
export interface TransferParty {
  name?: string;
  iban?: string;
  other?: { identification: string; scheme: string };
  bic?: string;
  address?: { street?: string; buildingNumber?: string; postalCode?: string; city?: string; countryCode: string };
  /** Private identification (PartyIdentificationDTO.privateIdentification). */
  privateId?: string;
}

/** What a pacs.008 carries. */
export interface TransferMessage {
  messageId: string;
  /** Creation date-time (ISO with offset). */
  createdAt: string;
  /** Interbank settlement date (YYYY-MM-DD). */
  settlementDate: string;
  amount: string;
  currency: string;
  endToEndId: string;
  txId: string;
  instructionId?: string;
  settlementMethod: "INDA" | "INGA" | "CLRG";
  clearingSystem?: string;
  localInstrument?: string;
  categoryPurpose?: string;
  purpose?: string;
  debtor: TransferParty;
  creditor: TransferParty;
  ultimateDebtor?: string;
  ultimateCreditor?: string;
  remittanceUnstructured?: string;
  remittanceStructured?: { reference: string; issuer?: string; type?: string };
}

function agent(bic: string | undefined): XmlNode {
  return { FinInstnId: bic ? { BIC: bic } : { Othr: { Id: "NOTPROVIDED" } } };
}

function account(p: TransferParty): XmlNode | undefined {
  if (p.iban) return { Id: { IBAN: p.iban } };
  if (p.other) return { Id: { Othr: { Id: p.other.identification, SchmeNm: { Prtry: p.other.scheme } } } };
  return undefined;
}

function party(p: TransferParty): XmlNode {
  const a = p.address;
  const lines = a ? [[a.street, a.buildingNumber].filter(Boolean).join(" "), [a.postalCode, a.city].filter(Boolean).join(" ")].filter((l) => l !== "") : [];
  return {
    Nm: p.name,
    PstlAdr: a ? { Ctry: a.countryCode, ...(lines.length ? { AdrLine: lines.map((l) => l.slice(0, 70)) } : {}) } : undefined,
    Id: p.privateId ? { PrvtId: { Othr: { Id: p.privateId } } } : undefined,
  };
}

/** The pacs.008.001.02 document of a transfer. */
export function buildPacs008(m: TransferMessage): string {
  const pmtTpInf: XmlNode = {
    SvcLvl: { Cd: "SEPA" },
    LclInstrm: m.localInstrument ? { Cd: m.localInstrument } : undefined,
    CtgyPurp: m.categoryPurpose ? { Cd: m.categoryPurpose } : undefined,
  };
  const rmtInf: XmlNode | undefined = m.remittanceUnstructured
    ? { Ustrd: m.remittanceUnstructured }
    : m.remittanceStructured
      ? {
          Strd: {
            CdtrRefInf: {
              Tp: { CdOrPrtry: { Cd: m.remittanceStructured.type ?? "SCOR" }, Issr: m.remittanceStructured.issuer },
              Ref: m.remittanceStructured.reference,
            },
          },
        }
      : undefined;
  return buildXml("Document", {
    "@_xmlns": PACS_008,
    FIToFICstmrCdtTrf: {
      GrpHdr: {
        MsgId: m.messageId,
        CreDtTm: m.createdAt,
        NbOfTxs: "1",
        TtlIntrBkSttlmAmt: { "@_Ccy": m.currency, "#text": m.amount },
        IntrBkSttlmDt: m.settlementDate,
        SttlmInf: { SttlmMtd: m.settlementMethod, ClrSys: m.clearingSystem ? { Prtry: m.clearingSystem } : undefined },
        InstgAgt: { FinInstnId: { BIC: GATEWAY_BIC } },
      },
      CdtTrfTxInf: {
        PmtId: { InstrId: m.instructionId, EndToEndId: m.endToEndId, TxId: m.txId },
        PmtTpInf: pmtTpInf,
        IntrBkSttlmAmt: { "@_Ccy": m.currency, "#text": m.amount },
        ChrgBr: "SLEV",
        UltmtDbtr: m.ultimateDebtor ? { Nm: m.ultimateDebtor } : undefined,
        Dbtr: party(m.debtor),
        DbtrAcct: account(m.debtor),
        DbtrAgt: agent(m.debtor.bic ?? GATEWAY_BIC),
        CdtrAgt: agent(m.creditor.bic),
        Cdtr: party(m.creditor),
        CdtrAcct: account(m.creditor),
        UltmtCdtr: m.ultimateCreditor ? { Nm: m.ultimateCreditor } : undefined,
        Purp: m.purpose ? { Cd: m.purpose } : undefined,
        RmtInf: rmtInf,
      },
    },
  });
}

/** What a pacs.002 reject of one received transaction carries. */
export interface StatusReport {
  messageId: string;
  createdAt: string;
  original: { messageId: string; messageType: string; endToEndId?: string; txId?: string };
  status: "RJCT" | "ACSC";
  reasonCode?: string;
}

/** The pacs.002.001.03 document of a status report on one transaction. */
export function buildPacs002(r: StatusReport): string {
  return buildXml("Document", {
    "@_xmlns": PACS_002,
    FIToFIPmtStsRpt: {
      GrpHdr: { MsgId: r.messageId, CreDtTm: r.createdAt, InstgAgt: { FinInstnId: { BIC: GATEWAY_BIC } } },
      OrgnlGrpInfAndSts: { OrgnlMsgId: r.original.messageId, OrgnlMsgNmId: r.original.messageType.replace(/^urn:iso:std:iso:20022:tech:xsd:/, "") },
      TxInfAndSts: {
        OrgnlEndToEndId: r.original.endToEndId,
        OrgnlTxId: r.original.txId,
        TxSts: r.status,
        StsRsnInf: r.reasonCode ? { Rsn: { Cd: r.reasonCode } } : undefined,
      },
    },
  });
}

/** What a camt.056 cancellation request of one sent credit transfer carries. */
export interface CancellationRequest {
  /** `Assgnmt/Id`: the message id (also the `Message-Id` header). */
  messageId: string;
  /** `Assgnmt/CreDtTm` (ISO with offset). */
  createdAt: string;
  /** The BIC of the creditor's agent (the assignee), when the transfer named one. */
  assigneeBic?: string;
  /** `Undrlyg/TxInf/CxlId`. */
  cancellationId: string;
  original: {
    /** GrpHdr/MsgId of the pacs.008. */
    messageId: string;
    /** The pacs.008's Message-Type. */
    messageType: string;
    endToEndId: string;
    txId: string;
    amount: string;
    currency: string;
    /** IntrBkSttlmDt of the pacs.008 (YYYY-MM-DD). */
    settlementDate: string;
  };
  /** `CxlRsnInf/Rsn/Cd`: an ISO cancellation reason (CUST, DUPL, TECH, FRAD...). */
  reasonCode: string;
  /** `CxlRsnInf/AddtlInf` (at most 105 characters). */
  additionalInformation?: string;
}

/** The camt.056.001.01 document of a cancellation request (SEPA recall) of one sent transfer. */
export function buildCamt056(r: CancellationRequest): string {
  const o = r.original;
  return buildXml("Document", {
    "@_xmlns": CAMT_056,
    FIToFIPmtCxlReq: {
      Assgnmt: {
        Id: r.messageId,
        Assgnr: { Agt: { FinInstnId: { BIC: GATEWAY_BIC } } },
        Assgne: { Agt: agent(r.assigneeBic) },
        CreDtTm: r.createdAt,
      },
      CtrlData: { NbOfTxs: "1" },
      Undrlyg: {
        TxInf: {
          CxlId: r.cancellationId,
          OrgnlGrpInf: { OrgnlMsgId: o.messageId, OrgnlMsgNmId: o.messageType.replace(/^urn:iso:std:iso:20022:tech:xsd:/, "") },
          OrgnlEndToEndId: o.endToEndId,
          OrgnlTxId: o.txId,
          OrgnlIntrBkSttlmAmt: { "@_Ccy": o.currency, "#text": o.amount },
          OrgnlIntrBkSttlmDt: o.settlementDate,
          CxlRsnInf: {
            Orgtr: { Id: { OrgId: { BICOrBEI: GATEWAY_BIC } } },
            Rsn: { Cd: r.reasonCode },
            AddtlInf: r.additionalInformation?.slice(0, 105),
          },
        },
      },
    },
  });
}
