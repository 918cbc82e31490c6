import { describe, expect, it } from "vitest";
import { haproxyProblems, parseHaproxyOutput } from "./check-output.js";

// Captured from HAProxy 2.6.12 (`haproxy -c -f bad.cfg`).
const CHECK = `[NOTICE]   (13559) : haproxy version is 2.6.12-1+deb12u4
[NOTICE]   (13559) : path to executable is /usr/sbin/haproxy
[ALERT]    (13559) : config : parsing [bad.cfg:11] : unknown keyword 'sever' in 'frontend' section; did you mean 'server' maybe ?
[ALERT]    (13559) : config : [bad.cfg:13] : 'server be/s1' : unknown keyword 'chek'; did you mean 'check' maybe ?
[ALERT]    (13559) : config : parsing [bad.cfg:19]: unmatched quote at position 31:
  http-request set-header X "a
                            ^
[ALERT]    (13559) : config : Error(s) found in configuration file : bad.cfg
[ALERT]    (13559) : config : Fatal errors found in configuration.
[WARNING]  (13583) : config : missing timeouts for frontend 'f'.
   | While not properly invalid, you will certainly encounter various problems
`;

describe("parseHaproxyOutput", () => {
  it("extracts file, line and message from each form HAProxy prints", () => {
    const problems = haproxyProblems(CHECK);
    expect(problems.map((p) => [p.severity, p.file, p.line])).toEqual([
      ["alert", "bad.cfg", 11],
      ["alert", "bad.cfg", 13],
      ["alert", "bad.cfg", 19],
      ["warning", undefined, undefined],
    ]);
    expect(problems[0]!.message).toBe("unknown keyword 'sever' in 'frontend' section; did you mean 'server' maybe ?");
    expect(problems[1]!.message).toBe("'server be/s1' : unknown keyword 'chek'; did you mean 'check' maybe ?");
  });

  it("keeps continuation lines with the message they belong to", () => {
    const quote = haproxyProblems(CHECK)[2]!;
    expect(quote.message).toContain('set-header X "a');
    expect(haproxyProblems(CHECK)[3]!.message).toContain("While not properly invalid");
  });

  it("reads the capitalised `Parsing [file:N]` form too", () => {
    const [m] = haproxyProblems("[ALERT]    (1) : config : Parsing [x.cfg:7]: proxy 'a' has the same name as another proxy\n");
    expect(m).toMatchObject({ file: "x.cfg", line: 7, message: "proxy 'a' has the same name as another proxy" });
  });

  it("ignores the status lines haproxy -c prints on success", () => {
    expect(parseHaproxyOutput("Warnings were found.\nConfiguration file is valid\n")).toEqual([]);
  });

  it("drops the version banner and the summary lines but keeps unknown text", () => {
    const all = parseHaproxyOutput("[NOTICE] (1) : haproxy version is 2.6\nsomething odd happened\n");
    expect(all).toEqual([{ severity: "alert", message: "something odd happened" }]);
  });
});
