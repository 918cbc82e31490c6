export * from "./errors.js";
export * from "./hash.js";
export * from "./bundle.js";
export * from "./haproxy/check-output.js";
export * from "./ca-pin.js";
export * from "./haproxy/index.js";
export * from "./outbox.js";
export * from "./server-state.js";
