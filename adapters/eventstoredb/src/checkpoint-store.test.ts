import { describe, expect, it } from "vitest";
import { checkpointStreamOf, createEventStoreDbCheckpointStore } from "./checkpoint-store.js";
import { createFakeClient } from "./fake-client.js";

// Over a stand-in client; the contract suite runs the same store against a server.

describe("checkpoints in EventStoreDB", () => {
  it("load nothing for a subscriber that never saved", async () => {
    const store = createEventStoreDbCheckpointStore(createFakeClient().client);
    expect(await store.load("projector")).toBeUndefined();
  });

  it("load the newest position saved, bigints beyond 64 bits included", async () => {
    const store = createEventStoreDbCheckpointStore(createFakeClient().client);
    const far = (123n << 64n) | 456n;
    await store.save("projector", 5n);
    await store.save("projector", far);
    await store.save("other", 7n);
    expect(await store.load("projector")).toBe(far);
    expect(await store.load("other")).toBe(7n);
  });

  it("keep only the newest event of each checkpoint stream", async () => {
    const fake = createFakeClient();
    const store = createEventStoreDbCheckpointStore(fake.client);
    await store.save("projector", 1n);
    await store.save("projector", 2n);
    expect(fake.streamMetadata(checkpointStreamOf("projector"))).toEqual({ maxCount: 1 });
  });

  it("still save when the stream metadata may not be written, and say so", async () => {
    const fake = createFakeClient();
    const warnings: string[] = [];
    fake.failMetadataWrites(new Error("access denied"));
    const store = createEventStoreDbCheckpointStore(fake.client, {
      logger: { warn: (_, message) => warnings.push(message) },
    });
    await store.save("projector", 3n);
    await store.save("projector", 4n);
    expect(await store.load("projector")).toBe(4n);
    expect(warnings).toHaveLength(1);
  });

  it("refuse a checkpoint stream holding something else", async () => {
    const fake = createFakeClient();
    fake.write(checkpointStreamOf("projector"), "CheckpointStored", { position: 12 });
    const store = createEventStoreDbCheckpointStore(fake.client);
    await expect(store.load("projector")).rejects.toThrow(/readable checkpoint/);
  });
});
