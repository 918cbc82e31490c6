import { describe, expect, it } from "vitest";
import { envMismatches, isSupervisedMaster } from "./proc-fns.js";
import { setServerStateCommand } from "./runtime-socket.js";
import { parseShowProc, parseUptime } from "./show-proc.js";
import { parseShowStat } from "./show-stat.js";
import { parseShowInfo } from "../apply/external-reloader.js";

// Captured from HAProxy 2.6.12's master CLI after one failed and one good reload.
const SHOW_PROC = `#<PID>          <type>          <reloads>       <uptime>        <version>
14553           master          2 [failed: 1]   0d00h01m10s     2.6.12-1+deb12u4
# workers
14665           worker          1               0d00h00m04s     2.6.12-1+deb12u4
# old workers
14554           worker          2               0d00h01m09s     2.6.12-1+deb12u4
# programs

`;

describe("parseShowProc", () => {
  it("reads the master's reload and failed counters and the current and old workers", () => {
    expect(parseShowProc(SHOW_PROC)).toEqual({
      master: { pid: 14553, reloads: 2, failed: 1, uptimeSeconds: 70, version: "2.6.12-1+deb12u4" },
      workers: [{ pid: 14665, reloads: 1, uptimeSeconds: 4, version: "2.6.12-1+deb12u4" }],
      oldWorkers: [{ pid: 14554, reloads: 2, uptimeSeconds: 69, version: "2.6.12-1+deb12u4" }],
    });
  });
  it("returns undefined for the empty answer of a master busy reloading", () => {
    expect(parseShowProc("")).toBeUndefined();
  });
  it("converts uptimes with days", () => {
    expect(parseUptime("2d03h04m05s")).toBe(2 * 86_400 + 3 * 3_600 + 4 * 60 + 5);
    expect(parseUptime("garbage")).toBe(0);
  });
});

describe("parseShowStat", () => {
  it("keeps backend servers and BACKEND rows, drops frontends, reads columns by name", () => {
    const csv = [
      "# pxname,svname,qcur,scur,status,weight,check_status,extra",
      "fe,FRONTEND,,3,OPEN,,,x",
      "be,s1,0,2,UP,1,L7OK,x",
      "be,s2,0,0,MAINT,0,,x",
      "be,BACKEND,0,2,UP,1,,x",
      "",
    ].join("\n");
    expect(parseShowStat(csv)).toEqual([
      { proxy: "be", server: "s1", status: "UP", weight: 1, checkStatus: "L7OK", currentSessions: 2 },
      { proxy: "be", server: "s2", status: "MAINT", weight: 0, checkStatus: "", currentSessions: 0 },
      { proxy: "be", server: "BACKEND", status: "UP", weight: 1, checkStatus: "", currentSessions: 2 },
    ]);
  });
});

describe("setServerStateCommand", () => {
  it("builds the runtime command", () => {
    expect(setServerStateCommand("be_api", "s1", "drain")).toBe("set server be_api/s1 state drain");
  });
  it.each([
    ["be; shutdown sessions", "s1", "ready"],
    ["be", "s1\nshow stat", "ready"],
    ["be", "s1", "down"],
  ])("refuses %j/%j state %j", (p, s, st) => {
    expect(() => setServerStateCommand(p, s, st)).toThrow(/invalid/);
  });
});

describe("isSupervisedMaster", () => {
  it("recognises our master by binary, -W and its master socket", () => {
    const sock = "/var/lib/ha-agent/run/master.sock";
    expect(isSupervisedMaster(["/usr/sbin/haproxy", "-W", "-S", `${sock},level,admin`, "-f", "x"], sock)).toBe(true);
    expect(isSupervisedMaster(["/usr/sbin/haproxy", "-W", "-S", "/other.sock,level,admin"], sock)).toBe(false);
    expect(isSupervisedMaster(["/usr/bin/python3", "-W", "-S", sock], sock)).toBe(false);
  });
});

describe("parseShowInfo", () => {
  it("reads key: value lines", () => {
    expect(parseShowInfo("Name: HAProxy\nPid: 42\nUptime_sec: 7\n")).toMatchObject({ Pid: "42", Uptime_sec: "7" });
  });
});

describe("envMismatches", () => {
  it("names the configured variables HAProxy does not have with the same value", () => {
    expect(envMismatches({ NODE_BIND: "10.0.0.2", DC: "a" }, { NODE_BIND: "10.0.0.1", DC: "a", PATH: "/bin" })).toEqual(["NODE_BIND"]);
    expect(envMismatches({}, { PATH: "/bin" })).toEqual([]);
  });
});
