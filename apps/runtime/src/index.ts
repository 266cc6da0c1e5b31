export * from "./accounts.js";
export * from "./auth-settings.js";
export * from "./data-dir-lock.js";
export * from "./infrastructure.js";
export * from "./postgres-settings.js";
export * from "./settings.js";
export * from "./signing-key-file.js";
