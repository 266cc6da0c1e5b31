import { randomUUID } from "node:crypto";
import type { EventToAppend } from "@mebel/core";
import {
  collect,
  newEvent,
  newEvents,
  uniqueCategory,
  uniqueStream,
  waitUntil,
} from "@mebel/store-contract";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, migrate } from "./migrations.js";
import type { SqlClient } from "./sql-client.js";
import { createPostgresStores, type PostgresStores } from "./stores.js";
import { wideRevisionCases } from "./wide-revision-cases.js";

/**
 * How a test reaches a database the way another process would: for a server, a client of its
 * own; for PGlite, the one instance every store set in the process shares.
 */
export interface Driver {
  readonly connect: () => Promise<SqlClient>;
  readonly disconnect: (client: SqlClient) => Promise<void>;
}

const freshSchema = (): string => `s_${randomUUID().replaceAll("-", "").slice(0, 20)}`;

/** Opens stores as a separate process would, and hands them back closed after `work`. */
const withStores = async <T>(
  driver: Driver,
  options: { schema: string; pollIntervalMs?: number; listen?: boolean },
  work: (stores: PostgresStores) => Promise<T>,
): Promise<T> => {
  const connected = await driver.connect();
  const client: SqlClient =
    options.listen === false
      ? { ...connected, listen: () => Promise.reject(new Error("LISTEN is not available.")) }
      : connected;
  const stores = await createPostgresStores({
    client,
    schema: options.schema,
    closeClient: false,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  });
  try {
    return await work(stores);
  } finally {
    await stores.close();
    await driver.disconnect(connected);
  }
};

const appendOne = async (stores: PostgresStores, stream: string, event: EventToAppend) => {
  const result = await stores.eventStore.append(stream, [event], "any");
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

/** Subscribes live to a fresh category, has `append` write to it, and waits for the event. */
const expectLiveDelivery = async (
  reader: PostgresStores,
  append: (stream: string) => Promise<unknown>,
): Promise<void> => {
  const category = uniqueCategory();
  const seen = collect(reader.eventStore, { categories: [category] });
  // Past the catch-up read, so the event can only arrive through the live path.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await append(uniqueStream(category));
  await waitUntil("the live subscriber sees the event", () => seen.events.length === 1, 5_000);
  await seen.subscription.stop();
};

/** The client, counting the statements that append. */
const countingAppends = (client: SqlClient): { client: SqlClient; statements: () => number } => {
  let statements = 0;
  return {
    client: {
      ...client,
      query: (text, params, options) => {
        if (text.includes("append_batches")) statements += 1;
        return client.query(text, params, options);
      },
    },
    statements: () => statements,
  };
};

/** Behaviour the contract cannot see: migrations, group commit, wake-ups, schemas and
 * locks across processes. */
export const driverCases = (name: string, driver: () => Driver): void => {
  describe(`${name}: migrations`, () => {
    it("applies every migration once, and nothing when run again", async () => {
      const client = await driver().connect();
      try {
        const schema = freshSchema();
        expect(await migrate(client, schema)).toEqual(MIGRATIONS.map((m) => m.version));
        expect(await migrate(client, schema)).toEqual([]);
        const rows = await client.query<{ version: number }>(
          `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
        );
        expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        await driver().disconnect(client);
      }
    });

    it("lets two processes migrate the same schema at once", async () => {
      const schema = freshSchema();
      const clients = await Promise.all([driver().connect(), driver().connect()]);
      try {
        const applied = await Promise.all(clients.map((client) => migrate(client, schema)));
        expect(applied.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version));
        const [count] = await (clients[0] as SqlClient).query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${schema}".schema_migrations`,
        );
        expect(count?.n).toBe(MIGRATIONS.length);
      } finally {
        await Promise.all(clients.map((client) => driver().disconnect(client)));
      }
    });

    it("refuses a schema name it cannot use safely", async () => {
      const client = await driver().connect();
      try {
        await expect(migrate(client, 'evil"; DROP TABLE x; --')).rejects.toThrow(RangeError);
      } finally {
        await driver().disconnect(client);
      }
    });
  });

  describe(`${name}: when checkpoints last moved`, () => {
    it("tells another process a checkpoint's age from the stored time, and only a move resets it", async () => {
      const schema = freshSchema();
      const model = "order-view.v4";
      await withStores(driver(), { schema }, async (first) => {
        await first.readModels.commit(model, new Map([["o-1", { v: 1 }]]), 7n);
        // An hour passes for the store (its own clock, moved back rather than waited for).
        const client = await driver().connect();
        try {
          await client.query(
            `UPDATE "${schema}".read_model_checkpoints SET moved_at = moved_at - interval '1 hour'`,
          );
        } finally {
          await driver().disconnect(client);
        }
      });
      await withStores(driver(), { schema }, async (second) => {
        const age = (await second.readModels.checkpointAges()).get(model);
        expect(age?.seconds).toBeGreaterThanOrEqual(3600);
        expect(age?.movedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        await second.readModels.commit(model, new Map(), 7n);
        expect(
          (await second.readModels.checkpointAges()).get(model)?.seconds,
        ).toBeGreaterThanOrEqual(3600);
        await second.readModels.commit(model, new Map(), 8n);
        expect((await second.readModels.checkpointAges()).get(model)?.seconds).toBeLessThan(3600);
        await second.readModels.reset(model);
        expect((await second.readModels.checkpointAges()).has(model)).toBe(false);
      });
    });
  });

  describe(`${name}: group commit`, () => {
    it("sends the appends that arrive during a commit together in the next one", async () => {
      const counting = countingAppends(await driver().connect());
      const stores = await createPostgresStores({
        client: counting.client,
        schema: freshSchema(),
        closeClient: false,
      });
      try {
        const appended = await Promise.all(
          Array.from({ length: 20 }, () =>
            stores.eventStore.append(uniqueStream(), [newEvent(), newEvent()], "no_stream"),
          ),
        );
        // The first goes out alone at once; the other 19 queued behind it and share one commit.
        expect(counting.statements()).toBe(2);
        const positions = appended.map((result) =>
          E.isRight(result) ? result.right.position : -1n,
        );
        expect(positions).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(2 * i + 2)));
        const page = await stores.eventStore.readAll();
        expect(page.events.map((event) => event.position)).toEqual(
          Array.from({ length: 40 }, (_, i) => BigInt(i + 1)),
        );
      } finally {
        await stores.close();
      }
    });

    it("gives every append in one commit its own outcome, in the order they were made", async () => {
      await withStores(driver(), { schema: freshSchema() }, async (stores) => {
        const [a, b, c] = [uniqueStream(), uniqueStream(), uniqueStream()];
        const [first, second, third] = [newEvent(), newEvent(), newEvent()];
        const append = stores.eventStore.append;
        // A lone append first, so that all that follow queue up for one statement.
        const opener = append(uniqueStream(), [newEvent()], "any");
        const outcomes = await Promise.all([
          append(a, [first], "no_stream"),
          append(a, [second], 0n),
          append(a, [newEvent()], 0n),
          append(b, [third], "stream_exists"),
          append(a, [first], "any"),
          append(c, [newEvent(), { ...newEvent(), eventId: second.eventId }], "any"),
          append(a, [third], 1n),
        ]);
        await opener;
        const revisions = outcomes.map((result) =>
          E.isRight(result) ? result.right.nextExpectedRevision : result.left.details.actual,
        );
        expect(outcomes.map(E.isRight)).toEqual([true, true, false, false, true, false, true]);
        // A conflict reports the stream as the appends before it in the same commit left it.
        expect(revisions).toEqual([0n, 1n, 1n, "no_stream", 0n, "no_stream", 2n]);
        expect((await stores.eventStore.readStream(a)).map((e) => e.eventId)).toEqual([
          first.eventId,
          second.eventId,
          third.eventId,
        ]);
        // The half-known batch went in not at all, and left no hole in the log.
        expect(await stores.eventStore.readStream(c)).toEqual([]);
        const page = await stores.eventStore.readAll();
        expect(page.events.map((event) => event.position)).toEqual([1n, 2n, 3n, 4n]);
        expect(await stores.eventStore.head()).toBe(4n);
      });
    });

    it("fails only the append the database refuses, not the others of its commit", async () => {
      await withStores(driver(), { schema: freshSchema() }, async (stores) => {
        const append = stores.eventStore.append;
        const opener = append(uniqueStream(), [newEvent()], "any");
        const [before, refused, after] = await Promise.allSettled([
          append(uniqueStream(), [newEvent()], "no_stream"),
          // jsonb holds no NUL character, so PostgreSQL refuses this one.
          append(uniqueStream(), [newEvent({ text: "nul \u0000 inside" })], "no_stream"),
          append(uniqueStream(), [newEvent()], "no_stream"),
        ]);
        await opener;
        expect(refused?.status).toBe("rejected");
        expect(before?.status === "fulfilled" && E.isRight(before.value)).toBe(true);
        expect(after?.status === "fulfilled" && E.isRight(after.value)).toBe(true);
        expect(await stores.eventStore.head()).toBe(3n);
      });
    });
  });

  describe(`${name}: snapshots beside the events`, () => {
    it("reads a snapshot of the asked schema and the events after it in one statement", async () => {
      await withStores(driver(), { schema: freshSchema() }, async (stores) => {
        const load = stores.snapshots.withEvents?.load;
        if (load === undefined) throw new Error("The PostgreSQL snapshot store reads events too.");
        const stream = uniqueStream();
        const other = uniqueStream();
        await stores.eventStore.append(other, [newEvent()], "no_stream");
        expect(await load(stream, 1)).toEqual({ snapshot: undefined, events: [] });

        await stores.eventStore.append(stream, newEvents(5), "no_stream");
        const all = await stores.eventStore.readStream(stream);
        expect(await load(stream, 1)).toEqual({ snapshot: undefined, events: all });

        await stores.snapshots.save(stream, { revision: 2n, schema: 1, state: { held: "ёлка" } });
        expect(await load(stream, 1)).toEqual({
          snapshot: { revision: 2n, schema: 1, state: { held: "ёлка" } },
          events: all.slice(3),
        });
        // A snapshot of another schema is no base: the whole stream comes instead.
        expect(await load(stream, 2)).toEqual({ snapshot: undefined, events: all });

        await stores.snapshots.save(stream, { revision: 4n, schema: 1, state: { held: 5 } });
        expect(await load(stream, 1)).toEqual({
          snapshot: { revision: 4n, schema: 1, state: { held: 5 } },
          events: [],
        });
      });
    });

    it("reads concurrent loads of several streams together, each as a lone load reads it", async () => {
      const connected = await driver().connect();
      let statements = 0;
      const counting: SqlClient = {
        ...connected,
        query: (text, params, options) => {
          statements += 1;
          return connected.query(text, params, options);
        },
      };
      const stores = await createPostgresStores({
        client: counting,
        schema: freshSchema(),
        closeClient: false,
      });
      try {
        const load = stores.snapshots.withEvents?.load;
        if (load === undefined) throw new Error("The PostgreSQL snapshot store reads events too.");
        const [plain, snapped, otherSchema, atHead, missing] = Array.from({ length: 5 }, () =>
          uniqueStream(),
        ) as [string, string, string, string, string];
        for (const stream of [plain, snapped, otherSchema, atHead]) {
          await stores.eventStore.append(stream, newEvents(4), "no_stream");
        }
        await stores.snapshots.save(snapped, { revision: 1n, schema: 1, state: { n: 1 } });
        await stores.snapshots.save(otherSchema, { revision: 2n, schema: 2, state: { n: 2 } });
        await stores.snapshots.save(atHead, { revision: 3n, schema: 1, state: { n: 3 } });
        const streams = [plain, snapped, otherSchema, atHead, missing, plain];

        const alone = [];
        for (const stream of streams) alone.push(await load(stream, 1));
        expect(alone[1]?.snapshot?.revision).toBe(1n);
        expect(alone[1]?.events.map((e) => e.revision)).toEqual([2n, 3n]);
        expect(alone[4]).toEqual({ snapshot: undefined, events: [] });

        statements = 0;
        expect(await Promise.all(streams.map((stream) => load(stream, 1)))).toEqual(alone);
        // The first goes out at once, the others wait for it and share the next statement.
        expect(statements).toBe(2);
      } finally {
        await stores.close();
        await driver().disconnect(connected);
      }
    });
  });

  describe(`${name}: schemas, wake-ups and locks`, () => {
    it("keeps two schemas apart", async () => {
      const [a, b] = [freshSchema(), freshSchema()];
      const stream = uniqueStream();
      await withStores(driver(), { schema: a }, async (first) => {
        await withStores(driver(), { schema: b }, async (second) => {
          await appendOne(first, stream, newEvent());
          expect(await second.eventStore.readStream(stream)).toEqual([]);
          expect(await second.eventStore.head()).toBeUndefined();
        });
      });
    });

    it("wakes a live subscriber by NOTIFY, without waiting for the poll", async () => {
      await withStores(driver(), { schema: "mebel", pollIntervalMs: 60_000 }, (stores) =>
        expectLiveDelivery(stores, (stream) => appendOne(stores, stream, newEvent())),
      );
    });

    it("falls back to polling where LISTEN is not available", async () => {
      const options = { schema: "mebel", pollIntervalMs: 50, listen: false };
      await withStores(driver(), options, (stores) =>
        expectLiveDelivery(stores, (stream) => appendOne(stores, stream, newEvent())),
      );
    });

    it("sees an event appended by another process", async () => {
      await withStores(driver(), { schema: "mebel" }, (reader) =>
        expectLiveDelivery(reader, (stream) =>
          withStores(driver(), { schema: "mebel" }, (writer) =>
            appendOne(writer, stream, newEvent()),
          ),
        ),
      );
    });

    it("holds a lock against another process until released or closed", async () => {
      const name = `lock-${randomUUID()}`;
      await withStores(driver(), { schema: "mebel" }, async (other) => {
        await withStores(driver(), { schema: "mebel" }, async (holder) => {
          const release = await holder.locks.tryAcquire(name);
          expect(release).toBeDefined();
          expect(await other.locks.tryAcquire(name)).toBeUndefined();
          await release?.();
          const taken = await other.locks.tryAcquire(name);
          expect(taken).toBeDefined();
          await taken?.();
          expect(await holder.locks.tryAcquire(name)).toBeDefined();
        });
        // The holder closed without releasing: closing frees its locks.
        const after = await other.locks.tryAcquire(name);
        expect(after).toBeDefined();
        await after?.();
      });
    });
  });

  wideRevisionCases(name, (work) => {
    const schema = freshSchema();
    return withStores(driver(), { schema }, (stores) => work(stores, schema));
  });
};
