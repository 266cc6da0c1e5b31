export * from "./catalog.js";
export * from "./checkpoint-store.js";
export * from "./clock-and-ids.js";
export * from "./event-store.js";
export * from "./idempotency-store.js";
export * from "./locks.js";
export * from "./read-model-store.js";
export * from "./snapshot-store.js";
