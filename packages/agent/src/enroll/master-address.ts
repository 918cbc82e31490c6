import net from "node:net";

/** The master's gRPC endpoint as the agent dials it. */
export interface MasterAddress {
  host: string;
  port: number;
  /** `https://host:port` for the Connect transport. */
  baseUrl: string;
  /** TLS SNI name; undefined for IP addresses (SNI must not carry one). */
  servername: string | undefined;
}

/**
 * Parses `HOST:PORT` (`[v6]:PORT` for IPv6) from `--master`. Throws a one-line message naming
 * the expected form; the port is required because the master's gRPC port is not 443.
 */
export function parseMasterAddress(text: string): MasterAddress {
  const m = /^(?:\[([^\]]+)\]|([^:\s/]+)):(\d{1,5})$/.exec(text.trim());
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!m || !host || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`invalid master address ${JSON.stringify(text)}; expected HOST:PORT, e.g. master.example.com:8443`);
  }
  const v6 = net.isIPv6(host);
  return {
    host,
    port,
    baseUrl: `https://${v6 ? `[${host}]` : host}:${port}`,
    servername: net.isIP(host) ? undefined : host,
  };
}

/** Formats an address back to `HOST:PORT` as agent.json stores it. */
export function formatMasterAddress(a: Pick<MasterAddress, "host" | "port">): string {
  return net.isIPv6(a.host) ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
