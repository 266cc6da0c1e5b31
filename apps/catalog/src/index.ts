export * from "./app.js";
export * from "./http-catalog.js";
