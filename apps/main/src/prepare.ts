import { createLogger, createTelemetry, type Logger, type Telemetry } from "@mebel/adapter-http";
import { systemClock, uuids } from "@mebel/adapter-memory";
import {
  type AnyProcessManager,
  type AnyProjection,
  type CommandBus,
  commandBus,
  createCommandHandler,
  isStoreUnavailable,
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
  /** The process's metrics, and its spans when an OpenTelemetry SDK was started. */
  readonly telemetry: Telemetry;
}

export const prepare = async (
  settings: Settings,
  auth: AuthSettings,
  runsSite: boolean,
  options: InfrastructureOptions & { readonly tracing?: boolean } = {},
): Promise<Shared> => {
  const infra = await openInfrastructure(settings, options);
  const telemetry = createTelemetry({ tracing: options.tracing ?? false });
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
    createCommandHandler({
      store: telemetry.metrics.observeStore(infra.store),
      clock: systemClock,
      ids: uuids,
      cache,
      observer: telemetry.observer,
    }),
  );
  return {
    settings,
    infra,
    bus,
    cache,
    logger: createLogger("mebel", settings.logLevel),
    access,
    running: new Set(),
    telemetry,
  };
};

/**
 * `prepare`, trying again while the store cannot be reached (a database restarting, a server out
 * of connections for a moment), with capped, jittered backoff, for up to `withinMs`: a service
 * started during a blip comes up when it ends rather than exit and wait for someone.
 */
export const prepareWhenReachable = async (
  settings: Settings,
  auth: AuthSettings,
  runsSite: boolean,
  options: InfrastructureOptions & {
    readonly tracing?: boolean;
    readonly withinMs?: number;
    readonly onRetry?: (error: Error, delayMs: number) => void;
  } = {},
): Promise<Shared> => {
  const deadline = Date.now() + (options.withinMs ?? 60_000);
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await prepare(settings, auth, runsSite, options);
    } catch (error) {
      if (!isStoreUnavailable(error) || Date.now() >= deadline) throw error;
      const delay = Math.floor(Math.random() * Math.min(5_000, 200 * 2 ** attempt));
      options.onRetry?.(error, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
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
      observer: shared.telemetry.observer,
    },
    fresh(projections),
    fresh(processes),
  );
  for (const item of [...projections, ...processes]) shared.running.add(item.name);
  return started;
};
