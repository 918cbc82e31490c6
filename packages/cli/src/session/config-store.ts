/**
 * What hactl keeps between runs: for each server it logged in to, the user name and the current
 * refresh token (never a password, never an access token), and which server is current.
 */
export interface CliConfig {
  /** The server `--server` / HACTL_SERVER default to: the last one logged in to. */
  currentServer?: string;
  /** Keyed by the normalised server URL. */
  logins: Record<string, StoredLogin>;
}

export interface StoredLogin {
  username: string;
  /** Rotates on every refresh; a spent one presented again ends the session on the server. */
  refreshToken: string;
  /** When this token was stored (ISO 8601). */
  savedAt: string;
}

/** Where the config lives. A file in production, memory in tests. */
export interface ConfigStore {
  /** Shown to the operator (the file's path). */
  readonly location: string;
  load(): Promise<CliConfig>;
  /** Replaces the stored config atomically: a reader sees the old or the new one, never half. */
  save(config: CliConfig): Promise<void>;
  /**
   * Runs `fn` while no other hactl process can run its own `exclusive` section on this store.
   * Refreshing rotates the token, so two processes refreshing the same token at once would
   * look like a replay to the server and end the session.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

export function emptyConfig(): CliConfig {
  return { logins: {} };
}

/** A ConfigStore held in memory (tests). */
export class MemoryConfigStore implements ConfigStore {
  readonly location = "(memory)";
  private config: CliConfig;
  private queue: Promise<unknown> = Promise.resolve();
  /** How many times `save` ran. */
  saves = 0;

  constructor(initial: CliConfig = emptyConfig()) {
    this.config = structuredClone(initial);
  }

  async load(): Promise<CliConfig> {
    return structuredClone(this.config);
  }

  async save(config: CliConfig): Promise<void> {
    this.saves++;
    this.config = structuredClone(config);
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
