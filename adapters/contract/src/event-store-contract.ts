import type { EventStore } from "@mebel/core";
import { appendCases, type EventStoreCapabilities } from "./append-cases.js";
import { concurrencyCases } from "./concurrency-cases.js";
import { describeContract, type Setup } from "./fixtures.js";
import { payloadCases } from "./payload-cases.js";
import { readCases } from "./read-cases.js";
import { subscribeCases } from "./subscribe-cases.js";

/**
 * What every EventStore adapter must do, as vitest cases. The store may be shared with other
 * suites: every case writes to streams and categories of its own.
 */
export const describeEventStoreContract = (
  name: string,
  setup: Setup<{ readonly store: EventStore }>,
  capabilities: EventStoreCapabilities = {},
): void => {
  describeContract(`${name}: EventStore contract`, setup, (fixture) => {
    const store = (): EventStore => fixture().store;
    appendCases(store, capabilities);
    readCases(store);
    payloadCases(store);
    subscribeCases(store);
    concurrencyCases(store);
  });
};
