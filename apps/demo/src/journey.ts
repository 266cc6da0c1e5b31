import {
  createMemoryCatalog,
  createMemoryEventStore,
  createMemoryLocks,
  createMemoryReadModelStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import {
  addItem,
  availabilityProjection,
  type CommandContext,
  CustomerId,
  commandBus,
  createCommandHandler,
  DeliveryAddress,
  deliveryAggregate,
  deliveryBoardProjection,
  deliveryStream,
  LineId,
  loadAggregate,
  lruStateCache,
  notificationsOfCustomer,
  notificationsProjection,
  OrderId,
  orderViewProjection,
  type Position,
  Quantity,
  readViews,
  Sku,
  startBackOffice,
  unsafeDecode,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { demoCouriers, demoProducts, demoStock } from "./demo-data.js";

const must = async <A>(what: string, task: TE.TaskEither<{ code: string; message: string }, A>) => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${what}: ${result.left.code}: ${result.left.message}`);
  return result.right;
};

const money = (cents: number): string => `${(cents / 100).toFixed(2)}`;

/**
 * One order's whole journey through the core on the in-memory store: every command goes through
 * the command handler, every reaction through the process managers, every view through the
 * projection runners, exactly as the services will wire them.
 */
export const runJourney = async (print: (line: string) => void) => {
  const store = createMemoryEventStore();
  const readModels = createMemoryReadModelStore();
  const bus = commandBus(
    createCommandHandler({ store, clock: systemClock, ids: uuids, cache: lruStateCache() }),
  );
  const catalog = createMemoryCatalog(demoProducts);
  const office = startBackOffice(
    { store, readModels, bus, clock: systemClock, locks: createMemoryLocks() },
    demoCouriers,
  );

  let printed: Position | undefined;
  const step = async (title: string, act: () => Promise<unknown>) => {
    print(`\n== ${title}`);
    await act();
    await office.settle();
    const page = await store.readAll(
      printed === undefined ? { maxCount: 10_000 } : { after: printed, maxCount: 10_000 },
    );
    for (const e of page.events) {
      print(`  #${e.position} ${e.streamName}@${e.revision} ${e.type} ${JSON.stringify(e.data)}`);
    }
    printed = page.position ?? printed;
  };

  const orderId = unsafeDecode(OrderId)(`order-${uuids.next().slice(0, 8)}`);
  const customerId = unsafeDecode(CustomerId)("customer-olga");
  const context: CommandContext = {
    correlationId: uuids.next(),
    causationId: "demo",
    actor: "demo",
  };
  const sku = unsafeDecode(Sku);
  const quantity = unsafeDecode(Quantity);

  await step("The warehouse receives stock", async () => {
    for (const [code, units] of Object.entries(demoStock)) {
      await must(
        "receive",
        bus.stockItem({ type: "ReceiveStock", sku: sku(code), quantity: quantity(units) }, context),
      );
    }
  });
  await step("Olga creates an order", () =>
    must("create", bus.order({ type: "CreateOrder", orderId, customerId }, context)),
  );
  await step(
    "She adds a sofa and two lamps: each reserves stock, then becomes an order line",
    async () => {
      const add = addItem({ bus, catalog });
      for (const [code, units] of [
        ["SOFA-OSLO-3", 1],
        ["LAMP-ARC", 2],
      ] as const) {
        const lineId = unsafeDecode(LineId)(uuids.next());
        await must(
          "add item",
          add({ orderId, lineId, sku: sku(code), quantity: quantity(units) }, context),
        );
      }
    },
  );
  await step("She places the order", () =>
    must(
      "place",
      bus.order(
        {
          type: "PlaceOrder",
          orderId,
          deliveryAddress: unsafeDecode(DeliveryAddress)({
            street: "Nevsky prospekt 28",
            city: "St Petersburg",
            postalCode: "191186",
            country: "RU",
            line: null,
          }),
        },
        context,
      ),
    ),
  );
  await step("The warehouse starts processing", () =>
    must("process", bus.order({ type: "StartProcessing", orderId }, context)),
  );
  await step(
    "The order is assembled: delivery is requested and a courier assigned by themselves",
    () => must("assemble", bus.order({ type: "MarkAssembled", orderId }, context)),
  );

  const delivery = await loadAggregate(store, deliveryAggregate, deliveryStream(orderId));
  const courierId =
    E.isRight(delivery) && delivery.right.state.status !== "none"
      ? delivery.right.state.courierId
      : null;
  if (courierId === null) throw new Error("no courier was assigned");

  await step(
    `The warehouse hands the order to ${courierId}: the delivery is picked up, the stock dispatched`,
    () => must("hand over", bus.order({ type: "HandToCourier", orderId, courierId }, context)),
  );
  await step("The courier delivers", () =>
    must("complete", bus.delivery({ type: "CompleteDelivery", orderId }, context)),
  );

  const view = await readViews(orderViewProjection, readModels).get(orderId);
  const notifications = notificationsOfCustomer(
    (await readViews(notificationsProjection, readModels).all()).values(),
    customerId,
  );
  const availability = await readViews(availabilityProjection, readModels).all();
  const board = await readViews(deliveryBoardProjection, readModels).all();

  print(`\n== What the site shows Olga`);
  if (view !== undefined) {
    print(`  order ${view.orderId}: ${view.status}, total ${money(view.total)}`);
    for (const entry of view.timeline) print(`    ${entry.occurredAt}  ${entry.summary}`);
  }
  print(`  notifications:`);
  for (const n of notifications) print(`    ${n.at}  ${n.message}`);
  print(`  availability:`);
  for (const [code, a] of availability) {
    print(
      `    ${code.padEnd(14)} on hand ${a.onHand}, reserved ${a.reserved}, available ${a.available}`,
    );
  }
  print(
    `  deliveries: ${[...board.values()].map((d) => `${d.orderId} ${d.status} (${d.courierId})`).join(", ")}`,
  );

  await office.stop();
  return { orderId, view, notifications, availability, board, store, readModels };
};
