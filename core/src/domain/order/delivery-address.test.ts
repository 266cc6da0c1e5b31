import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { DeliveryAddress, DeliveryAddressInput, formatAddress } from "./delivery-address.js";

const nevsky = {
  street: "Nevsky prospekt 28",
  city: "St Petersburg",
  postalCode: "191186",
  country: "RU",
};

describe("a delivery address as clients send it", () => {
  it("takes the structured form, a line for what does not fit being optional", () => {
    expect(DeliveryAddressInput.decode(nevsky)).toEqual(E.right({ ...nevsky, line: null }));
    expect(DeliveryAddressInput.decode({ ...nevsky, line: "door code 42" })).toEqual(
      E.right({ ...nevsky, line: "door code 42" }),
    );
  });

  it("takes the stored form back as it is, and the deprecated string as the whole line", () => {
    const stored = {
      street: null,
      city: null,
      postalCode: null,
      country: null,
      line: "Liteyny 10",
    };
    expect(DeliveryAddressInput.decode(stored)).toEqual(E.right(stored));
    expect(DeliveryAddressInput.decode("Liteyny 10")).toEqual(E.right(stored));
  });

  it("refuses what is neither", () => {
    for (const bad of [
      "   ",
      42,
      null,
      [],
      { ...nevsky, country: "Russia" },
      { ...nevsky, postalCode: "!" },
      { street: "Nevsky 28" },
      { street: null, city: null, postalCode: null, country: null, line: null },
    ]) {
      expect(E.isLeft(DeliveryAddressInput.decode(bad)), JSON.stringify(bad)).toBe(true);
    }
  });

  it("prints on one line for people", () => {
    const address = DeliveryAddressInput.decode({ ...nevsky, line: "door code 42" });
    expect(E.isRight(address) && DeliveryAddress.is(address.right)).toBe(true);
    if (E.isRight(address)) {
      expect(formatAddress(address.right)).toBe(
        "Nevsky prospekt 28, 191186 St Petersburg, RU, door code 42",
      );
    }
  });
});
