import "reflect-metadata";
import { X509Certificate } from "node:crypto";
import { writeFileSync } from "node:fs";
import { connect, type TLSSocket } from "node:tls";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caPin } from "@ha-master/shared";
import { createCa, issueServerCertificate } from "../packages/master/src/ca/ca-fns.js";
import { importSigningKey } from "../packages/master/src/ca/x509.js";
import { startMaster, type MasterProcess } from "./support/master-process.js";
import { joinProcess } from "./support/agent-process.js";
import { freePort, MASTER_BIN, startProcess, tempDir } from "./support/processes.js";

/** An operator's own CA, and a gRPC server certificate it signed for localhost. */
async function operatorPki() {
  const ca = await createCa("Example Corp agents CA");
  const signing = { certPem: ca.certPem, cert: new X509Certificate(ca.certPem), key: await importSigningKey(ca.keyPem) };
  const server = await issueServerCertificate(signing, ["localhost", "127.0.0.1"]);
  return { ca, server };
}

function writeFiles(dir: string, files: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, `${name.toLowerCase()}.pem`);
    writeFileSync(path, content, { mode: 0o600 });
    env[name] = path;
  }
  return env;
}

/** The certificate chain the gRPC port presents. */
function presented(port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = connect({ host: "127.0.0.1", port, rejectUnauthorized: false, ALPNProtocols: ["h2"] }, () => {
      const cert = socket.getPeerX509Certificate();
      socket.destroy();
      if (cert) resolve(cert);
      else reject(new Error("no certificate"));
    });
    socket.once("error", reject);
  });
}

describe("bringing your own CA", () => {
  let own: Awaited<ReturnType<typeof operatorPki>>;
  let master: MasterProcess;

  beforeAll(async () => {
    own = await operatorPki();
    const dir = tempDir("own-ca");
    master = await startMaster(
      writeFiles(dir, {
        HAMASTER_CA_CERT_FILE: own.ca.certPem,
        HAMASTER_CA_KEY_FILE: own.ca.keyPem,
        GRPC_TLS_CERT_FILE: own.server.certPem,
        GRPC_TLS_KEY_FILE: own.server.keyPem,
      }),
    );
  });
  afterAll(async () => {
    await master?.stop();
  });

  it("serves the operator's server certificate, pins the operator's CA in join commands, and enrols agents with it", async () => {
    const cert = await presented(master.grpcPort);
    expect(cert.fingerprint256).toBe(new X509Certificate(own.server.certPem).fingerprint256);
    const admin = await master.login();
    await master.api(admin, "POST", "/api/v1/clusters", { name: "edge" });
    const token = (await master.api(admin, "POST", "/api/v1/enrollment-tokens", { clusterId: "edge", uses: 1 })).body;
    const caHash = /--ca-hash (\S+)/.exec(token.joinCommand)![1]!;
    expect(caHash).toBe(caPin(own.ca.certPem));
    const joined = await joinProcess({ master: `localhost:${master.grpcPort}`, token: token.token, caHash, stateDir: tempDir("own-ca-agent"), name: "lb1" });
    expect(joined.output).toMatch(/enrolled|joined/i);
    expect(joined.code).toBe(0);
  });

  // Each refusal stops the start with a message naming exactly what is wrong.
  const refusals: [string, () => Promise<Record<string, string>>, RegExp][] = [
    [
      "a CA key that does not match the CA certificate",
      async () => ({ HAMASTER_CA_CERT_FILE: own.ca.certPem, HAMASTER_CA_KEY_FILE: (await createCa()).keyPem }),
      /the CA key does not match the CA certificate/,
    ],
    [
      "a server key that does not match the server certificate",
      async () => {
        const other = await operatorPki();
        return { HAMASTER_CA_CERT_FILE: own.ca.certPem, HAMASTER_CA_KEY_FILE: own.ca.keyPem, GRPC_TLS_CERT_FILE: own.server.certPem, GRPC_TLS_KEY_FILE: other.server.keyPem };
      },
      /the gRPC server key does not match the gRPC server certificate/,
    ],
    [
      "a server certificate another CA signed",
      async () => {
        const other = await operatorPki();
        return { HAMASTER_CA_CERT_FILE: own.ca.certPem, HAMASTER_CA_KEY_FILE: own.ca.keyPem, GRPC_TLS_CERT_FILE: other.server.certPem, GRPC_TLS_KEY_FILE: other.server.keyPem };
      },
      /the gRPC server certificate \(issuer CN=Example Corp agents CA\) is not signed by the given CA \(CN=Example Corp agents CA\)/,
    ],
    [
      "a certificate that is not a CA",
      async () => ({ HAMASTER_CA_CERT_FILE: own.server.certPem, HAMASTER_CA_KEY_FILE: own.server.keyPem }),
      /the CA certificate is not a CA certificate/,
    ],
    ["a CA certificate without its key", async () => ({ HAMASTER_CA_CERT_FILE: own.ca.certPem }), /set both HAMASTER_CA_CERT_FILE and HAMASTER_CA_KEY_FILE/],
    [
      "a server certificate without its CA (it would be ignored)",
      async () => ({ GRPC_TLS_CERT_FILE: own.server.certPem, GRPC_TLS_KEY_FILE: own.server.keyPem }),
      /GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE need HAMASTER_CA_CERT_FILE and HAMASTER_CA_KEY_FILE/,
    ],
  ];

  it.each(refusals)("refuses to start with %s", async (_what, files, message) => {
    const p = startProcess(process.execPath, [MASTER_BIN], {
      LOG_LEVEL: "warn",
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(await freePort()),
      GRPC_PORT: String(await freePort()),
      HAMASTER_DATA_DIR: tempDir("own-ca-bad"),
      HAMASTER_ADMIN_PASSWORD: "own ca admin password",
      ...writeFiles(tempDir("own-ca-files"), await files()),
    });
    expect(await p.exited).not.toBe(0);
    expect(p.output()).toMatch(message);
  });

  it("refuses a CA file that cannot be read, naming the path", async () => {
    const p = startProcess(process.execPath, [MASTER_BIN], {
      LOG_LEVEL: "warn",
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(await freePort()),
      HAMASTER_DATA_DIR: tempDir("own-ca-missing"),
      HAMASTER_CA_CERT_FILE: "/nonexistent/ca.pem",
      HAMASTER_CA_KEY_FILE: "/nonexistent/ca.key",
    });
    expect(await p.exited).not.toBe(0);
    expect(p.output()).toMatch(/cannot read the CA certificate from \/nonexistent\/ca\.pem: ENOENT/);
  });
});
