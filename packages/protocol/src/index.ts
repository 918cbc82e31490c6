/**
 * The master <-> agent protocol. Everything here is generated from proto/ by `npm run generate`
 * (buf + protoc-gen-es, both from npm); see buf.gen.yaml.
 */
export * from "./gen/hamaster/agent/v1/agent_pb.js";
