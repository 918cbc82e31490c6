import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env.js";

describe("parseEnv", () => {
  it("fills the defaults of an empty environment", () => {
    expect(parseEnv({})).toMatchObject({ HTTP_PORT: 8080, GRPC_PORT: 8443, AGENT_CERT_TTL_HOURS: 72, RUNTIME_COMMAND_TIMEOUT_SECONDS: 5 });
  });

  it("lists every bad variable at once", () => {
    let error: unknown;
    try {
      parseEnv({ AGENT_CERT_TTL_HOURS: "0.05", RUNTIME_COMMAND_TIMEOUT_SECONDS: "0", HTTP_PORT: "http" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    // Under an hour, renewal at two thirds of the life would come at once (certificates are backdated 5 minutes).
    expect(message).toMatch(/AGENT_CERT_TTL_HOURS: .*1/);
    expect(message).toMatch(/RUNTIME_COMMAND_TIMEOUT_SECONDS: /);
    expect(message).toMatch(/HTTP_PORT: /);
  });
});
