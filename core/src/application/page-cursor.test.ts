import * as fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { PageCursor } from "./page-cursor.js";

describe("a page cursor", () => {
  it("decodes to the position it was written from, whatever the sort value and key", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), fc.string(), (sort, key) => {
        const cursor = PageCursor.encode({ sort, key });
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(PageCursor.decode(cursor)).toEqual(E.right({ sort, key }));
      }),
    );
  });

  it("refuses what it did not write", () => {
    const forged = [
      "",
      "not a cursor",
      "bm90IGpzb24",
      PageCursor.encode({ sort: "a", key: "b" }).slice(0, -2),
      btoa(JSON.stringify(["a", 1])),
      btoa(JSON.stringify({ sort: "a", key: "b" })),
      "A".repeat(2_000),
      42,
      null,
    ];
    for (const input of forged)
      expect(E.isLeft(PageCursor.decode(input)), String(input)).toBe(true);
  });
});
