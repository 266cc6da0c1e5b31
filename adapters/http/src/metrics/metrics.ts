import {
  categoryOf,
  type EventStore,
  noObserver,
  type Observer,
  type SubscriberState,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type HealthSources, type SubscriberHealth, subscriberHealth } from "../health.js";

/** Seconds: from a fast in-memory append to a slow request on a loaded server. */
const SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const STATES: ReadonlyArray<SubscriberState> = [
  "starting",
  "standby",
  "running",
  "retrying",
  "failed",
  "stopped",
];

/**
 * One process's metrics in Prometheus terms (prom-client), shared by every service it runs:
 * labels name services, routes as templates, stream categories, event types, subscribers and
 * sweeps, never an id. Another module adds its own to `registry` (see docs/operations.md).
 */
export interface Metrics {
  /** False only for `disabledTelemetry`: requests are then not even timed. */
  readonly enabled: boolean;
  readonly registry: Registry;
  /** The core's observation port, its metric part (spans are the tracer's: see `withTracing`). */
  readonly observer: Observer;
  /** The store, with appends counted and timed: give it to the command handler. */
  readonly observeStore: (store: EventStore) => EventStore;
  /** Subscribers (lag, state, checkpoint age) read at every scrape from what /health reads. */
  readonly watch: (sources: HealthSources) => void;
  /** One HTTP request answered: `route` is the template it matched. */
  readonly request: (
    service: string,
    method: string,
    route: string,
    status: number,
    seconds: number,
    replayed: boolean,
  ) => void;
  /** A server-sent event stream opened; the function closes it. */
  readonly streamOpened: (service: string) => () => void;
}

type Labelled<Child> = { labels: (...values: string[]) => Child };
const children = new WeakMap<object, Map<string, unknown>>();

/**
 * A metric's child for these label values, made once: resolving labels by object on every append
 * cost more than the append to memory.
 */
const child = <Child>(metric: Labelled<Child>, ...values: string[]): Child => {
  let made = children.get(metric);
  if (made === undefined) {
    made = new Map();
    children.set(metric, made);
  }
  const key = values.join("\u0000");
  let found = made.get(key) as Child | undefined;
  if (found === undefined) {
    found = metric.labels(...values);
    made.set(key, found);
  }
  return found;
};

export const createMetrics = (options: { readonly defaults?: boolean } = {}): Metrics => {
  const registry = new Registry();
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requestDuration = new Histogram({
    name: "mebel_http_request_duration_seconds",
    help: "Time from a request's arrival to its answer, by route template and status.",
    labelNames: ["service", "method", "route", "status"],
    buckets: SECONDS,
    registers,
  });
  const replays = new Counter({
    name: "mebel_idempotent_replays_total",
    help: "Requests answered from their Idempotency-Key's stored answer, not handled again.",
    labelNames: ["service", "route"],
    registers,
  });
  const streams = new Gauge({
    name: "mebel_sse_connections",
    help: "Server-sent event streams open now.",
    labelNames: ["service"],
    registers,
  });
  const appended = new Counter({
    name: "mebel_events_appended_total",
    help: "Events appended by this process, by stream category and event type.",
    labelNames: ["category", "type"],
    registers,
  });
  const appendDuration = new Histogram({
    name: "mebel_append_duration_seconds",
    help: "Time one append with an expected revision takes, accepted or refused.",
    labelNames: ["category", "outcome"],
    buckets: SECONDS,
    registers,
  });
  const conflicts = new Counter({
    name: "mebel_append_conflicts_total",
    help: "Appends refused because the stream had moved on (optimistic concurrency).",
    labelNames: ["category"],
    registers,
  });
  const retries = new Counter({
    name: "mebel_command_retries_total",
    help: "Commands decided again after losing the optimistic race on their stream.",
    labelNames: ["category"],
    registers,
  });
  const handled = new Counter({
    name: "mebel_subscriber_events_handled_total",
    help: "Events a projection or process manager handled in this process.",
    labelNames: ["subscriber"],
    registers,
  });
  const failures = new Counter({
    name: "mebel_subscriber_failures_total",
    help: "Times a subscriber met an unreachable store (retrying) or stopped (failed).",
    labelNames: ["subscriber", "state"],
    registers,
  });
  const sweepRuns = new Counter({
    name: "mebel_sweep_runs_total",
    help: "Reconciliation sweeps run, by outcome (ok, failed items, threw).",
    labelNames: ["sweep", "outcome"],
    registers,
  });
  const repaired = new Counter({
    name: "mebel_sweep_repaired_total",
    help: "What sweeps put right: orphaned reservations released (sweep.orphans), deliveries requested for assembled orders (sweep.deliveries).",
    labelNames: ["sweep"],
    registers,
  });

  const watched: HealthSources[] = [];
  const subscribers = async () =>
    (await Promise.all(watched.map((sources) => subscriberHealth(sources)))).flat();

  /** One read of /health's figures serves both gauges of a scrape. */
  let scrape: Promise<ReadonlyArray<SubscriberHealth>> | undefined;
  const subscribersOnce = () => {
    scrape ??= subscribers().finally(() => {
      scrape = undefined;
    });
    return scrape;
  };

  new Gauge({
    name: "mebel_subscriber_lag_events",
    help: "Events (EventStoreDB: log positions) between a subscriber's checkpoint and the head.",
    labelNames: ["subscriber"],
    registers,
    async collect() {
      this.reset();
      for (const s of await subscribersOnce())
        if (s.lag !== null) this.set({ subscriber: s.name }, Number(s.lag));
    },
  });
  new Gauge({
    name: "mebel_subscriber_checkpoint_age_seconds",
    help: "Seconds since a subscriber's stored checkpoint last moved, by the store's clock (the same on every instance and after a restart); none until one is stored.",
    labelNames: ["subscriber"],
    registers,
    async collect() {
      this.reset();
      for (const s of await subscribersOnce())
        if (s.checkpointAgeSeconds !== undefined)
          this.set({ subscriber: s.name }, s.checkpointAgeSeconds);
    },
  });
  new Gauge({
    name: "mebel_subscriber_state",
    help: "1 for the state each projection, process manager and sweep is in, 0 for the others.",
    labelNames: ["subscriber", "state"],
    registers,
    collect() {
      this.reset();
      for (const sources of watched) {
        for (const s of [...sources.subscribers(), ...(sources.sweeps?.() ?? [])]) {
          for (const state of STATES) {
            this.set({ subscriber: s.name, state }, s.state === state ? 1 : 0);
          }
        }
      }
    },
  });

  const observer: Observer = {
    ...noObserver,
    retried: (streamName) => retries.inc({ category: categoryOf(streamName) }),
    progressed: (subscriber, events) => {
      if (events > 0) handled.inc({ subscriber }, events);
    },
    stumbled: (subscriber, state) => failures.inc({ subscriber, state }),
    swept: (sweep, run) => {
      const outcome = run.threw === true ? "threw" : run.failed > 0 ? "failed" : "ok";
      sweepRuns.inc({ sweep, outcome });
      if (run.repaired > 0) repaired.inc({ sweep }, run.repaired);
    },
  };

  return {
    enabled: true,
    registry,
    observer,
    observeStore: (store) => ({
      ...store,
      append: async (streamName, events, expected) => {
        const category = categoryOf(streamName);
        const started = process.hrtime.bigint();
        const result = await store.append(streamName, events, expected);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (E.isLeft(result)) {
          child(appendDuration, category, "conflict").observe(seconds);
          child(conflicts, category).inc();
        } else {
          child(appendDuration, category, "ok").observe(seconds);
          for (const event of events) child(appended, category, event.type).inc();
        }
        return result;
      },
    }),
    watch: (sources) => {
      watched.push(sources);
    },
    request: (service, method, route, status, seconds, replayed) => {
      child(requestDuration, service, method, route, String(status)).observe(seconds);
      if (replayed) child(replays, service, route).inc();
    },
    streamOpened: (service) => {
      streams.inc({ service });
      let open = true;
      return () => {
        if (open) streams.dec({ service });
        open = false;
      };
    },
  };
};
