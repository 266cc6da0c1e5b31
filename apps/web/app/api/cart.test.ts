import { describe, expect, it } from "vitest";
import { type CartOrder, cartRows } from "./cart.js";

const line = (lineId: string, sku: string, quantity: number, unitPrice: number) =>
  ({ lineId, sku, quantity, unitPrice }) as CartOrder["lines"][number];

describe("the cart's rows", () => {
  it("are one per product, whatever lines the warehouse keeps", () => {
    const order: CartOrder = {
      orderId: "o-1",
      total: 0,
      lines: [line("l1", "SOFA", 1, 100), line("l2", "LAMP", 2, 10), line("l3", "SOFA", 2, 100)],
    };
    expect(cartRows(order)).toEqual([
      { sku: "SOFA", quantity: 3, unitPrice: 100 },
      { sku: "LAMP", quantity: 2, unitPrice: 10 },
    ]);
  });
});
