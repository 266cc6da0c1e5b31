import {
  availabilityProjection,
  decodeBatch,
  notificationsProjection,
  orderViewProjection,
  type Position,
  type Projection,
  type ReadModelStore,
  type RunningSubscriber,
  readModelName,
  readView,
  type SubscriberDeps,
  type SubscriberStatus,
  type Subscription,
  startProjection,
} from "@mebel/core";
import {
  type ChangeFeed,
  type ChangePublisher,
  createChangeFeed,
  type SiteChangeKind,
  type SiteDocuments,
} from "./change-feed.js";

export interface SiteReadModelsDeps extends SubscriberDeps {
  readonly readModels: ReadModelStore;
}

export interface SiteReadModels {
  readonly subscribers: ReadonlyArray<RunningSubscriber>;
  readonly changes: ChangeFeed;
  readonly status: () => ReadonlyArray<SubscriberStatus>;
  /** Resolves once every site view has handled everything up to `position`. */
  readonly waitUntil: (position: Position) => Promise<void>;
  readonly stop: () => Promise<void>;
}

const startPublishing = <K extends SiteChangeKind>(
  kind: K,
  projection: Projection<SiteDocuments[K]>,
  deps: SiteReadModelsDeps,
  feed: ChangePublisher,
): RunningSubscriber =>
  startProjection(projection, deps, {
    onCommit: (changes) => {
      for (const [key, doc] of changes) feed.publish({ kind, key, doc });
    },
  });

interface Published<K extends SiteChangeKind> {
  readonly kind: K;
  readonly projection: Projection<SiteDocuments[K]>;
  readonly runner: RunningSubscriber;
}
type AnyPublished = { [K in SiteChangeKind]: Published<K> }[SiteChangeKind];

const CHECKPOINT_WAIT_MS = 10_000;

/**
 * What an instance on standby pushes. Another instance holds a view's lock and commits it, so this
 * one follows the log itself: once the stored checkpoint has passed a batch that touched the view,
 * it reads the touched documents and publishes them. Its customers then hear of changes as
 * promptly as those of the active instance. Waiting on the stored checkpoint is the only polling,
 * on our own database, and only while a batch is pending.
 */
const followOthersCommits = (
  views: ReadonlyArray<AnyPublished>,
  deps: SiteReadModelsDeps,
  feed: ChangePublisher,
): { readonly stop: () => Promise<void> } => {
  let subscription: Subscription | undefined;
  let stopped = false;
  const categories = [...new Set(views.flatMap((v) => v.projection.categories))];

  const reached = async (model: string, position: Position): Promise<boolean> => {
    for (let waited = 0; waited < CHECKPOINT_WAIT_MS && !stopped; waited += 25) {
      const checkpoint = await deps.readModels.checkpoint(model);
      if (checkpoint !== undefined && checkpoint >= position) return true;
      await deps.clock.sleep(25);
    }
    return false;
  };

  const publish = async <K extends SiteChangeKind>(
    view: Published<K>,
    keys: ReadonlyArray<string>,
  ) => {
    const model = readModelName(view.projection);
    const docs = await deps.readModels.getMany(model, keys);
    for (const [key, raw] of docs) {
      feed.publish({ kind: view.kind, key, doc: readView(view.projection, key, raw) });
    }
  };

  const started = (async () => {
    const head = await deps.store.head();
    if (stopped) return;
    subscription = deps.store.subscribe(
      { ...(head === undefined ? {} : { after: head }), categories },
      async (batch) => {
        const events = decodeBatch(batch.events);
        for (const view of views) {
          // The active instance publishes from its own commits.
          if (view.runner.status().state !== "standby") continue;
          const keys = [...new Set(events.flatMap((e) => view.projection.keysOf(e)))];
          if (keys.length === 0) continue;
          if (await reached(readModelName(view.projection), batch.position)) {
            await publish(view as Published<SiteChangeKind>, keys);
          } else if (!stopped) {
            deps.logger?.warn(
              { view: view.projection.name },
              "standby view did not catch up; nothing pushed",
            );
          }
        }
      },
    );
  })();

  return {
    stop: async () => {
      stopped = true;
      await started;
      await subscription?.stop();
    },
  };
};

/** The site's subscribers, as the event catalogue (docs/events.md) lists who consumes what. */
export const siteSubscribers = {
  projections: [orderViewProjection, notificationsProjection, availabilityProjection],
  processes: [],
} as const;

/**
 * Runs the site's views (order view, notifications, availability) from their checkpoints, and
 * reports every committed change on `changes`: that is how pages and event streams learn of a
 * status change without polling (R2). An instance whose views another instance is running reports
 * that instance's commits instead, so every instance of the site pushes.
 */
export const startSiteReadModels = (deps: SiteReadModelsDeps): SiteReadModels => {
  const feed = createChangeFeed(deps.logger);
  const views: ReadonlyArray<AnyPublished> = [
    {
      kind: "order",
      projection: orderViewProjection,
      runner: startPublishing("order", orderViewProjection, deps, feed),
    },
    {
      kind: "notification",
      projection: notificationsProjection,
      runner: startPublishing("notification", notificationsProjection, deps, feed),
    },
    {
      kind: "availability",
      projection: availabilityProjection,
      runner: startPublishing("availability", availabilityProjection, deps, feed),
    },
  ];
  const follower = followOthersCommits(views, deps, feed);
  const subscribers = views.map((v) => v.runner);
  return {
    subscribers,
    changes: { subscribe: feed.subscribe },
    status: () => subscribers.map((s) => s.status()),
    waitUntil: async (position) => {
      await Promise.all(subscribers.map((s) => s.waitUntil(position)));
    },
    stop: async () => {
      await follower.stop();
      await Promise.all(subscribers.map((s) => s.stop()));
    },
  };
};
