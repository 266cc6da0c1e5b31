import type { Courier } from "../processes/choose-courier.js";
import type { CourierId, CustomerId, MinorUnits, Quantity, Sku, Text } from "../shared/codecs.js";

/** Reference data of the simulated shop: what it sells, to whom, and who delivers. */
export const SKUS = ["SOFA-OSLO-3", "CHAIR-LUND", "TABLE-BERGEN-180", "BED-MOLDE-160"] as Sku[];
export const CUSTOMERS = ["cust-anna", "cust-bo", "cust-cleo", "cust-dag"] as CustomerId[];
export const PRICES = [4_990, 12_900, 49_900, 129_000] as MinorUnits[];
export const ADDRESSES = [
  "Storgata 1, Oslo",
  "Kungsgatan 12, Stockholm",
  "Nørregade 7, Aarhus",
] as Text[];
export const CANCEL_REASONS = ["Customer changed their mind", "Payment declined"] as Text[];
export const FAILURE_REASONS = ["Nobody at home", "Address not found"] as Text[];

export const COURIERS: ReadonlyArray<Courier> = [
  { id: "courier-ivan" as CourierId, name: "Ivan", capacity: 2 },
  { id: "courier-olga" as CourierId, name: "Olga", capacity: 1 },
  { id: "courier-pia" as CourierId, name: "Pia", capacity: 1 },
];

/** Goods in before the first customer: the shop opens with some of everything. */
export const OPENING_STOCK = 10 as Quantity;
export const OPENING_TIME = Date.parse("2026-03-02T09:00:00.000Z");

/** The `index`-th item, counting round: how a random number picks among what exists. */
export const choose = <A>(items: ReadonlyArray<A>, index: number): A | undefined =>
  items.length === 0 ? undefined : items[index % items.length];
