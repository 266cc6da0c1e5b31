import {
  type Availability,
  type Logger,
  type OrderNotifications,
  type OrderView,
  silentLogger,
} from "@mebel/core";

/** The document each kind of change carries. */
export interface SiteDocuments {
  readonly order: OrderView;
  readonly notification: OrderNotifications;
  readonly availability: Availability;
}
export type SiteChangeKind = keyof SiteDocuments;

/** One committed change of a site read model; `doc` is `undefined` when the document was deleted. */
export type ChangeOf<K extends SiteChangeKind> = {
  readonly kind: K;
  readonly key: string;
  readonly doc: SiteDocuments[K] | undefined;
};
export type SiteChange = { [K in SiteChangeKind]: ChangeOf<K> }[SiteChangeKind];

export type ChangeListener = (change: SiteChange) => void;

/** What readers of the site's views see: changes as they are committed, pushed, never polled. */
export interface ChangeFeed {
  /** Returns the function that unsubscribes. */
  readonly subscribe: (listener: ChangeListener) => () => void;
}

export interface ChangePublisher extends ChangeFeed {
  readonly publish: <K extends SiteChangeKind>(change: ChangeOf<K>) => void;
}

/**
 * An in-process fan-out. Publishing runs inside a projection's commit hook, so a listener that
 * throws is logged and skipped: one broken client must not fail the projection for everyone.
 */
export const createChangeFeed = (logger: Logger = silentLogger): ChangePublisher => {
  const listeners = new Set<ChangeListener>();
  return {
    subscribe: (listener) => {
      // A wrapper per subscription, so the same function subscribed twice unsubscribes once each.
      const entry: ChangeListener = (change) => listener(change);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    publish: (change) => {
      for (const listener of [...listeners]) {
        try {
          listener(change as SiteChange);
        } catch (error) {
          logger.error(
            { kind: change.kind, key: change.key, error: String(error) },
            "change listener failed",
          );
        }
      }
    },
  };
};
