import { describe, expect, it } from "vitest";
import { describeProblem, type Problem } from "./problems.js";

const refusal = (code: string, extra: Partial<Problem> = {}): Problem => ({
  status: 409,
  code,
  title: "Refused",
  ...extra,
});

describe("a refusal in words", () => {
  it("says how many are left, from the problem's details", () => {
    const p = refusal("INSUFFICIENT_STOCK", {
      details: { sku: "SOFA", requested: 3, available: 2 },
    });
    expect(describeProblem(p)).toBe("Sorry, only 2 left.");
  });

  it("says sold out when none are left", () => {
    const p = refusal("INSUFFICIENT_STOCK", { details: { available: 0 } });
    expect(describeProblem(p)).toBe("Sorry, this is sold out.");
  });

  it("names the fields a form got wrong, never the raw answer", () => {
    const p = refusal("INVALID_REQUEST", {
      errors: [{ path: "body.deliveryAddress", expected: "Text" }],
    });
    expect(describeProblem(p)).toBe("Please check: deliveryAddress.");
  });

  it("falls back on the service's own detail, then its title", () => {
    expect(describeProblem(refusal("SOMETHING_NEW", { detail: "Because." }))).toBe("Because.");
    expect(describeProblem(refusal("SOMETHING_NEW"))).toBe("Refused");
  });
});
