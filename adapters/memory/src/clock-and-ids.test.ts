import { describe, expect, it } from "vitest";
import { uuids } from "./clock-and-ids.js";

describe("uuids", () => {
  it("gives distinct version 4 UUIDs, across refills of its entropy", () => {
    const ids = Array.from({ length: 1_000 }, () => uuids.next());
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
