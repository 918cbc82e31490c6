import { describe, expect, it } from "vitest";
import { rebaseEdits } from "./rebase";

const base = ["global", "    maxconn 1000", "", "frontend fe", "    bind :80", "    default_backend be", "", "backend be", "    server s1 10.0.0.1:80 check", ""].join("\n");

describe("rebaseEdits", () => {
  it("re-applies edits to other lines on top of their version", () => {
    const mine = base.replace("maxconn 1000", "maxconn 2000");
    const theirs = base.replace("server s1 10.0.0.1:80 check", "server s1 10.0.0.1:80 check\n    server s2 10.0.0.2:80 check");
    const result = rebaseEdits(base, mine, theirs);
    expect(result).toEqual({ clean: true, text: theirs.replace("maxconn 1000", "maxconn 2000") });
  });

  it("refuses when both changed the same line", () => {
    const mine = base.replace("bind :80", "bind :8080");
    const theirs = base.replace("bind :80", "bind :81");
    expect(rebaseEdits(base, mine, theirs)).toEqual({ clean: false });
  });

  it("takes theirs when there was nothing to re-apply", () => {
    const theirs = base.replace("maxconn 1000", "maxconn 10");
    expect(rebaseEdits(base, base, theirs)).toEqual({ clean: true, text: theirs });
  });
});
