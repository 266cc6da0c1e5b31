import { createEventStoreDbEventStore } from "./event-store.js";
import { createFakeClient } from "./fake-client.js";
import { describeServerCases } from "./server-cases.js";

// The server's behaviour as the stand-in reproduces it; contract.test.ts runs the same cases
// against a live server when EVENTSTORE_URL names one.
describeServerCases("EventStoreDB adapter over a stand-in client", () => {
  const fake = createFakeClient();
  return {
    client: fake.client,
    store: createEventStoreDbEventStore(fake.client),
    appendsSent: () => fake.appendCalls().length,
  };
});
