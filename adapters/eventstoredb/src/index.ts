export type { CatchUpTiming } from "./catch-up.js";
export { checkpointStreamOf, createEventStoreDbCheckpointStore } from "./checkpoint-store.js";
export {
  connectEventStoreDb,
  type EventStoreDbConnection,
  overEventStoreDbClient,
} from "./connect.js";
export { StreamTombstonedError } from "./errors.js";
export {
  createEventStoreDbEventStore,
  type EventStoreDbOptions,
  type WarnLogger,
} from "./event-store.js";
export { CHECKPOINT_CATEGORY, UnreadableEventError } from "./mapping.js";
