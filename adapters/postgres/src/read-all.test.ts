import type { EventStore, Position, StoredEvent } from "@mebel/core";
import { newEvent, uniqueCategory } from "@mebel/store-contract";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPg } from "./pg-client.js";
import { openPglite } from "./pglite-client.js";
import type { SqlClient } from "./sql-client.js";
import { createPostgresStores, type PostgresStores } from "./stores.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

const rightOf = <A>(result: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

/** Every page of readAll after `after`, each event checked to come once and in order. */
const readPages = async (
  store: EventStore,
  after: Position | undefined,
  options: { categories?: ReadonlyArray<string>; maxCount?: number },
): Promise<StoredEvent[]> => {
  const events: StoredEvent[] = [];
  let from = after;
  for (;;) {
    const page = await store.readAll({
      ...options,
      ...(from === undefined ? {} : { after: from }),
    });
    events.push(...page.events);
    if (page.position !== undefined) from = page.position;
    if (page.isEnd) return events;
  }
};

const weirdData = {
  name: "Диван «Уют» — 120×200 см",
  astral: "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 𠜎 🛋️🪑",
  controls: "\u0001\u0007\b\t\n\u000b\f\r\u001b\u001f\u007f\u0085",
  separators: "\u2028\u2029\ufeff",
  quotes: `"'\\/`,
  "ключ 🔑": ["", 0, -1.5, 1e21, 2 ** 60, 0.1, 1.5e-7, true, false, null, {}, []],
  nested: { deeper: { deepest: [{ a: "ä" }] } },
};

/** Cases that look at how the PostgreSQL adapter builds a page, on one driver. */
const readAllCases = (name: string, open: () => Promise<SqlClient>, close: () => Promise<void>) => {
  describe(`${name}: readAll pages`, () => {
    let client: SqlClient;
    let stores: PostgresStores;
    beforeAll(async () => {
      client = await open();
      stores = await createPostgresStores({ client, schema: "read_all", closeClient: false });
    });
    afterAll(async () => {
      await stores.close();
      await client.close();
      await close();
    });

    it("hands over stream names, types and payloads exactly as readStream does", async () => {
      const category = uniqueCategory();
      const streams = [
        `${category}-"quoted", [bracketed]`,
        `${category}-back\\slash\\`,
        `${category}-ключ 🔑 ${"\u0001\t\n"}`,
        `${category}-a-b-c`,
      ];
      const start = await stores.eventStore.head();
      for (const [index, stream] of streams.entries()) {
        const events = [newEvent(weirdData, `Type "${index}" \\ ✓`), newEvent({ index })];
        rightOf(await stores.eventStore.append(stream, events, "no_stream"));
      }
      const fromStreams: StoredEvent[] = [];
      for (const stream of streams)
        fromStreams.push(...(await stores.eventStore.readStream(stream)));
      fromStreams.sort((a, b) => (a.position < b.position ? -1 : 1));

      for (const options of [{ categories: [category] }, {}, { categories: [category, "Other"] }]) {
        const read = await readPages(stores.eventStore, start, { ...options, maxCount: 3 });
        expect(read.filter((e) => e.streamName.startsWith(`${category}-`))).toEqual(fromStreams);
      }
    });

    it("lets nothing through an empty category list, and still reports how far it read", async () => {
      rightOf(await stores.eventStore.append(`${uniqueCategory()}-x`, [newEvent()], "no_stream"));
      const head = await stores.eventStore.head();
      const page = await stores.eventStore.readAll({ categories: [] });
      expect(page).toEqual({ events: [], position: head, isEnd: true });
    });

    it("reads pages of one, several or every category in one global order", async () => {
      const [x, y, z] = [uniqueCategory("X"), uniqueCategory("Y"), uniqueCategory("Z")];
      const start = await stores.eventStore.head();
      for (let round = 0; round < 7; round += 1) {
        for (const category of [x, y, z, y]) {
          const stream = `${category}-${round}-${Math.random()}`;
          rightOf(await stores.eventStore.append(stream, [newEvent({ round })], "no_stream"));
        }
      }
      const every = await readPages(stores.eventStore, start, {});
      const positions = every.map((e) => e.position);
      expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
      const of = (...categories: string[]) =>
        every.filter((e) => categories.some((c) => e.streamName.startsWith(`${c}-`)));
      for (const maxCount of [1, 2, 5, 1_000]) {
        expect(await readPages(stores.eventStore, start, { categories: [y], maxCount })).toEqual(
          of(y),
        );
        expect(
          await readPages(stores.eventStore, start, { categories: [x, z, x], maxCount }),
        ).toEqual(of(x, z));
      }
    });
  });
};

let database: TestDatabase | undefined;
readAllCases(
  "postgres",
  async () => {
    database = await createTestDatabase();
    return connectPg(database.url);
  },
  async () => {
    await database?.drop();
  },
);
readAllCases(
  "pglite",
  () => openPglite(),
  async () => {},
);
