/**
 * The Services API (`/v1`) as entities, exported as the `Services` namespace of mambu-ts (`Services.Currency`,
 * `Services.IndexRateSource`, `Services.HoldConfig`, `Services.Card`): distinct from API v2's `MambuCurrency`,
 * `MambuIndexRateSource` and `MambuCard`, over the same connector, configuration and errors.
 */
export { Currency, AccountingRate, ExchangeRate, type CurrencyFields } from "./currency";
export { IndexRateSource, IndexRate, type IndexRateSourceFields, type IndexRateSourceType } from "./index-rate-source";
export { HoldConfig, type HoldConfigFields } from "./hold-config";
export { Card, CardHolds, CardTransaction, CardTransactions, Hold, type CardAcceptor, type CardBalance, type CardTransactionInput, type HoldInput, type HoldStatus } from "./card";
export { parseServicesDuration, formatServicesDuration, type Amount, type AmountInput, type ServicesOptions, type CreateOptions } from "./wire";
export { checkListQuery, type TokenListOptions } from "../../core/token-list";
