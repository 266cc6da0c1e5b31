import { BACKWARDS, END, type EventStoreDBClient, jsonEvent } from "@eventstore/db-client";
import type { CheckpointStore, Position } from "@mebel/core";
import { adapterError, isStreamNotFound, reporting } from "./errors.js";
import type { WarnLogger } from "./event-store.js";
import { CHECKPOINT_CATEGORY } from "./mapping.js";
import { visitRead } from "./streaming-read.js";

const CHECKPOINT_STORED = "CheckpointStored";

export const checkpointStreamOf = (name: string): string => `${CHECKPOINT_CATEGORY}-${name}`;

const positionIn = (streamName: string, data: unknown): Position => {
  const text =
    typeof data === "object" && data !== null && "position" in data ? data.position : undefined;
  if (typeof text !== "string" || !/^\d+$/.test(text)) {
    throw new Error(`${streamName} does not hold a readable checkpoint.`);
  }
  return BigInt(text);
};

/**
 * Checkpoints in EventStoreDB itself: one stream per subscriber, whose metadata keeps only the
 * newest event, so a subscriber that saves after every batch does not grow the store for ever
 * (the older events go at the next scavenge). Positions are written as decimal text: JSON has no
 * bigint.
 */
export const createEventStoreDbCheckpointStore = (
  client: EventStoreDBClient,
  options: { readonly logger?: WarnLogger } = {},
): CheckpointStore => {
  const trimmed = new Set<string>();

  /** Once per stream and process: cheap, and it repairs metadata someone changed. */
  const keepNewestOnly = async (streamName: string): Promise<void> => {
    if (trimmed.has(streamName)) return;
    trimmed.add(streamName);
    try {
      const { metadata } = await client.getStreamMetadata(streamName);
      if (metadata?.maxCount !== 1) {
        await client.setStreamMetadata(streamName, { ...metadata, maxCount: 1 });
      }
    } catch (error) {
      // The checkpoint itself is stored; a user without the right to write metadata (the server's
      // default ACL keeps that for admins) only costs the space of old checkpoints.
      options.logger?.warn(
        { stream: streamName, error: error instanceof Error ? error.message : String(error) },
        "could not limit the checkpoint stream to its newest event",
      );
    }
  };

  return {
    load: async (name) => {
      const streamName = checkpointStreamOf(name);
      let data: unknown;
      try {
        await visitRead(
          client.readStream(streamName, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }),
          (resolved) => {
            data = resolved.event?.data;
            return true;
          },
        );
      } catch (error) {
        if (isStreamNotFound(error)) return undefined;
        throw adapterError(error, `load the checkpoint of ${name}`, streamName);
      }
      return data === undefined ? undefined : positionIn(streamName, data);
    },
    save: async (name, position) => {
      const streamName = checkpointStreamOf(name);
      await reporting(
        `save the checkpoint of ${name}`,
        () =>
          client.appendToStream(
            streamName,
            jsonEvent({ type: CHECKPOINT_STORED, data: { position: position.toString() } }),
          ),
        streamName,
      );
      await keepNewestOnly(streamName);
    },
  };
};
