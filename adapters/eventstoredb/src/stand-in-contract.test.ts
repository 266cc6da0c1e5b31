import { describeCheckpointStoreContract, describeEventStoreContract } from "@mebel/store-contract";
import { createEventStoreDbCheckpointStore } from "./checkpoint-store.js";
import { createEventStoreDbEventStore } from "./event-store.js";
import { createFakeClient } from "./fake-client.js";

// The shared contract over the stand-in client: it checks the adapter's own logic (paging,
// filters, checkpoints, the subscription loop) on every run. Whether the server behaves as the
// stand-in does is for contract.test.ts to say, against a real one.

const keepOpen = async (): Promise<void> => {};

describeEventStoreContract(
  "EventStoreDB adapter over a stand-in client",
  async () => ({ store: createEventStoreDbEventStore(createFakeClient().client), close: keepOpen }),
  { idempotentAny: false },
);

describeCheckpointStoreContract("EventStoreDB adapter over a stand-in client", async () => ({
  store: createEventStoreDbCheckpointStore(createFakeClient().client),
  close: keepOpen,
}));
