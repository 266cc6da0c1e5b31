import { Quantity, Sku, unsafeDecode } from "@mebel/core";
import { demoProducts, demoStock } from "@mebel/demo/demo-data";
import { addAccount, demoAccounts, generatedPassword } from "@mebel/runtime";
import * as E from "fp-ts/lib/Either.js";
import type { Shared } from "./prepare.js";

export interface SeedReport {
  readonly products: number;
  readonly stockItems: number;
}

/**
 * The demo furniture catalog and its stock, on first start only. Safe to run every start and to
 * interrupt: a product is created only if absent, and stock is received only into a StockItem
 * stream that does not exist yet (expected revision -1), so nothing is ever received twice.
 */
export const seedDemoData = async (shared: Shared): Promise<SeedReport> => {
  let products = 0;
  for (const product of demoProducts) {
    if (E.isRight(await shared.infra.products.create(product))) products += 1;
  }
  let stockItems = 0;
  const context = { correlationId: "seed", causationId: "seed", actor: "seed" };
  for (const [sku, units] of Object.entries(demoStock)) {
    const received = await shared.bus.stockItem(
      {
        type: "ReceiveStock",
        sku: unsafeDecode(Sku)(sku),
        quantity: unsafeDecode(Quantity)(units),
      },
      context,
      { expectedRevision: -1n },
    )();
    if (E.isRight(received)) stockItems += 1;
  }
  return { products, stockItems };
};

/**
 * The demo's accounts, on first start of the embedded demo only (never in distributed mode): with
 * `MEBEL_DEMO_PASSWORD` when given, else a password made now, handed back to be shown once.
 * Nothing happens when they exist already, so a later start neither changes nor shows anything.
 */
export const seedDemoAccounts = async (
  shared: Shared,
  courierId: string,
  given: string | undefined,
): Promise<{ readonly created: number; readonly password?: string }> => {
  const password = given ?? generatedPassword();
  let created = 0;
  for (const account of demoAccounts(courierId)) {
    if (E.isRight(await addAccount(shared.infra.accounts, { ...account, password }))) created += 1;
  }
  return created > 0 && given === undefined ? { created, password } : { created };
};
