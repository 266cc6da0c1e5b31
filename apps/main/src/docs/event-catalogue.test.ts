import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { histories } from "../../../../core/src/test-support/histories.js";
import { consumers, consumersByType } from "./event-catalogue.js";

const catalogued = (): ReadonlySet<string> =>
  new Set([...consumersByType()].flatMap(([type, list]) => list.map((c) => `${c.name} / ${type}`)));

describe("the event catalogue's consumers", () => {
  it("name the warehouse queue for a removed line, though the fixtures remove another line than they add", () => {
    const removal = consumersByType().get("OrderItemRemoved") ?? [];
    expect(removal.map((c) => c.name)).toContain("warehouse-queue");
  });

  it("name every subscriber that does something with a type anywhere in a shop's history", () => {
    const listed = catalogued();
    const missing = new Set<string>();
    fc.assert(
      fc.property(histories({ settled: true }), ({ events }) => {
        for (const consumer of consumers()) {
          const handle = consumer.start();
          for (const recorded of events) {
            const pair = `${consumer.name} / ${recorded.event.type}`;
            if (handle(recorded) && !listed.has(pair)) missing.add(pair);
          }
        }
      }),
      { numRuns: 30 },
    );
    expect([...missing].sort()).toEqual([]);
  });
});
