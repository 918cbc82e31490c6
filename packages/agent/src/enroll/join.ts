import { X509Certificate } from "node:crypto";
import os from "node:os";
import { ConnectError, createClient } from "@connectrpc/connect";
import { caPin, isCaPin } from "@ha-master/shared";
import { AgentService } from "@ha-master/protocol";
import { createEnrollTransport } from "../client/transport.js";
import type { AgentLogger } from "../log.js";
import { certMatchesKey } from "../state/file-state-store.js";
import type { AgentIdentity, StateStore } from "../state/state-store.js";
import { AGENT_VERSION } from "../version.js";
import { selectPinnedCa } from "./ca-pin-check.js";
import { generateKeyAndCsr } from "./csr.js";
import { formatMasterAddress, parseMasterAddress } from "./master-address.js";
import { fetchPresentedChain } from "./tls-chain.js";

/** What `ha-agent join` needs. */
export interface JoinOptions {
  master: string;
  token: string;
  caHash: string;
  store: StateStore;
  /** Shown in the master's node list; the host name by default. */
  name?: string;
  /** Replace an existing enrolment. */
  force?: boolean;
  haproxyVersion?: string;
  log: AgentLogger;
}

/** Thrown when join cannot complete; its message is the one line shown to the operator. */
export class JoinError extends Error {
  override readonly name = "JoinError";
}

/**
 * Enrols this node: a key and CSR made here, the master recognised by the CA pin, then
 * `Enroll` over TLS that trusts only that CA. Stores key, certificate, CA and identity.
 */
export async function join(opts: JoinOptions): Promise<AgentIdentity> {
  if (!isCaPin(opts.caHash)) throw new JoinError(`invalid --ca-hash ${JSON.stringify(opts.caHash)}; expected sha256: and 64 hex digits`);
  if (!opts.force && (await opts.store.isEnrolled())) {
    throw new JoinError("this node is already enrolled; pass --force to replace its enrolment");
  }
  const addr = parseMasterAddress(opts.master);
  const label = formatMasterAddress(addr);

  const chain = await fetchPresentedChain(addr);
  const ca = selectPinnedCa(chain, opts.caHash, label);
  const caPem = ca.toString();
  opts.log.info({ master: label, caHash: opts.caHash }, "master recognised by its CA pin");

  const name = opts.name ?? os.hostname();
  const { keyPem, csrPem } = await generateKeyAndCsr(name);
  const t = createEnrollTransport(addr, caPem);
  let res;
  try {
    res = await createClient(AgentService, t.transport).enroll(
      { token: opts.token, csrPem, nodeName: name, agentVersion: AGENT_VERSION, haproxyVersion: opts.haproxyVersion ?? "" },
      { timeoutMs: 30_000 },
    );
  } catch (err) {
    const e = ConnectError.from(err);
    throw new JoinError(`the master at ${label} refused the enrolment: ${e.rawMessage || e.message}`, { cause: err });
  } finally {
    t.close();
  }

  if (!certMatchesKey(res.certificatePem, keyPem)) throw new JoinError("the master returned a certificate for a different key");
  const nodeCaPem = res.caPem || caPem;
  if (caPin(nodeCaPem) !== opts.caHash) throw new JoinError(`the master returned a CA that does not match ${opts.caHash}`);
  const cert = new X509Certificate(res.certificatePem);
  if (!cert.checkIssued(new X509Certificate(nodeCaPem))) throw new JoinError("the returned certificate was not issued by the pinned CA");

  const identity: AgentIdentity = {
    master: label,
    nodeId: res.nodeId,
    clusterId: res.clusterId,
    caHash: opts.caHash,
    enrolledAt: new Date().toISOString(),
  };
  await opts.store.saveEnrolment(identity, { keyPem, certPem: res.certificatePem, caPem: nodeCaPem });
  opts.log.info({ nodeId: identity.nodeId, clusterId: identity.clusterId, notAfter: cert.validTo }, "node enrolled");
  return identity;
}
