import { isStoreUnavailable } from "@mebel/core";
import { describe, expect, it } from "vitest";
import { connectEventStoreDb } from "./connect.js";

const eventId = "0f8fad5b-d9cb-469f-a165-70867728950e";

/** The real client against a port nobody listens on: every call fails as a refused connection. */
const unreachable = () => connectEventStoreDb("esdb://127.0.0.1:1?tls=false");

const expectUnavailable = async (call: Promise<unknown>): Promise<void> => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStoreUnavailable(error)).toBe(true);
  // The client's own error stays reachable, for the log.
  expect((error as Error).cause).toBeInstanceOf(Error);
};

describe("connectEventStoreDb", () => {
  it("connects lazily: a subscription to an unreachable server ends as StoreUnavailableError", async () => {
    const connection = unreachable();
    const subscription = connection.eventStore.subscribe({ categories: ["Order"] }, async () => {});
    await expectUnavailable(subscription.done);
    await connection.dispose();
  });

  it("reports every call to an unreachable server as StoreUnavailableError, cause attached", async () => {
    const connection = unreachable();
    const { eventStore, checkpointStore } = connection;
    const event = { eventId, type: "OrderCreated", data: {}, metadata: {} } as never;
    await expectUnavailable(eventStore.append("Order-1", [event], "no_stream"));
    await expectUnavailable(eventStore.append("Order-1", [event], "any"));
    await expectUnavailable(eventStore.readStream("Order-1"));
    await expectUnavailable(eventStore.readAll());
    await expectUnavailable(eventStore.head());
    await expectUnavailable(checkpointStore.load("projector"));
    await expectUnavailable(checkpointStore.save("projector", 1n));
    await connection.dispose();
  });

  it("dispose stops a subscription still running", async () => {
    const connection = unreachable();
    const subscription = connection.eventStore.subscribe({ categories: ["Order"] }, async () => {});
    await connection.dispose();
    await subscription.done.catch(() => undefined);
    await expect(subscription.stop()).resolves.toBeUndefined();
  });

  it("refuses a malformed connection string at once", () => {
    expect(() => connectEventStoreDb("http://localhost:2113")).toThrow();
  });
});
