/** Loan accounts (`/api/loans`). */
import { chain } from "../core/chain";
import { connectorOf, EntitySpec, listOf, MambuEntity, requestJson } from "../core/entity";
import { MambuError, MambuTsError } from "../core/errors";
import { MambuList } from "../core/list";
import { relate, setTransient } from "../core/relations";
import { structFromWire } from "../core/struct";
import type { LoanAccount } from "../generated/types/loans";
import { MambuBranch } from "./branch";
import { MambuCentre } from "./centre";
import { MambuClient } from "./client";
import { MambuGroup } from "./group";
import { MambuInstallment } from "./installment";
import { MambuProduct } from "./product";
import { MambuTransaction } from "./transaction";
import { MambuUser } from "./user";

/** A Mambu loan account. */
export class MambuLoan extends MambuEntity {
  static override resource = "loans";
  static override definition = "LoanAccount";
  static override spec: EntitySpec = {
    prefix: "loans",
    filters: ["branchId", "centreId", "accountState", "accountHolderType", "accountHolderId", "creditOfficerUsername"],
    sortBy: ["creationDate", "lastModifiedDate", "id", "loanName"],
    search: { filterDefinition: "LoanAccountFilterCriteria" },
    ownerType: "LOAN_ACCOUNT",
    writable: true,
  };

  /**
   * The repayment schedule (`GET /loans/{id}/schedule`) as `MambuInstallment[]`; also set as
   * `loan.schedule` (never sent back to Mambu).
   */
  getSchedule() {
    return chain(async () => {
      const { body } = await requestJson(connectorOf(this), { method: "GET", path: `${this.entityPath()}/schedule` });
      const installments = (body as { installments?: unknown } | undefined)?.installments;
      if (!Array.isArray(installments)) throw new MambuError(`malformed schedule from Mambu: no installments list`);
      const schedule = installments.map((raw) => structFromWire<MambuInstallment>(MambuInstallment, raw as Record<string, unknown>, this));
      setTransient(this, "schedule", schedule);
      return schedule;
    }, `${this.constructor.name}.schedule`);
  }

  /**
   * The loan's transactions (`GET /loans/{id}/transactions`, paginated like getAll); awaited,
   * they are also set as `loan.transactions`.
   */
  getTransactions(opts: { offset?: number; limit?: number; detailsLevel?: "BASIC" | "FULL"; paginationDetails?: "ON" | "OFF" } = {}): MambuList<MambuTransaction> {
    const list = listOf(MambuTransaction, { method: "GET", path: `${this.entityPath()}/transactions`, query: {} }, {
      ...opts, connector: connectorOf(this),
    });
    const loan = this;
    const original = list.toArray.bind(list);
    list.toArray = () => original().then((txs) => (setTransient(loan, "transactions", txs), txs));
    return list;
  }

  /** The account holder: a MambuClient or a MambuGroup by `accountHolderType` (also `loan.accountHolder`). */
  getAccountHolder() {
    const type = this.accountHolderType as string | undefined;
    if (type !== "CLIENT" && type !== "GROUP") {
      return chain<MambuClient | MambuGroup>(() => {
        throw new MambuTsError(`loan has accountHolderType ${JSON.stringify(type)}: expected CLIENT or GROUP`);
      });
    }
    return type === "CLIENT"
      ? relate<MambuClient | MambuGroup>(this, "accountHolder", "accountHolderKey", () => MambuClient)
      : relate<MambuClient | MambuGroup>(this, "accountHolder", "accountHolderKey", () => MambuGroup);
  }

  /** The loan product (also `loan.productType`). */
  getProductType() {
    return relate(this, "productType", "productTypeKey", () => MambuProduct);
  }
  /** The account this one was rescheduled/refinanced from (also `loan.originalAccount`). */
  getOriginalAccount() {
    return relate(this, "originalAccount", "originalAccountKey", () => MambuLoan);
  }
  /** The loan's branch (also `loan.assignedBranch`). */
  getAssignedBranch() {
    return relate(this, "assignedBranch", "assignedBranchKey", () => MambuBranch);
  }
  /** The loan's centre (also `loan.assignedCentre`). */
  getAssignedCentre() {
    return relate(this, "assignedCentre", "assignedCentreKey", () => MambuCentre);
  }
  /** The loan's credit officer (also `loan.assignedUser`). */
  getAssignedUser() {
    return relate(this, "assignedUser", "assignedUserKey", () => MambuUser);
  }
}
export interface MambuLoan extends LoanAccount {
  /** Set by getSchedule(). */
  schedule?: MambuInstallment[];
  /** Set when getTransactions() is awaited. */
  transactions?: MambuTransaction[];
  accountHolder?: MambuClient | MambuGroup;
  productType?: MambuProduct;
  originalAccount?: MambuLoan;
  assignedBranch?: MambuBranch;
  assignedCentre?: MambuCentre;
  assignedUser?: MambuUser;
  /** Flattened custom fields. */
  [customField: string]: unknown;
}
