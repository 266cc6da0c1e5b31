import { EventStoreDBClient } from "@eventstore/db-client";
import type { CheckpointStore, EventStore, Subscription } from "@mebel/core";
import { createEventStoreDbCheckpointStore } from "./checkpoint-store.js";
import { createEventStoreDbEventStore, type EventStoreDbOptions } from "./event-store.js";

export interface EventStoreDbConnection {
  readonly client: EventStoreDBClient;
  readonly eventStore: EventStore;
  readonly checkpointStore: CheckpointStore;
  /** Stops the subscriptions still running, then closes the client's calls. */
  readonly dispose: () => Promise<void>;
}

/**
 * Both stores over one client, from a connection string such as `esdb://host:2113?tls=false`.
 * The client connects on first use, so this neither waits for nor checks the server.
 *
 * Make one per process: the 6.2.1 client keeps the state of its batched appends in one table
 * shared by every client in the process, so one client's lost connection fails the appends of
 * the others.
 */
export const connectEventStoreDb = (
  connectionString: string,
  options: EventStoreDbOptions = {},
): EventStoreDbConnection =>
  overEventStoreDbClient(EventStoreDBClient.connectionString(connectionString), options);

/** Both stores over a client made elsewhere (a test's stand-in, a client with credentials). */
export const overEventStoreDbClient = (
  client: EventStoreDBClient,
  options: EventStoreDbOptions = {},
): EventStoreDbConnection => {
  const store = createEventStoreDbEventStore(client, options);
  // A subscription left running would reopen, once quiet, through the disposed client.
  const running = new Set<Subscription>();
  const eventStore: EventStore = {
    ...store,
    subscribe: (subscribeOptions, handler) => {
      const subscription = store.subscribe(subscribeOptions, handler);
      running.add(subscription);
      subscription.done.then(
        () => running.delete(subscription),
        () => running.delete(subscription),
      );
      return subscription;
    },
  };
  return {
    client,
    eventStore,
    checkpointStore: createEventStoreDbCheckpointStore(
      client,
      options.logger === undefined ? {} : { logger: options.logger },
    ),
    dispose: async () => {
      await Promise.all([...running].map((s) => s.stop()));
      await client.dispose();
    },
  };
};
