export * from "./decider.js";
export * from "./equality.js";
