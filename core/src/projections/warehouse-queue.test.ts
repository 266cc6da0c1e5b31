import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { orderDecider } from "../domain/order/order.js";
import { delivery, order } from "../test-support/events.js";
import { foldStreams, histories } from "../test-support/histories.js";
import { projectionLaws, propertyRuns } from "../test-support/projection-laws.js";
import { type EventInput, givenEvents, recordEvents } from "../testing/projection.js";
import { replay } from "./projection.js";
import {
  openWarehouseWork,
  type WarehouseStage,
  warehouseQueueProjection,
} from "./warehouse-queue.js";

const o1 = order("o-1");
const o2 = order("o-2");
const o3 = order("o-3");
const sofa = { lineId: "l-1", sku: "SOFA-OSLO-3", quantity: 1 };

describe("warehouse queue", () => {
  it("gives a placed order to process with its picking list", () => {
    givenEvents(
      warehouseQueueProjection,
      ...recordEvents([
        o1.created("cust-anna"),
        o1.itemAdded("l-1", "SOFA-OSLO-3", 1, 129_000),
        o1.itemAdded("l-2", "CHAIR-LUND", 4, 4_990),
        o1.itemRemoved("l-2", "CHAIR-LUND", 4),
        o1.itemAdded("l-3", "CHAIR-LUND", 2, 4_990),
        o1.placed("Storgata 1, Oslo", 138_980),
      ]),
    ).thenDocument("o-1", {
      orderId: "o-1",
      stage: "to_process",
      lines: [sofa, { lineId: "l-3", sku: "CHAIR-LUND", quantity: 2 }],
      placedAt: "2026-01-05T09:05:00.000Z",
    });
  });

  it.each<[string, ReadonlyArray<EventInput>, WarehouseStage]>([
    ["processing starts", [o1.processingStarted()], "processing"],
    [
      "it is assembled and awaits the courier",
      [o1.processingStarted(), o1.assembled()],
      "assembled",
    ],
    [
      "the courier takes it",
      [o1.processingStarted(), o1.assembled(), o1.handedToCourier("courier-ivan", sofa)],
      "done",
    ],
    [
      "it is cancelled",
      [o1.processingStarted(), o1.cancelled("Payment declined", sofa)],
      "cancelled",
    ],
  ])("moves an order on when %s", (_, then, stage) => {
    givenEvents(
      warehouseQueueProjection,
      ...recordEvents([
        o1.created("cust-anna"),
        o1.itemAdded("l-1", "SOFA-OSLO-3", 1, 129_000),
        o1.placed("Storgata 1, Oslo", 129_000),
        ...then,
      ]),
    ).thenDocument("o-1", { stage });
  });

  it("lists open work, the longest placed first, whole or by stage", () => {
    const placed = (o: typeof o1, lineId: string) => [
      o.created("cust-anna"),
      o.itemAdded(lineId, "SOFA-OSLO-3", 1, 100),
      o.placed("Storgata 1, Oslo", 100),
    ];
    givenEvents(
      warehouseQueueProjection,
      ...recordEvents([
        ...placed(o2, "l-2"),
        ...placed(o1, "l-1"),
        ...placed(o3, "l-3"),
        order("o-4").created("cust-bo"),
        o1.processingStarted(),
        o3.cancelled("Payment declined"),
      ]),
    )
      .thenQuery((docs) => openWarehouseWork(docs).map((d) => d.orderId), ["o-2", "o-1"])
      .thenQuery((docs) => openWarehouseWork(docs, "processing").map((d) => d.orderId), ["o-1"]);
  });

  it("reads only Order streams", () => {
    givenEvents(
      warehouseQueueProjection,
      ...recordEvents([delivery("o-1").requested()]),
    ).thenDocuments({});
  });

  it("agrees with the Order aggregate on stage and lines, over any history", () => {
    const stageOf: Record<string, WarehouseStage> = {
      draft: "draft",
      placed: "to_process",
      processing: "processing",
      assembled: "assembled",
      handed_to_courier: "done",
      cancelled: "cancelled",
    };
    fc.assert(
      fc.property(histories(), ({ events }) => {
        const queue = [...replay(warehouseQueueProjection, events)];
        const orders = [...foldStreams(events, "Order", orderDecider)];
        expect(
          Object.fromEntries(
            queue.map(([id, { stage, lines }]) => [
              id,
              { stage, lines: lines.map((l) => l.lineId).sort() },
            ]),
          ),
        ).toEqual(
          Object.fromEntries(
            orders.map(([id, s]) => [
              id,
              s.status === "none"
                ? s
                : { stage: stageOf[s.status], lines: Object.keys(s.lines).sort() },
            ]),
          ),
        );
      }),
      propertyRuns,
    );
  });
});

projectionLaws(warehouseQueueProjection);
