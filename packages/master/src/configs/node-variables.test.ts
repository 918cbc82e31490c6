import { describe, expect, it } from "vitest";
import { standInEnvironment, variablesOf } from "./node-variables.js";

describe("node variables", () => {
  it("finds the references of a line", () => {
    expect(variablesOf('    bind "${VIP}:${PORT}" ssl crt certs/a.pem')).toEqual(["VIP", "PORT"]);
    expect(variablesOf("    bind :443")).toEqual([]);
    expect(variablesOf(undefined)).toEqual([]);
  });

  it("gives each a stand-in shaped by where it appears", () => {
    const env = standInEnvironment(
      [
        "global",
        "    # ${COMMENTED} is ignored",
        "    maxconn ${MAXCONN}",
        "frontend www",
        '    bind "127.0.0.1:${NODE_PORT}"',
        "    bind ${VIP}:443",
        "    bind ${WHOLE_ADDRESS}",
        "backend be",
        "    server s1 ${UPSTREAM}",
        "    server s2 10.0.0.1:${NODE_PORT}",
      ].join("\n"),
    );
    expect(env).toEqual({ MAXCONN: "1", NODE_PORT: "1", VIP: "127.0.0.1", WHOLE_ADDRESS: "127.0.0.1:1", UPSTREAM: "127.0.0.1:1" });
  });
});
