import { type Courier, CourierId, Product, unsafeDecode } from "@mebel/core";

/** A small furniture catalog: prices in cents. */
export const demoProducts: ReadonlyArray<Product> = [
  { sku: "SOFA-OSLO-3", name: "Oslo three-seat sofa", price: 89_900 },
  { sku: "CHAIR-EAMES", name: "Lounge chair, walnut", price: 129_000 },
  { sku: "TABLE-OAK-180", name: "Oak dining table, 180 cm", price: 74_500 },
  { sku: "LAMP-ARC", name: "Arc floor lamp", price: 15_900 },
  { sku: "BED-KING-ASH", name: "King bed, ash frame", price: 99_000 },
].map(unsafeDecode(Product));

export const demoStock: Readonly<Record<string, number>> = {
  "SOFA-OSLO-3": 4,
  "CHAIR-EAMES": 10,
  "TABLE-OAK-180": 3,
  "LAMP-ARC": 25,
  "BED-KING-ASH": 2,
};

export const demoCouriers: ReadonlyArray<Courier> = [
  { id: unsafeDecode(CourierId)("anna"), name: "Anna Petrova", capacity: 3 },
  { id: unsafeDecode(CourierId)("boris"), name: "Boris Ivanov", capacity: 2 },
];
