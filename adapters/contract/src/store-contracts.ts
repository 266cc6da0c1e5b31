import type { CheckpointStore, EventStore, Locks, ReadModelStore } from "@mebel/core";
import type { EventStoreCapabilities } from "./append-cases.js";
import { describeCheckpointStoreContract } from "./checkpoint-store-contract.js";
import { describeEventStoreContract } from "./event-store-contract.js";
import type { Setup } from "./fixtures.js";
import { describeLocksContract, type LockFaults } from "./locks-contract.js";
import { describeReadModelStoreContract } from "./read-model-store-contract.js";

/** The four stores an adapter that has them all hands out together. */
export interface Stores {
  readonly eventStore: EventStore;
  readonly checkpoints: CheckpointStore;
  readonly readModels: ReadModelStore;
  readonly locks: Locks;
}

/** Every contract against an adapter that provides all four stores; `open` runs once per suite. */
export const describeStoreContracts = (
  name: string,
  open: Setup<{ readonly stores: Stores; readonly lockFaults?: LockFaults }>,
  capabilities: EventStoreCapabilities = {},
): void => {
  const setup =
    <T>(pick: (stores: Stores) => T): Setup<T> =>
    async () => {
      const { stores, close } = await open();
      return { ...pick(stores), close };
    };
  describeEventStoreContract(
    name,
    setup((s) => ({ store: s.eventStore })),
    capabilities,
  );
  describeCheckpointStoreContract(
    name,
    setup((s) => ({ store: s.checkpoints })),
  );
  describeReadModelStoreContract(
    name,
    setup((s) => ({ store: s.readModels })),
  );
  describeLocksContract(name, async () => {
    const { stores, close, lockFaults } = await open();
    return {
      locks: stores.locks,
      ...(lockFaults === undefined ? {} : { faults: lockFaults }),
      close,
    };
  });
};
