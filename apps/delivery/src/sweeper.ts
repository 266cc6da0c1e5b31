import { randomUUID } from "node:crypto";
import {
  type Clock,
  type CommandBus,
  type CommandContext,
  type DeliverySweepReport,
  type EventStore,
  type Logger,
  type Observer,
  type ReadModelStore,
  type SubscriberStatus,
  silentLogger,
  sweepMissingDeliveries,
  sweepStatus,
  systemActor,
} from "@mebel/core";

export interface SweepDeps {
  readonly readModels: ReadModelStore;
  /** The Order streams themselves: a lagging view must not request a cancelled order's delivery. */
  readonly store: EventStore;
  readonly bus: CommandBus;
  readonly clock: Clock;
  /** How long an assembled order may wait for its delivery request before the sweep asks. */
  readonly graceMs: number;
  readonly logger?: Logger;
  /** Told of every sweep and of what it repaired. */
  readonly observer?: Observer;
}

const sweepContext = (): CommandContext => {
  const id = `delivery-sweep:${randomUUID()}`;
  return { correlationId: id, causationId: id, ...systemActor("delivery-sweeper") };
};

/** R3 once, now: see `sweepMissingDeliveries` in the core. */
export const sweepOnce = (
  deps: SweepDeps,
  context: CommandContext = sweepContext(),
): Promise<DeliverySweepReport> =>
  sweepMissingDeliveries(deps, { now: deps.clock.now(), graceMs: deps.graceMs, context });

export interface DeliverySweeperDeps extends SweepDeps {
  /** Time between the end of one sweep and the start of the next. */
  readonly intervalMs: number;
}

export interface RunningSweeper {
  /** Its health, listed in /health beside the subscribers. */
  readonly status: () => SubscriberStatus;
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
  const health = sweepStatus("sweep.deliveries", deps.observer);

  const sweep = async (): Promise<void> => {
    try {
      const report = await sweepOnce(deps);
      health.ran(report.requested.length, report.failed);
      if (report.requested.length > 0 || report.failed.length > 0) {
        // Each request is an OrderAssembled the process manager did not act on in time.
        logger.warn({ sweep: "delivery", ...report }, "assembled orders without a delivery");
      }
    } catch (error) {
      health.threw(error);
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
    status: health.status,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await sweeping;
    },
  };
};
