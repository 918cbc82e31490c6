import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../testing/haproxy-fixture.js";
import { describeConflicts, findBindConflicts } from "./bind-preflight.js";

describe("findBindConflicts", () => {
  let squatter: net.Server;
  let taken: number;
  beforeAll(async () => {
    squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", r));
    taken = (squatter.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => squatter.close(() => r())));

  it("names the program holding an address the config binds, with the config line", async () => {
    const cfg = `frontend fe\n  bind 127.0.0.1:${taken}\n`;
    const conflicts = await findBindConflicts(cfg, {});
    expect(conflicts).toEqual([expect.objectContaining({ line: 2, port: taken, reason: expect.stringMatching(new RegExp(`pid ${process.pid} \\(.*node.*\\)`)) })]);
    expect(describeConflicts(conflicts, "haproxy.cfg").lines[0]).toMatchObject({ file: "haproxy.cfg", line: 2 });
  });

  it("refuses an address no interface has, unless the bind says transparent or freebind", async () => {
    const port = await freePort();
    expect(await findBindConflicts(`  bind 192.0.2.55:${port}\n`, {})).toEqual([expect.objectContaining({ reason: "address not available on this host" })]);
    expect(await findBindConflicts(`  bind 192.0.2.55:${port} freebind\n`, {})).toEqual([]);
  });

  it("lets free addresses through", async () => {
    expect(await findBindConflicts(`  bind 127.0.0.1:${await freePort()}\n`, {})).toEqual([]);
  });
});
