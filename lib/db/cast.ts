/**
 * How values come out of the server: DECIMAL columns as the library's `Decimal` (from the exact digits the
 * server sends, never through a JavaScript number), DATETIME/TIMESTAMP/DATE columns as luxon `DateTime` in
 * the tenant's zone (a backup stores naive local times), MySQL's zero dates (`0000-00-00`) as null.
 */
import { DateTime, Zone } from "luxon";
import { Decimal } from "../core/money";

/** What mysql2 hands a `typeCast` function (the part used here). */
export interface CastField {
  type: string;
  string(encoding?: string): string | null;
}

/** A mysql2 `typeCast` function. */
export type TypeCast = (field: CastField, next: () => unknown) => unknown;

/** Reads a naive `YYYY-MM-DD[ HH:MM:SS[.ffffff]]` in `zone`; null for NULL and zero dates. */
export function dateTimeOf(text: string | null, zone: string | Zone): DateTime | null {
  if (text === null || /^0000-00-00/.test(text)) return null;
  const d = DateTime.fromSQL(text, { zone });
  return d.isValid ? d : null;
}

/** A DECIMAL's digits as a Decimal; null for NULL. */
export function decimalOf(text: string | null): Decimal | null {
  return text === null ? null : new Decimal(text);
}

/** The `typeCast` of the read models' connections: Decimal and DateTime (see the module comment). */
export function typeCastFor(zone: string | Zone): TypeCast {
  return (field, next) => {
    switch (field.type) {
      case "DECIMAL":
      case "NEWDECIMAL":
        return decimalOf(field.string());
      case "DATETIME":
      case "DATETIME2":
      case "TIMESTAMP":
      case "TIMESTAMP2":
      case "DATE":
      case "NEWDATE":
        return dateTimeOf(field.string(), zone);
      default:
        return next();
    }
  };
}
