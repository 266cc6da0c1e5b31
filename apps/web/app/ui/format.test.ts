import { describe, expect, it } from "vitest";
import { formatMoney, parseMoney, statusWords } from "./format.js";

describe("money as typed and shown", () => {
  it("reads whole units and cents into minor units", () => {
    expect(parseMoney("899")).toBe(89_900);
    expect(parseMoney("899.5")).toBe(89_950);
    expect(parseMoney(" 899,05 ")).toBe(89_905);
  });

  it("refuses what is not an amount", () => {
    for (const typed of ["", "-1", "1.234", "abc", "1e3"]) expect(parseMoney(typed)).toBeNaN();
  });

  it("shows minor units in the shop's currency", () => {
    expect(formatMoney(89_900)).toMatch(/899/);
    expect(formatMoney(89_900)).toMatch(/€|EUR/);
  });

  it("words a status, and shows one it does not know as it is", () => {
    expect(statusWords("out_for_delivery")).toBe("Out for delivery");
    expect(statusWords("brand_new")).toBe("brand_new");
  });
});
