export * from "./app.js";
export * from "./subscribers.js";
export * from "./sweeper.js";
