/**
 * `StandingOrder.create`'s `ownerId` is the order's free owner id (the seed's "some-owner-id"), not the account that
 * pays (the gateway debits the account mapped to the debtor IBAN): a missing one is refused before sending with a
 * message that says so.
 */
import nock from "nock";
import { Decimal, MambuTsError, Payments } from "../../lib";
import { testConnector } from "../helpers/mambu";

beforeAll(() => nock.disableNetConnect());

const ORDER = {
  frequency: "MONTHLY" as const,
  startDate: "2026-01-01",
  payment: {
    debtorAccount: { identification: { iban: "DE89370400440532013000" } },
    debtorName: "Josefa Alas",
    creditorAccount: { identification: { iban: "FR1420041010050500013M02606" } },
    creditorName: "Landlord",
    instructedAmount: { amount: new Decimal("500"), currency: "EUR" as const },
  },
};

test.each(["", undefined])("ownerId %p is refused before sending, the message saying it is a free owner id and which account pays", async (ownerId) => {
  const err = await Payments.StandingOrder.create({ ...ORDER, ownerId: ownerId as string }, { connector: testConnector({ apikey: "k" }) }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MambuTsError);
  expect((err as Error).message).toContain("ownerId: give the order's owner id (a free identifier");
  expect((err as Error).message).toContain("the account debited is the one mapped to payment.debtorAccount's IBAN");
});
