/**
 * Engine routes of deposit servicing (registered by ./routes.ts): fund blocks and seizures, the maturity period,
 * reopening, interest-rate changes and bulk deposits with their status. Each handler first matures the accounts
 * whose maturity date has come (./deposit-maturity.ts).
 */
import { EngineContext, EngineRequest, EngineResult, EngineRoute } from "./context";
import { createBlock, listBlocks, unblockFund } from "./deposit-blocks";
import { seizeBlockAmount } from "./deposit-seizure";
import { matureDueDeposits, startMaturity, undoMaturity } from "./deposit-maturity";
import { reopenDeposit } from "./deposit-reopen";
import { changeInterestRate } from "./deposit-rate";
import { getBulkStatus, makeBulkDeposits } from "./deposit-bulk";

type Handler = (ctx: EngineContext, r: EngineRequest) => EngineResult;

/** A route whose handler runs after the due maturities. */
function route(method: EngineRoute["method"], template: string, handle: Handler): EngineRoute {
  return {
    method,
    template,
    handle: (ctx, r) => {
      matureDueDeposits(ctx);
      return handle(ctx, r);
    },
  };
}

/** The routes of this area. */
export const routes: EngineRoute[] = [
  route("GET", "/deposits/{depositAccountId}/blocks", (ctx, r) => ({ status: 200, body: listBlocks(ctx, r.params.depositAccountId) })),
  route("POST", "/deposits/{depositAccountId}/blocks", (ctx, r) => ({ status: 201, body: createBlock(ctx, r.params.depositAccountId, r.body) })),
  route("DELETE", "/deposits/{depositAccountId}/blocks/{externalReferenceId}", (ctx, r) => {
    unblockFund(ctx, r.params.depositAccountId, r.params.externalReferenceId);
    return { status: 204 };
  }),
  route("POST", "/deposits/{depositAccountId}/seizure-transactions", (ctx, r) => ({ status: 201, body: seizeBlockAmount(ctx, r.params.depositAccountId, r.body) })),
  route("POST", "/deposits/{depositAccountId}:startMaturity", (ctx, r) => ({ status: 200, body: startMaturity(ctx, r.params.depositAccountId, r.body) })),
  route("POST", "/deposits/{depositAccountId}:undoMaturity", (ctx, r) => {
    undoMaturity(ctx, r.params.depositAccountId);
    return { status: 204 };
  }),
  route("POST", "/deposits/{depositAccountId}:reopen", (ctx, r) => ({ status: 200, body: reopenDeposit(ctx, r.params.depositAccountId) })),
  route("POST", "/deposits/{depositAccountId}:changeInterestRate", (ctx, r) => {
    changeInterestRate(ctx, r.params.depositAccountId, r.body);
    return { status: 204 };
  }),
  route("POST", "/deposits/deposit-transactions:bulk", (ctx, r) => makeBulkDeposits(ctx, r.body)),
  route("GET", "/bulks/{bulkProcessKey}", (ctx, r) => ({ status: 200, body: getBulkStatus(ctx, r.params.bulkProcessKey) })),
];
