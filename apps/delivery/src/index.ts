export * from "./app.js";
export * from "./couriers-config.js";
export * from "./subscribers.js";
export * from "./sweeper.js";
