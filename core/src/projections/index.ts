export * from "./availability.js";
export * from "./delivery-board.js";
export { RevisionText } from "./document-codecs.js";
export * from "./notifications.js";
export * from "./order-view.js";
export * from "./projection.js";
export * from "./reservation-ledger.js";
export * from "./site-status.js";
export * from "./warehouse-queue.js";
