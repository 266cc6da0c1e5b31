import type {
  AccountStore,
  Catalog,
  CheckpointStore,
  EventStore,
  IdempotencyStore,
  Locks,
  Outbox,
  ProductRepository,
  ReadModelStore,
  SnapshotStore,
} from "@mebel/core";
import { createPostgresAccountStore } from "./account-store.js";
import { createPostgresCheckpointStore } from "./checkpoint-store.js";
import { createPostgresEventStore } from "./event-store.js";
import { createPostgresIdempotencyStore } from "./idempotency-store.js";
import { createPostgresLocks } from "./locks.js";
import { migrate } from "./migrations.js";
import { createPostgresOutbox } from "./outbox.js";
import { createPostgresProductRepository } from "./product-repository.js";
import { createPostgresReadModelStore } from "./read-model-store.js";
import { schemaNames } from "./schema-name.js";
import { createPostgresSnapshotStore } from "./snapshot-store.js";
import type { SqlClient } from "./sql-client.js";
import { createWakeups } from "./wakeups.js";

export interface PostgresStoresOptions {
  readonly client: SqlClient;
  /** Where the tables live; created and migrated on start. */
  readonly schema?: string;
  /** How often live subscriptions look for new events when no NOTIFY woke them. */
  readonly pollIntervalMs?: number;
  /** Whether `close` also closes the client (default true); false when it is shared. */
  readonly closeClient?: boolean;
  /**
   * Whose events a snapshot is folded onto, when the stores serve state beside an event store of
   * their own choosing. `"own"` (the default): these stores' events, read in the same statement
   * as the snapshot. An event store in another schema of the same database keeps that one read.
   * `"elsewhere"`: another database or EventStoreDB; snapshots are then read alone and the loader
   * reads the events from their store.
   */
  readonly snapshotEvents?:
    | "own"
    | "elsewhere"
    | { readonly schema: string; readonly store: EventStore };
}

export interface PostgresStores {
  readonly eventStore: EventStore;
  readonly checkpoints: CheckpointStore;
  readonly readModels: ReadModelStore;
  readonly locks: Locks;
  readonly snapshots: SnapshotStore;
  readonly idempotency: IdempotencyStore;
  /** The catalog's own state-based store. */
  readonly products: ProductRepository & Catalog;
  /** The driver underneath, for its connection budget. */
  readonly client: SqlClient;
  /** The embedded issuer's accounts and refresh tokens. */
  readonly accounts: AccountStore;
  /** Mail decided and not yet delivered, beside the sender's checkpoint. */
  readonly outbox: Outbox;
  /** Stops live subscriptions, frees held locks, stops listening, and closes the client. */
  readonly close: () => Promise<void>;
}

export const DEFAULT_SCHEMA = "mebel";

/** Migrates the schema, then opens every store on it. */
export const createPostgresStores = async (
  options: PostgresStoresOptions,
): Promise<PostgresStores> => {
  const { client } = options;
  const names = schemaNames(options.schema ?? DEFAULT_SCHEMA);
  await migrate(client, names.schema);
  const wakeups = createWakeups(options.pollIntervalMs ?? 500);
  // Without LISTEN (a driver or proxy that cannot), subscriptions still poll.
  const unlisten = await client.listen(names.channel, wakeups.wake).catch(() => undefined);
  const events = createPostgresEventStore(client, names, wakeups);
  const locks = createPostgresLocks(client, names);
  const beside = options.snapshotEvents ?? "own";
  return {
    eventStore: events.eventStore,
    checkpoints: createPostgresCheckpointStore(client, names),
    readModels: createPostgresReadModelStore(client, names),
    locks,
    snapshots: createPostgresSnapshotStore(
      client,
      names,
      beside === "elsewhere"
        ? undefined
        : beside === "own"
          ? { store: events.eventStore, names }
          : { store: beside.store, names: schemaNames(beside.schema) },
    ),
    idempotency: createPostgresIdempotencyStore(client, names),
    products: createPostgresProductRepository(client, names),
    client,
    accounts: createPostgresAccountStore(client, names),
    outbox: createPostgresOutbox(client, names),
    close: async () => {
      await events.close();
      await locks.close();
      await unlisten?.();
      if (options.closeClient ?? true) await client.close();
    },
  };
};
