import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { CustomerId, OrderId } from "../shared/codecs.js";
import { customerOfOpening, isMailWanted } from "./mail-wanted.js";

const orderId = "order-1" as OrderId;
const customerId = "olga" as CustomerId;

describe("whom the mail sender mails", () => {
  it("the customer an order's stream opens with, and nobody when it opens otherwise", () => {
    expect(customerOfOpening({ type: "OrderCreated", data: { orderId, customerId } })).toBe(
      customerId,
    );
    expect(customerOfOpening({ type: "OrderAssembled", data: { orderId } })).toBeUndefined();
  });

  it("a kind the customer turned off is not sent; one left on, or unreadable preferences, is", () => {
    const off = E.right({ off: ["assembled" as const] });
    expect(isMailWanted(off, { kind: "assembled" })).toBe(false);
    expect(isMailWanted(off, { kind: "placed" })).toBe(true);
    expect(isMailWanted(E.left("corrupt"), { kind: "assembled" })).toBe(true);
  });
});
