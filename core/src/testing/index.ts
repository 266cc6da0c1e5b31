export * from "./decider.js";
export * from "./equality.js";
export * from "./projection.js";
