import { randomUUID } from "node:crypto";
import { systemClock, uuids } from "@mebel/adapter-memory";
import {
  addressFromLine,
  backOfficeProjections,
  type Courier,
  type CustomerId,
  commandBus,
  createCommandHandler,
  decodeBatch,
  type LineId,
  type OrderId,
  type Quantity,
  readViews,
  replay,
  type Sku,
  type StoredEvent,
  startBackOffice,
  type Text,
} from "@mebel/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPg } from "./pg-client.js";
import { createPostgresStores, type PostgresStores } from "./stores.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

const couriers: ReadonlyArray<Courier> = [{ id: "anna", name: "Anna", capacity: 2 } as Courier];
const ctx = { correlationId: "pg-projections", causationId: "test" };

describe("projections and process managers on the PostgreSQL server", () => {
  let database: TestDatabase;
  const opened: PostgresStores[] = [];
  const open = async () => {
    const stores = await createPostgresStores({ client: connectPg(database.url) });
    opened.push(stores);
    return stores;
  };
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const stores of opened) await stores.close();
    await database.drop();
  });

  it("run on one instance at a time, resume where they stopped, and equal a replay from zero", async () => {
    // Two "processes": each its own connections, locks and runners, sharing one database.
    const [a, b] = [await open(), await open()];
    const busOf = (s: PostgresStores) =>
      commandBus(createCommandHandler({ store: s.eventStore, clock: systemClock, ids: uuids }));
    const deps = (s: PostgresStores) => ({
      store: s.eventStore,
      readModels: s.readModels,
      locks: s.locks,
      bus: busOf(s),
      clock: systemClock,
    });
    const first = startBackOffice(deps(a), couriers);
    while (!first.status().every((s) => s.state === "running")) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Started once the first holds every lock: it can only stand by.
    const second = startBackOffice(deps(b), couriers);

    const bus = busOf(a);
    const sku = "SOFA-OSLO-3" as Sku;
    await bus.stockItem({ type: "ReceiveStock", sku, quantity: 50 as Quantity }, ctx)();
    const journey = async (i: number) => {
      const orderId = `o-${i}-${randomUUID().slice(0, 6)}` as OrderId;
      await bus.order({ type: "CreateOrder", orderId, customerId: `c-${i}` as CustomerId }, ctx)();
      const lineId = randomUUID() as LineId;
      await bus.stockItem(
        { type: "ReserveStock", sku, orderId, lineId, quantity: 1 as Quantity },
        ctx,
      )();
      await bus.order(
        { type: "AddItem", orderId, lineId, sku, quantity: 1 as Quantity, unitPrice: 100 } as never,
        ctx,
      )();
      await bus.order(
        { type: "PlaceOrder", orderId, deliveryAddress: addressFromLine("Here 1" as Text) },
        ctx,
      )();
      await bus.order({ type: "StartProcessing", orderId }, ctx)();
      await bus.order({ type: "MarkAssembled", orderId }, ctx)();
    };
    await Promise.all(Array.from({ length: 6 }, (_, i) => journey(i)));
    await first.settle();
    expect(second.status().every((s) => s.state === "standby")).toBe(true);
    expect(first.status().every((s) => s.state === "running")).toBe(true);

    // The active instance stops; the standby takes over and carries on from the checkpoints.
    await first.stop();
    await Promise.all(Array.from({ length: 4 }, (_, i) => journey(10 + i)));
    await second.settle();
    expect(second.status().every((s) => s.state === "running")).toBe(true);
    await second.stop();

    const events: StoredEvent[] = [];
    for (let page = await a.eventStore.readAll({ maxCount: 10_000 }); ; ) {
      events.push(...page.events);
      if (page.isEnd || page.position === undefined) break;
      page = await a.eventStore.readAll({ after: page.position, maxCount: 10_000 });
    }
    const decoded = decodeBatch(events);
    expect(decoded.filter((e) => e.event.type === "CourierAssigned")).toHaveLength(2);
    for (const projection of backOfficeProjections) {
      expect(await readViews(projection, a.readModels).all(), projection.name).toEqual(
        replay(projection, decoded),
      );
    }
  }, 60_000);
});
