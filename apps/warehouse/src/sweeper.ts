import {
  type Clock,
  type CommandBus,
  findOrphanedReservations,
  type Logger,
  type Observer,
  type ReadModelStore,
  readViews,
  reservationLedgerProjection,
  type SubscriberStatus,
  type SweepReport,
  silentLogger,
  sweepOrphans,
  sweepStatus,
  systemActor,
} from "@mebel/core";

export interface WarehouseSweeperDeps {
  readonly readModels: ReadModelStore;
  readonly bus: CommandBus;
  readonly clock: Clock;
  /** Pause between the end of one sweep and the start of the next. */
  readonly intervalMs: number;
  /** How long a reservation may wait for its line before it counts as orphaned. */
  readonly orphanGraceMs: number;
  readonly logger?: Logger;
  /** Told of every sweep and of what it repaired. */
  readonly observer?: Observer;
}

export interface WarehouseSweeper {
  /** One sweep now, whatever the timer says (for tools and tests). */
  readonly runOnce: () => Promise<SweepReport>;
  /** Its health, listed in /health beside the subscribers. */
  readonly status: () => SubscriberStatus;
  /** No further sweeps; resolves once the one under way, if any, has finished. */
  readonly stop: () => Promise<void>;
}

/**
 * Periodically settles reservations whose order line never came (docs/add-item.md): the fence,
 * then the release. Only the orphan part of `runSweeps`: requesting deliveries for assembled
 * orders is the delivery service's sweep. A failed sweep is logged and the next one tries again.
 */
export const startWarehouseSweeper = (deps: WarehouseSweeperDeps): WarehouseSweeper => {
  const logger = deps.logger ?? silentLogger;
  const ledger = readViews(reservationLedgerProjection, deps.readModels);
  const sweep = sweepOrphans(deps.bus);
  const health = sweepStatus("sweep.orphans", deps.observer);

  const runOnce = async (): Promise<SweepReport> => {
    const now = deps.clock.now();
    const orphans = findOrphanedReservations(
      (await ledger.all()).values(),
      now,
      deps.orphanGraceMs,
    );
    const report = await sweep(orphans, {
      correlationId: `orphan-sweep:${now.toISOString()}`,
      causationId: "orphan-sweep",
      ...systemActor("orphan-sweep"),
    });
    health.ran(report.released.length, report.failed);
    if (orphans.length > 0) {
      logger.info(
        {
          released: report.released.length,
          attached: report.attached.length,
          failed: report.failed,
        },
        "orphan sweep",
      );
    }
    return report;
  };

  // A timer, not clock.sleep: a test clock's sleep returns at once and would spin.
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const schedule = (): void => {
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) => {
          health.threw(error);
          logger.error({ error: String(error) }, "orphan sweep failed");
        })
        .finally(() => {
          if (!stopped) schedule();
        });
    }, deps.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    status: health.status,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
