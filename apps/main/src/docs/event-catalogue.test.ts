import { MAIL_SENDER } from "@mebel/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { histories } from "../../../../core/src/test-support/histories.js";
import { consumers, consumersByType, eventCatalogue } from "./event-catalogue.js";

const catalogued = (): ReadonlySet<string> =>
  new Set([...consumersByType()].flatMap(([type, list]) => list.map((c) => `${c.name} / ${type}`)));

describe("the event catalogue's consumers", () => {
  it("name the warehouse queue for a removed line, though the fixtures remove another line than they add", () => {
    const removal = consumersByType().get("OrderItemRemoved") ?? [];
    expect(removal.map((c) => c.name)).toContain("warehouse-queue");
  });

  it("name the mail sender, run by the site, for what it mails about and whom it mails, and nothing else", () => {
    const byType = consumersByType();
    const mailing = [...byType]
      .filter(([, list]) => list.some((c) => c.name === MAIL_SENDER))
      .map(([type]) => type)
      .sort();
    expect(mailing).toEqual([
      "CourierAssigned",
      "DeliveryCompleted",
      "DeliveryFailed",
      "EmailPreferenceChanged",
      "OrderAssembled",
      "OrderCancelled",
      "OrderCreated",
      "OrderHandedToCourier",
      "OrderPlaced",
    ]);
    expect(byType.get("StockReserved")?.map((c) => c.name)).not.toContain(MAIL_SENDER);
    expect(consumers().find((c) => c.name === MAIL_SENDER)?.services).toEqual(["site"]);
  });

  it("give the mail preferences a section of their own, read by the mail sender", () => {
    const catalogue = eventCatalogue();
    expect(catalogue).toContain(
      "### `MailPreferences-<customerId>`\n\nEmitted by the MailPreferences decider (`core/src/domain/mail-preferences/mail-preferences.ts`), run by the site service's command handler.",
    );
    const row = catalogue
      .split("\n")
      .find((line) => line.startsWith("| `EmailPreferenceChanged` |"));
    expect(row).toContain('| v1 | `customerId`: CustomerId<br>`kind`: "placed" \\| ');
    expect(row).toContain("<br>`enabled`: boolean |");
    expect(row).toMatch(
      /\| process\.mail-sender \(process manager, reading the stream as it decides; site\) \|$/,
    );
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
