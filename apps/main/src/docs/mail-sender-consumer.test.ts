import {
  createMemoryAccountStore,
  createMemoryEventStore,
  createMemoryLocks,
  createMemoryOutbox,
  createMemoryReadModelStore,
  systemClock,
} from "@mebel/adapter-memory";
import {
  type Category,
  categoryOf,
  type DomainRecordedEvent,
  domainEvents,
  MAIL_KINDS,
  MAIL_SENDER,
  MAIL_SENDER_CATEGORIES,
  type MailKind,
  mailIntentOf,
  mailPreferencesStream,
  silentLogger,
  startMailSender,
} from "@mebel/core";
import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it, vi } from "vitest";
import { customerAccount } from "../../../../core/src/test-support/accounts.js";
import { histories } from "../../../../core/src/test-support/histories.js";
import { mailSenderConsumer } from "./mail-sender-consumer.js";

const at = (i: number) => `2026-01-01T00:00:${String(i).padStart(2, "0")}.000Z`;

const recorded = (streamName: string, i: number, type: string, data: object) =>
  ({
    streamName,
    revision: 0n,
    position: BigInt(i + 1),
    eventId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
    event: { type, data },
    metadata: { correlationId: "c", causationId: "c", occurredAt: at(i) },
  }) as unknown as DomainRecordedEvent;

const preference = (i: number, customerId: string, kind: MailKind, enabled: boolean) =>
  recorded(mailPreferencesStream(customerId as never), i, "EmailPreferenceChanged", {
    customerId,
    kind,
    enabled,
  });

const created = (i: number) =>
  recorded("Order-o-1", i, "OrderCreated", { orderId: "o-1", customerId: "olga" });

describe("the mail sender as the catalogue runs it", () => {
  it("mails about an order of a known customer, unless they turned that kind off", () => {
    const handle = mailSenderConsumer(["site"]).start();
    expect(handle(created(0))).toBe(true);
    expect(handle(recorded("Order-o-1", 1, "OrderPlaced", { orderId: "o-1", total: 100 }))).toBe(
      true,
    );
    expect(handle(preference(2, "olga", "assembled", false))).toBe(true);
    expect(handle(preference(3, "olga", "assembled", false))).toBe(false);
    expect(handle(recorded("Order-o-1", 4, "OrderAssembled", { orderId: "o-1" }))).toBe(false);
    expect(handle(recorded("Order-o-1", 5, "OrderProcessingStarted", { orderId: "o-1" }))).toBe(
      false,
    );
  });

  it("mails nobody about an order whose stream does not open with its creation", () => {
    const handle = mailSenderConsumer(["site"]).start();
    expect(handle(recorded("Order-o-2", 0, "OrderAssembled", { orderId: "o-2" }))).toBe(false);
    expect(handle(recorded("Delivery-o-2", 1, "DeliveryFailed", { orderId: "o-2" }))).toBe(false);
  });

  it("mails about the very events the real sender records in the outbox, on a shop's history", async () => {
    const choice = fc.tuple(fc.nat(), fc.constantFrom(...MAIL_KINDS));
    await fc.assert(
      fc.asyncProperty(
        histories({ settled: true, maxSteps: 40 }),
        fc.array(choice, { maxLength: 6 }),
        async ({ events }, choices) => {
          const customers = [
            ...new Set(
              events.flatMap(({ event }) =>
                event.type === "OrderCreated" ? [event.data.customerId as string] : [],
              ),
            ),
          ];
          // Preferences chosen before any order: the real sender reads them as they are now.
          const preferences =
            customers.length === 0
              ? []
              : choices.map(([n, kind], i) =>
                  preference(i, customers[n % customers.length] as string, kind, false),
                );
          const all = [...preferences, ...events];
          const store = createMemoryEventStore();
          // The sender's checkpoint moves only with the streams it follows.
          let followed: bigint | undefined;
          for (const e of all) {
            const version = domainEvents.has(e.event.type)
              ? domainEvents.versionOf(e.event.type)
              : 1;
            const data = domainEvents.has(e.event.type)
              ? domainEvents.encode(e.event)
              : e.event.data;
            const appended = await store.append(
              e.streamName,
              [
                {
                  eventId: e.eventId,
                  type: e.event.type,
                  data,
                  metadata: { ...e.metadata, schemaVersion: version },
                },
              ],
              "any",
            );
            if (
              E.isRight(appended) &&
              MAIL_SENDER_CATEGORIES.includes(categoryOf(e.streamName) as Category)
            ) {
              followed = appended.right.position;
            }
          }
          const accounts = createMemoryAccountStore();
          for (const id of customers) {
            await accounts.create(customerAccount(id));
          }
          const readModels = createMemoryReadModelStore();
          const outbox = createMemoryOutbox(readModels);
          const sender = startMailSender({
            store,
            readModels,
            outbox,
            accounts,
            clock: systemClock,
            locks: createMemoryLocks(),
            logger: silentLogger,
            from: "Mebel <shop@mebel.example>",
          });
          try {
            if (followed !== undefined) {
              await vi.waitFor(
                async () =>
                  expect((await readModels.checkpoint(MAIL_SENDER)) ?? -1n).toBeGreaterThanOrEqual(
                    followed as bigint,
                  ),
                { timeout: 10_000, interval: 10 },
              );
            }
          } finally {
            await sender.stop();
          }
          const kept = await Promise.all(all.map((e) => outbox.find(e.eventId)));
          const sent = all.filter((_, i) => kept[i] !== undefined).map((e) => e.eventId);

          const handle = mailSenderConsumer(["site"]).start();
          const mailed = all
            .filter((e) => handle(e) && mailIntentOf(e) !== undefined)
            .map((e) => e.eventId);
          expect(mailed).toEqual(sent);
        },
      ),
      // Each run starts the real sender: a failure is told as found, not shrunk for minutes.
      { numRuns: 20, endOnFailure: true },
    );
  });
});
