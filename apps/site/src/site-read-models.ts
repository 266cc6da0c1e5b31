import {
  availabilityProjection,
  notificationsProjection,
  orderViewProjection,
  type Position,
  type Projection,
  type ReadModelStore,
  type RunningSubscriber,
  type SubscriberDeps,
  type SubscriberStatus,
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

/**
 * Runs the site's views (order view, notifications, availability) from their checkpoints, and
 * reports every committed change on `changes`: that is how pages and event streams learn of a
 * status change without polling (R2).
 */
export const startSiteReadModels = (deps: SiteReadModelsDeps): SiteReadModels => {
  const feed = createChangeFeed(deps.logger);
  const subscribers = [
    startPublishing("order", orderViewProjection, deps, feed),
    startPublishing("notification", notificationsProjection, deps, feed),
    startPublishing("availability", availabilityProjection, deps, feed),
  ];
  return {
    subscribers,
    changes: { subscribe: feed.subscribe },
    status: () => subscribers.map((s) => s.status()),
    waitUntil: async (position) => {
      await Promise.all(subscribers.map((s) => s.waitUntil(position)));
    },
    stop: async () => {
      await Promise.all(subscribers.map((s) => s.stop()));
    },
  };
};
