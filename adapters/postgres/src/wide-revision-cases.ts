import { randomUUID } from "node:crypto";
import {
  type Clock,
  createCommandHandler,
  type Ids,
  loadAggregate,
  type Quantity,
  type Sku,
  stockItemAggregate,
  stockItemEvents,
  stockItemStream,
} from "@mebel/core";
import { newEvent } from "@mebel/store-contract";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { PostgresStores } from "./stores.js";

const clock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
const ids: Ids = { next: randomUUID };
const context = { correlationId: "wide", causationId: "wide" };

const INT4_MAX = 2n ** 31n - 1n;
/** The first integer a double cannot hold: a revision read through a number would come back 2^53. */
const PAST_DOUBLES = 2n ** 53n + 1n;

/**
 * Stream revisions near and past the limits of narrower types: a stream is started at a high
 * revision by writing its first row directly (no test can append two billion events), and from
 * there everything goes through the stores and the command handler as in production.
 */
export const wideRevisionCases = (
  name: string,
  withSchema: (work: (stores: PostgresStores, schema: string) => Promise<void>) => Promise<void>,
): void => {
  describe(`${name}: 64-bit stream revisions`, () => {
    /** A StockItem stream whose only event, 20 units received, sits at `revision`. */
    const startStream = async (
      stores: PostgresStores,
      schema: string,
      sku: Sku,
      revision: bigint,
    ): Promise<string> => {
      const streamName = stockItemStream(sku);
      const event = { type: "StockReceived" as const, data: { sku, quantity: 20 as Quantity } };
      await stores.client.query(
        `INSERT INTO "${schema}".events (position, stream_name, revision, event_id, type, data, metadata)
         SELECT coalesce(max(position), 0) + 1, $1, $2::bigint, $3::uuid, $4, $5::jsonb, $6::jsonb
           FROM "${schema}".events`,
        [
          streamName,
          revision.toString(),
          randomUUID(),
          event.type,
          JSON.stringify(stockItemEvents.encode(event)),
          JSON.stringify({
            correlationId: "seed",
            causationId: "seed",
            occurredAt: new Date().toISOString(),
            schemaVersion: 1,
          }),
        ],
      );
      return streamName;
    };

    it("decides, appends and reads across 2^31 with no loss", async () => {
      await withSchema(async (stores, schema) => {
        const sku = `WIDE-${randomUUID().slice(0, 8).toUpperCase()}` as Sku;
        const streamName = await startStream(stores, schema, sku, INT4_MAX - 1n);
        const handle = createCommandHandler({ store: stores.eventStore, clock, ids })(
          stockItemAggregate,
        );
        const revisions: bigint[] = [];
        for (let i = 0; i < 3; i += 1) {
          const received = await handle(
            { type: "ReceiveStock", sku, quantity: 1 as Quantity },
            context,
          )();
          if (E.isLeft(received)) throw new Error(received.left.message);
          revisions.push(received.right.revision);
        }
        expect(revisions).toEqual([INT4_MAX, INT4_MAX + 1n, INT4_MAX + 2n]);

        const forwards = await stores.eventStore.readStream(streamName);
        expect(forwards.map((e) => e.revision)).toEqual([
          INT4_MAX - 1n,
          INT4_MAX,
          INT4_MAX + 1n,
          INT4_MAX + 2n,
        ]);
        const backwards = await stores.eventStore.readStream(streamName, {
          direction: "backwards",
          fromRevision: INT4_MAX + 1n,
          maxCount: 2,
        });
        expect(backwards.map((e) => e.revision)).toEqual([INT4_MAX + 1n, INT4_MAX]);

        // Folded from the store alone, the state and its revision are exact.
        const loaded = await loadAggregate(stores.eventStore, stockItemAggregate, streamName);
        expect(E.isRight(loaded) && loaded.right.revision).toBe(INT4_MAX + 2n);
        expect(E.isRight(loaded) && loaded.right.state.onHand).toBe(23);

        // A lost race names the exact revision the stream is at.
        const stale = await stores.eventStore.append(
          streamName,
          [newEvent({ sku, quantity: 1 }, "StockReceived")],
          INT4_MAX,
        );
        expect(E.isLeft(stale) && stale.left.details.actual).toBe(INT4_MAX + 2n);
      });
    });

    it("keeps a snapshot past 2^31 and reads the events after it", async () => {
      await withSchema(async (stores, schema) => {
        const sku = `WIDE-${randomUUID().slice(0, 8).toUpperCase()}` as Sku;
        const streamName = await startStream(stores, schema, sku, INT4_MAX);
        const handle = createCommandHandler({ store: stores.eventStore, clock, ids })(
          stockItemAggregate,
        );
        await handle({ type: "ReceiveStock", sku, quantity: 1 as Quantity }, context)();
        await handle({ type: "ReceiveStock", sku, quantity: 1 as Quantity }, context)();
        await stores.snapshots.save(streamName, {
          revision: INT4_MAX + 1n,
          schema: 1,
          state: { held: "at 2^31" },
        });
        expect((await stores.snapshots.load(streamName))?.revision).toBe(INT4_MAX + 1n);
        const together = await stores.snapshots.withEvents?.load(streamName, 1);
        expect(together?.snapshot?.revision).toBe(INT4_MAX + 1n);
        expect(together?.events.map((e) => e.revision)).toEqual([INT4_MAX + 2n]);
      });
    });

    it("reads a revision past 2^53 exactly, where a double would round it", async () => {
      await withSchema(async (stores, schema) => {
        const sku = `WIDE-${randomUUID().slice(0, 8).toUpperCase()}` as Sku;
        const streamName = await startStream(stores, schema, sku, PAST_DOUBLES);
        const [first] = await stores.eventStore.readStream(streamName);
        expect(first?.revision).toBe(PAST_DOUBLES);
        const next = await stores.eventStore.append(
          streamName,
          [newEvent({ sku, quantity: 1 }, "StockReceived")],
          PAST_DOUBLES,
        );
        expect(E.isRight(next) && next.right.nextExpectedRevision).toBe(PAST_DOUBLES + 1n);
      });
    });
  });
};
