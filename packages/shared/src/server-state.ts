/**
 * Runtime server states: what `set server <backend>/<server> state <state>` accepts on the HAProxy
 * runtime API, and the names it may be given. The master checks a request with these before it
 * sends anything; the agent checks again before it writes to its socket.
 */

/** `ready` takes traffic, `drain` finishes what it has and takes no new sessions, `maint` takes none. */
export const SERVER_STATES = ["ready", "drain", "maint"] as const;
export type ServerAdminState = (typeof SERVER_STATES)[number];

// HAProxy object names: letters, digits and -_.: only. Anything else could smuggle a second
// command in (";" separates commands on the runtime API), so it is refused before it is sent.
export const HAPROXY_NAME = /^[A-Za-z0-9_.:-]{1,127}$/;

export function isServerState(value: string): value is ServerAdminState {
  return (SERVER_STATES as readonly string[]).includes(value);
}
