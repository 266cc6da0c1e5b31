export * from "./catalog-api.js";
export * from "./change-feed.js";
export * from "./forwarded-headers.js";
export * from "./site-app.js";
export * from "./site-read-models.js";
export * from "./upstream.js";
export * from "./warehouse-api.js";
