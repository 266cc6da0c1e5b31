import { createMetrics } from "@mebel/adapter-http";
import { createMemoryEventStore, systemClock, uuids } from "@mebel/adapter-memory";
import {
  createCommandHandler,
  LineId,
  lruStateCache,
  OrderId,
  Quantity,
  Sku,
  type StockItemCommand,
  type StockItemState,
  stockItemAggregate,
  stockItemDecider,
  unsafeDecode,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import type { Bench } from "./harness/bench.js";
import { type Operation, paired } from "./harness/measure.js";
import { benchSkus } from "./harness/stock-events.js";

/** In-process callers at once, each on SKUs of its own (the handler queues per stream anyway). */
const CALLERS = 16;
const SKUS_PER_CALLER = 8;
const commandContext = { correlationId: "bench", causationId: "bench" };
const one = unsafeDecode(Quantity)(1);

/**
 * The commands a busy StockItem sees, in a cycle that keeps its state small: receive a unit,
 * reserve it for a line, dispatch that line.
 */
const commandAt = (sku: Sku, turn: number): StockItemCommand => {
  const line = Math.floor(turn / 3);
  const lineId = unsafeDecode(LineId)(`line-${line}`);
  const orderId = unsafeDecode(OrderId)(`order-${line}`);
  switch (turn % 3) {
    case 0:
      return { type: "ReceiveStock", sku, quantity: one };
    case 1:
      return { type: "ReserveStock", sku, orderId, lineId, quantity: one };
    default:
      return { type: "DispatchReservation", sku, orderId, lineId };
  }
};

/** Each caller's SKUs in turn, and the next command of each SKU's cycle. */
const callers = () => {
  const skus = Array.from({ length: CALLERS }, (_, caller) =>
    benchSkus(`MEM-${caller}`, SKUS_PER_CALLER).map(unsafeDecode(Sku)),
  );
  const turns = new Map<Sku, number>();
  const next = new Array<number>(CALLERS).fill(0);
  return (caller: number): StockItemCommand => {
    const mine = skus[caller] as Sku[];
    const at = next[caller] as number;
    next[caller] = at + 1;
    const sku = mine[at % mine.length] as Sku;
    const turn = turns.get(sku) ?? 0;
    turns.set(sku, turn + 1);
    return commandAt(sku, turn);
  };
};

/**
 * Through createCommandHandler: from the cache, decide, append, cache. The store is replaced
 * every RESET commands, so what is timed is the command path, not a heap growing all run long.
 */
const RESET = 60_000;
const throughHandler = (options: { readonly metrics?: boolean } = {}): Operation => {
  // As main wires them: appends counted and timed, retries told; one registry for the whole run.
  const metrics = options.metrics === true ? createMetrics({ defaults: false }) : undefined;
  const fresh = () => ({
    handle: createCommandHandler({
      store:
        metrics === undefined
          ? createMemoryEventStore()
          : metrics.observeStore(createMemoryEventStore()),
      clock: systemClock,
      ids: uuids,
      cache: lruStateCache(),
      ...(metrics === undefined ? {} : { observer: metrics.observer }),
    })(stockItemAggregate),
    commands: callers(),
    count: 0,
  });
  let world = fresh();
  return async (caller) => {
    if (world.count++ >= RESET) world = fresh();
    const outcome = await world.handle(world.commands(caller), commandContext)();
    if (E.isLeft(outcome)) throw new Error(outcome.left.message);
    return 1;
  };
};

/** The domain alone: decide and evolve on states kept in a map, no store, no cache, no ids. */
const deciderOnly = (): Operation => {
  const states = new Map<string, StockItemState>();
  const commands = callers();
  return async (caller) => {
    const command = commands(caller);
    const state = states.get(command.sku) ?? stockItemDecider.initialState;
    const decided = stockItemDecider.decide(command, state);
    if (E.isLeft(decided)) throw new Error(decided.left.message);
    states.set(command.sku, decided.right.reduce(stockItemDecider.evolve, state));
    return 1;
  };
};

export const commandsMemory: Bench = {
  name: "commands-memory",
  run: async (context) => {
    context.log("commands-memory");
    const measured = await paired(context.profile, throughHandler(), deciderOnly(), CALLERS);
    context.report({
      bench: "commands-memory",
      name: `StockItem commands through the handler, ${CALLERS} callers`,
      store: "memory",
      unit: "commands/s",
      ...measured,
      baselineName: "decide + evolve only",
      target: { kind: "above", value: 100_000 },
    });
    context.log("commands-memory, metrics on");
    const observed = await paired(
      context.profile,
      throughHandler({ metrics: true }),
      throughHandler(),
      CALLERS,
    );
    context.report({
      bench: "commands-memory",
      name: `StockItem commands through the handler, ${CALLERS} callers, metrics on`,
      store: "memory",
      unit: "commands/s",
      ...observed,
      baselineName: "the same, metrics off",
      target: { kind: "ratio", atLeast: 0.9 },
    });
  },
};
