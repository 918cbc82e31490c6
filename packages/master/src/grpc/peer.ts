import type { TLSSocket } from "node:tls";
import { createContextKey, type HandlerContext } from "@connectrpc/connect";
import { AppError } from "@ha-master/shared";
import type { Db } from "../db/store.js";
import { findNode, forgetPreviousCertificate, type NodeWithCluster } from "../nodes/nodes-dal.js";

/** What the TLS handshake proved about the caller. */
export interface Peer {
  /** The client certificate chains to this master's CA. */
  authorized: boolean;
  /** The certificate's CN: the node id, when authorized. */
  subjectCn: string;
  serial: string;
  address: string;
}

export const PEER = createContextKey<Peer | undefined>(undefined, { description: "TLS peer" });

/** Reads the peer from the request's TLS socket (connectNodeAdapter's contextValues). */
export function peerOf(socket: TLSSocket): Peer {
  const cert = socket.getPeerCertificate?.();
  return {
    authorized: socket.authorized === true,
    subjectCn: typeof cert?.subject?.CN === "string" ? cert.subject.CN : "",
    serial: cert?.serialNumber?.toLowerCase() ?? "",
    address: socket.remoteAddress ?? "",
  };
}

/** A serial number as hex without leading zeros, however it was written. */
export function normalSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, "");
}

/**
 * The node calling: identified by its client certificate, never by a message field. Refuses a
 * caller without a certificate from this master's CA, an unknown node, a revoked one, and a
 * certificate a renewal replaced: a node holds one certificate at a time. The certificate it
 * renewed with stays good until it first uses the new one (it may have crashed before saving it).
 */
export async function requireNode(db: Db, ctx: HandlerContext): Promise<NodeWithCluster> {
  const peer = ctx.values.get(PEER);
  if (!peer?.authorized || !peer.subjectCn) {
    throw new AppError("unauthenticated", "a client certificate issued by this master's CA is required; enrol with `ha-agent join` first");
  }
  const node = /^[0-9a-f-]{36}$/.test(peer.subjectCn) ? await findNode(db, peer.subjectCn) : undefined;
  if (!node) throw new AppError("unauthenticated", `node ${peer.subjectCn} is not known to this master`);
  if (node.revokedAt) {
    throw new AppError("forbidden", `node ${node.name} (${node.id}) was revoked on ${node.revokedAt.toISOString()}; enrol it again with a new token`);
  }
  const presented = normalSerial(peer.serial);
  if (presented === normalSerial(node.certSerial)) {
    if (node.previousCertSerial !== null) {
      await forgetPreviousCertificate(db, node.id);
      node.previousCertSerial = null;
    }
    return node;
  }
  if (node.previousCertSerial !== null && presented === normalSerial(node.previousCertSerial)) return node;
  throw new AppError(
    "unauthenticated",
    `node ${node.name} (${node.id}): certificate ${presented} was replaced by a renewal and is no longer accepted; ` +
      "if the node lost its renewed certificate, enrol it again with a new token (ha-agent join --force)",
  );
}
