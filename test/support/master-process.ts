import { freePort, MASTER_BIN, startProcess, tempDir, waitFor, type Proc } from "./processes.js";

export const ADMIN_PASSWORD = "e2e admin password";

export interface MasterProcess extends Proc {
  url: string;
  httpPort: number;
  grpcPort: number;
  dataDir: string;
  /** Logs in and returns an access token. */
  login(username?: string, password?: string): Promise<string>;
  api(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/** Starts the built `ha-master` on free ports with a fresh embedded database (unless given one). */
export async function startMaster(env: Record<string, string> = {}): Promise<MasterProcess> {
  const httpPort = env.HTTP_PORT ? Number(env.HTTP_PORT) : await freePort();
  const grpcPort = env.GRPC_PORT ? Number(env.GRPC_PORT) : await freePort();
  const dataDir = env.HAMASTER_DATA_DIR ?? tempDir("master");
  const proc = startProcess(process.execPath, [MASTER_BIN], {
    HTTP_PORT: String(httpPort),
    HTTP_HOST: "127.0.0.1",
    GRPC_PORT: String(grpcPort),
    GRPC_HOST: "127.0.0.1",
    GRPC_PUBLIC_HOSTNAMES: "localhost,127.0.0.1",
    HAMASTER_DATA_DIR: dataDir,
    HAMASTER_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOGIN_RATE_LIMIT_PER_MINUTE: "1000",
    LOG_LEVEL: "warn",
    ...env,
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const api: MasterProcess["api"] = async (token, method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const master: MasterProcess = {
    ...proc,
    url,
    httpPort,
    grpcPort,
    dataDir,
    api,
    async login(username = "admin", password = ADMIN_PASSWORD) {
      const res = await api("", "POST", "/auth/login", { username, password });
      if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    },
  };
  await waitFor(() => `ha-master to be ready (output: ${proc.output()})`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`ha-master exited: ${proc.output()}`);
    const res = await fetch(`${url}/ready`).catch(() => undefined);
    return res?.status === 200 ? true : undefined;
  });
  return master;
}
