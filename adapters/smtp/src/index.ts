export * from "./mail-sink.js";
export * from "./smtp-transport.js";
