export * from "./api-proxy.js";
export * from "./web-app.js";
