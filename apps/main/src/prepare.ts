import { createLogger, type Logger } from "@mebel/adapter-http";
import { systemClock, uuids } from "@mebel/adapter-memory";
import {
  type AnyProcessManager,
  type AnyProjection,
  type CommandBus,
  commandBus,
  createCommandHandler,
  type RunningSubscribers,
  type StateCache,
  snapshottingCache,
  startSubscribers,
} from "@mebel/core";
import {
  type AuthSettings,
  type Infrastructure,
  type InfrastructureOptions,
  openInfrastructure,
  type Settings,
} from "@mebel/runtime";
import { type Access, prepareAccess } from "./access.js";

/** What every service in a process shares: the stores, one command handler, one cache. */
export interface Shared {
  readonly settings: Settings;
  readonly infra: Infrastructure;
  readonly bus: CommandBus;
  readonly cache: StateCache;
  readonly logger: Logger;
  /** Who may call the services of this process. */
  readonly access: Access;
  /** Projections and process managers already running here, by name: each runs once per process. */
  readonly running: Set<string>;
}

export const prepare = async (
  settings: Settings,
  auth: AuthSettings,
  runsSite: boolean,
  options: InfrastructureOptions = {},
): Promise<Shared> => {
  const infra = await openInfrastructure(settings, options);
  const access = await prepareAccess(auth, {
    runsSite,
    host: settings.host,
    accounts: infra.accounts,
  }).catch(async (error: unknown) => {
    await infra.close();
    throw error;
  });
  // Memory first, durable snapshots every 200 events: a hot StockItem loads in constant time.
  const cache = snapshottingCache(infra.snapshots, { events: infra.store, every: 200 });
  const bus = commandBus(
    createCommandHandler({ store: infra.store, clock: systemClock, ids: uuids, cache }),
  );
  return {
    settings,
    infra,
    bus,
    cache,
    logger: createLogger("mebel", settings.logLevel),
    access,
    running: new Set(),
  };
};

/** Starts those of the given subscribers that this process does not run yet. */
export const startOnce = (
  shared: Shared,
  projections: ReadonlyArray<AnyProjection>,
  processes: ReadonlyArray<AnyProcessManager>,
): RunningSubscribers => {
  const fresh = <T extends { readonly name: string }>(items: ReadonlyArray<T>): ReadonlyArray<T> =>
    items.filter((item) => !shared.running.has(item.name));
  const started = startSubscribers(
    {
      store: shared.infra.store,
      readModels: shared.infra.readModels,
      bus: shared.bus,
      clock: systemClock,
      locks: shared.infra.locks,
      logger: shared.logger,
    },
    fresh(projections),
    fresh(processes),
  );
  for (const item of [...projections, ...processes]) shared.running.add(item.name);
  return started;
};
