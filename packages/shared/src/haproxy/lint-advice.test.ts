import { describe, expect, it } from "vitest";
import { adviseConfig } from "./lint.js";
import { parseConfig } from "./parse.js";

const advise = (text: string) => adviseConfig(parseConfig(text)).map((d) => [d.line, d.severity, d.code]);

describe("adviseConfig", () => {
  it("warns about an http frontend whose reloads would reset idle keep-alive connections", () => {
    const text = "defaults\n    mode http\n\nfrontend www\n    bind :80\n\nlisten admin\n    bind :81\n";
    expect(advise(text)).toEqual([
      [4, "warning", "reload-resets-idle"],
      [7, "warning", "reload-resets-idle"],
    ]);
    expect(adviseConfig(parseConfig(text))[0]!.message).toMatch(/frontend 'www'.*option idle-close-on-response/);
  });

  it("takes the option from the defaults section, respects an explicit 'no option', ignores tcp mode and backends", () => {
    expect(advise("defaults\n    mode http\n    option idle-close-on-response\n\nfrontend www\n    bind :80\n")).toEqual([]);
    expect(advise("defaults\n    mode http\n\nfrontend www\n    bind :80\n    no option idle-close-on-response\n")).toEqual([]);
    expect(advise("defaults\n    mode tcp\n\nfrontend db\n    bind :5432\n")).toEqual([]);
    expect(advise("frontend plain\n    bind :80\n")).toEqual([]); // tcp is the default mode
    expect(advise("defaults\n    mode http\n\nbackend app\n    server a 198.18.0.1:80\n")).toEqual([]);
  });
});
