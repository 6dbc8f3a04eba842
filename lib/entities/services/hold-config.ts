/**
 * `Services.HoldConfig`: how long a merchant's authorization holds last (`/v1/holds`); `"default"` names the
 * configuration of merchants without their own. Durations are luxon `Duration`s (`"604800s"` on the wire).
 */
import type { Duration } from "luxon";
import { MambuTsError } from "../../errors";
import { services } from "../../core/services";
import type { MambuList } from "../../core/list";
import { schemaFields, tokenList, type TokenListOptions } from "../../core/token-list";
import type { MambuConnector } from "../../transport/connector";
import { callOpts, formatServicesDuration, optStrOut, parseServicesDuration, strOut, type CreateOptions, type ServicesOptions } from "./wire";

/** The fields of a hold configuration, as given to create or update. */
export interface HoldConfigFields {
  /** The merchant's code, or `"default"`. */
  merchantCode: string;
  /** How long a hold lasts (a luxon Duration, or ISO 8601 text such as `"P7D"`). */
  duration: Duration | string;
  description?: string;
}

const HOLD_CONFIG_FIELDS = schemaFields("holdConfigs", "HoldConfig");

function configBody(f: HoldConfigFields): Record<string, unknown> {
  if (typeof f !== "object" || f === null || typeof f.merchantCode !== "string" || f.merchantCode === "") throw new MambuTsError("Services.HoldConfig: merchantCode must be a non-empty string");
  const out: Record<string, unknown> = { merchant_code: f.merchantCode, duration: formatServicesDuration(f.duration) };
  if (f.description !== undefined) out.description = f.description;
  return out;
}

/** A hold configuration of the Services API. `await Services.HoldConfig.default({ connector })`. */
export class HoldConfig {
  /** The merchant's code, or `"default"`. */
  readonly merchantCode: string;
  /** How long a hold lasts. */
  readonly duration: Duration;
  readonly description?: string;
  readonly #connector?: MambuConnector;

  /** @internal from the wire */
  constructor(r: Record<string, unknown>, connector?: MambuConnector) {
    this.merchantCode = strOut(r.merchant_code, "merchant_code");
    this.duration = parseServicesDuration(r.duration);
    this.description = optStrOut(r.description);
    this.#connector = connector;
  }

  /** The configuration of `merchantCode` (`"default"` for the default one). @throws MambuError (404) when there is none. */
  static async get(merchantCode: string, opts?: ServicesOptions): Promise<HoldConfig> {
    const o = callOpts(opts);
    return new HoldConfig((await services.holdConfigs.getHoldConfig({ merchant_code: merchantCode }, o)) as Record<string, unknown>, o.connector);
  }

  /** The default configuration (merchants without their own). */
  static default(opts?: ServicesOptions): Promise<HoldConfig> {
    return HoldConfig.get("default", opts);
  }

  /** Every configuration (a list promise); `filter`/`orderBy` on its fields. */
  static list(opts: TokenListOptions & ServicesOptions = {}): MambuList<HoldConfig> {
    const o = callOpts(opts);
    return tokenList("Services.HoldConfig.list", HOLD_CONFIG_FIELDS, opts, async (q) => {
      const page = (await services.holdConfigs.listHoldConfigs(q, o)) as Record<string, unknown>;
      return { items: page.configs, next_page_token: page.next_page_token, total: page.total };
    }, (r) => new HoldConfig(r, o.connector));
  }

  /** Creates a configuration. @throws MambuError (409) when the merchant has one. */
  static async create(fields: HoldConfigFields, opts?: CreateOptions): Promise<HoldConfig> {
    const o = callOpts(opts);
    return new HoldConfig((await services.holdConfigs.createHoldConfig({}, configBody(fields) as never, o)) as Record<string, unknown>, o.connector);
  }

  /** Replaces this configuration's duration and description. */
  async update(fields: Omit<HoldConfigFields, "merchantCode">, opts?: CreateOptions): Promise<HoldConfig> {
    const o = callOpts(opts, this.#connector);
    const body = configBody({ ...fields, merchantCode: this.merchantCode });
    return new HoldConfig((await services.holdConfigs.updateHoldConfig({ merchant_code: this.merchantCode }, body as never, o)) as Record<string, unknown>, o.connector);
  }

  /** Deletes this configuration. */
  async delete(opts?: ServicesOptions): Promise<void> {
    await services.holdConfigs.deleteHoldConfig({ merchant_code: this.merchantCode }, callOpts(opts, this.#connector));
  }
}
