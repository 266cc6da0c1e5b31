import { describe, expect, it } from "vitest";
import { isChange } from "./delivery-live.js";

describe("the delivery feed's events", () => {
  it("tells a change from the stream's comments", () => {
    expect(isChange('event: changed\ndata: {"position":"7"}')).toBe(true);
    expect(isChange(": ready")).toBe(false);
    expect(isChange(": heartbeat")).toBe(false);
    expect(isChange("event: changedness\ndata: {}")).toBe(false);
  });
});
