export * from "./assembled-without-delivery.js";
export * from "./choose-courier.js";
export * from "./courier-assignment.js";
export * from "./delivery-on-assembled.js";
export * from "./handover.js";
export * from "./process-manager.js";
export * from "./refusals.js";
export * from "./release-reservations.js";
