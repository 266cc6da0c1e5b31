import { randomUUID } from "node:crypto";
import {
  assembledWithoutDelivery,
  type Clock,
  type CommandBus,
  type CommandContext,
  type EventStore,
  type Logger,
  loadAggregate,
  type OrderId,
  orderAggregate,
  orderStream,
  orderViewProjection,
  type ReadModelStore,
  readViews,
  silentLogger,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";

export interface SweepDeps {
  readonly readModels: ReadModelStore;
  /** The Order streams themselves: a lagging view must not request a cancelled order's delivery. */
  readonly store: EventStore;
  readonly bus: CommandBus;
  readonly clock: Clock;
  /** How long an assembled order may wait for its delivery request before the sweep asks. */
  readonly graceMs: number;
  readonly logger?: Logger;
}

export interface DeliverySweepReport {
  /** Orders a delivery was requested for by this sweep: each one a "lost order ready". */
  readonly requested: ReadonlyArray<OrderId>;
  /** The delivery existed after all (the order view lagged): nothing was written. */
  readonly alreadyRequested: ReadonlyArray<OrderId>;
  /** The view said assembled, the order's own stream no longer does (cancelled, handed over). */
  readonly skipped: ReadonlyArray<OrderId>;
  readonly failed: ReadonlyArray<{ readonly orderId: OrderId; readonly error: string }>;
}

const sweepContext = (): CommandContext => {
  const id = `delivery-sweep:${randomUUID()}`;
  return { correlationId: id, causationId: id, actor: "delivery-sweeper" };
};

/**
 * R3 once: every order the views show assembled for longer than the grace, with no delivery
 * event, gets a delivery requested. The view picks the candidates; the Order stream confirms each,
 * since the view may not have seen a cancellation yet. Requesting is idempotent in the Delivery
 * aggregate, so a sweep that races the process manager, or runs twice, writes nothing more.
 */
export const sweepOnce = async (
  deps: SweepDeps,
  context: CommandContext = sweepContext(),
): Promise<DeliverySweepReport> => {
  const views = await readViews(orderViewProjection, deps.readModels).all();
  const report = {
    requested: [] as OrderId[],
    alreadyRequested: [] as OrderId[],
    skipped: [] as OrderId[],
    failed: [] as Array<{ orderId: OrderId; error: string }>,
  };
  for (const { command } of assembledWithoutDelivery(
    views.values(),
    deps.clock.now(),
    deps.graceMs,
  )) {
    const { orderId } = command;
    const order = await loadAggregate(deps.store, orderAggregate, orderStream(orderId));
    if (E.isLeft(order)) {
      report.failed.push({ orderId, error: order.left.code });
      continue;
    }
    if (order.right.state.status !== "assembled") {
      report.skipped.push(orderId);
      continue;
    }
    const handled = await deps.bus.delivery(command, context)();
    if (E.isLeft(handled)) report.failed.push({ orderId, error: handled.left.code });
    else if (handled.right.events.length > 0) report.requested.push(orderId);
    else report.alreadyRequested.push(orderId);
  }
  return report;
};

export interface DeliverySweeperDeps extends SweepDeps {
  /** Time between the end of one sweep and the start of the next. */
  readonly intervalMs: number;
}

export interface RunningSweeper {
  /** Resolves once the sweep in progress, if any, has finished; no other starts. */
  readonly stop: () => Promise<void>;
}

/**
 * Sweeps now and then every `intervalMs` until stopped. Time between sweeps is kept by a timer,
 * not by the clock: a test's manual clock decides what "longer than the grace" means without
 * turning the loop into a busy one. A sweep that throws is logged and the next one runs anyway.
 */
export const startDeliverySweeper = (deps: DeliverySweeperDeps): RunningSweeper => {
  const logger = deps.logger ?? silentLogger;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();

  const sweep = async (): Promise<void> => {
    try {
      const report = await sweepOnce(deps);
      if (report.requested.length > 0 || report.failed.length > 0) {
        // Each request is an OrderAssembled the process manager did not act on in time.
        logger.warn({ sweep: "delivery", ...report }, "assembled orders without a delivery");
      }
    } catch (error) {
      logger.error({ sweep: "delivery", error: String(error) }, "delivery sweep failed");
    }
    if (stopped) return;
    timer = setTimeout(() => {
      sweeping = sweep();
    }, deps.intervalMs);
    // The service's server keeps the process alive; the sweeper alone should not.
    timer.unref();
  };

  sweeping = sweep();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await sweeping;
    },
  };
};
