import {
  collect,
  describeCheckpointStoreContract,
  describeEventStoreContract,
  newEvents,
  uniqueCategory,
  uniqueName,
  uniqueStream,
  waitUntil,
} from "@mebel/store-contract";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, describe, expect, it } from "vitest";
import { connectEventStoreDb, type EventStoreDbConnection } from "./connect.js";
import { createEventStoreDbEventStore } from "./event-store.js";
import { CHECKPOINT_CATEGORY } from "./mapping.js";
import { describeServerCases } from "./server-cases.js";

/**
 * Runs only against a real server, named by EVENTSTORE_URL (for one started `--insecure`:
 * `esdb://localhost:2113?tls=false`). Without it the suites are reported as skipped.
 */
const url = process.env.EVENTSTORE_URL;

describe.skipIf(url === undefined || url === "")("EventStoreDB server", () => {
  // One client for the whole file: the 6.2.1 client shares batched-append state between clients.
  let connection: EventStoreDbConnection | undefined;
  const connected = (): EventStoreDbConnection => {
    connection ??= connectEventStoreDb(url as string);
    return connection;
  };
  afterAll(async () => {
    await connection?.dispose();
  });
  const keepOpen = async (): Promise<void> => {};

  describeEventStoreContract(
    "EventStoreDB",
    async () => ({ store: connected().eventStore, close: keepOpen }),
    // With `any` the server recognises a repeat only from a bounded in-memory cache.
    { idempotentAny: false },
  );

  describeCheckpointStoreContract("EventStoreDB", async () => ({
    store: connected().checkpointStore,
    close: keepOpen,
  }));

  // The cases the stand-in reproduces (stand-in-server-cases.test.ts), here against the server.
  describeServerCases("EventStoreDB", () => ({
    client: connected().client,
    store: connected().eventStore,
  }));

  describe("EventStoreDB adapter specifics", () => {
    it("keeps checkpoints out of readAll and head", async () => {
      const { eventStore, checkpointStore } = connected();
      const stream = uniqueStream();
      const appended = await eventStore.append(stream, newEvents(1), "no_stream");
      if (E.isLeft(appended)) throw new Error(appended.left.message);
      await checkpointStore.save(uniqueName("hidden"), 1n);
      expect(await eventStore.head()).toBe(appended.right.position);
      const page = await eventStore.readAll({ after: appended.right.position });
      expect(page.events.filter((e) => e.streamName.startsWith(`${CHECKPOINT_CATEGORY}-`))).toEqual(
        [],
      );
    });

    it("moves a quiet subscriber's position up to the head once it has caught up", async () => {
      const quietStore = createEventStoreDbEventStore(connected().client, {
        subscriptionTiming: { idleMinMs: 50, idleMaxMs: 200 },
      });
      const start = await quietStore.head();
      const seen = collect(quietStore, {
        ...(start === undefined ? {} : { after: start }),
        categories: [uniqueCategory("Quiet")],
      });
      const elsewhere = await quietStore.append(uniqueStream(), newEvents(3), "no_stream");
      if (E.isLeft(elsewhere)) throw new Error(elsewhere.left.message);
      const target = elsewhere.right.position;
      await waitUntil("the quiet subscriber passes the other category's events", () =>
        seen.batches.some((b) => b.position >= target),
      );
      await seen.subscription.stop();
      expect(seen.events).toEqual([]);
    });
  });
});
