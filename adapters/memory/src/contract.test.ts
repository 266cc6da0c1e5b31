import { describeServiceStoreContracts, describeStoreContracts } from "@mebel/store-contract";
import {
  createMemoryAccountStore,
  createMemoryCatalog,
  createMemoryCheckpointStore,
  createMemoryEventStore,
  createMemoryIdempotencyStore,
  createMemoryLocks,
  createMemoryReadModelStore,
  createMemorySnapshotStore,
} from "./index.js";

describeStoreContracts(
  "memory",
  async () => {
    const locks = createMemoryLocks();
    return {
      stores: {
        eventStore: createMemoryEventStore(),
        checkpoints: createMemoryCheckpointStore(),
        readModels: createMemoryReadModelStore(),
        locks,
      },
      lockFaults: { other: locks.instance(), dropSession: async () => locks.dropSession() },
      close: async () => {},
    };
  },
  { idempotentAny: true },
);

describeServiceStoreContracts("memory", async () => ({
  stores: {
    snapshots: createMemorySnapshotStore(),
    idempotency: createMemoryIdempotencyStore(),
    products: createMemoryCatalog(),
    accounts: createMemoryAccountStore(),
  },
  close: async () => {},
}));
