import { describe, expect, it } from "vitest";
import { formatMoney, formatWindow, parseMoney, statusWords } from "./format.js";

describe("a delivery window as shown", () => {
  it("says the day once and the hours from and to", () => {
    // The hours are the reader's: a window's instants at their local noon and afternoon.
    const from = new Date(2026, 11, 8, 10, 0);
    const to = new Date(2026, 11, 8, 14, 0);
    const shown = formatWindow({ from: from.toISOString(), to: to.toISOString() });
    expect(shown).toMatch(/8/);
    expect(shown).toMatch(/10.00.*14.00/);
    expect(shown.match(/8/g)?.length).toBe(1);
  });

  it("says an unknown window will be told", () => {
    expect(formatWindow(null)).toBe("time to be confirmed");
  });
});

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
