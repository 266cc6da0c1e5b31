export * from "./data-dir-lock.js";
export * from "./infrastructure.js";
export * from "./postgres-settings.js";
export * from "./settings.js";
