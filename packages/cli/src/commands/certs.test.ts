import { describe, expect, it } from "vitest";
import { splitPem } from "./certs.js";

const block = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;

describe("splitPem", () => {
  it("separates the certificates of a combined HAProxy .pem from its key, keeping their order and bytes", () => {
    const leaf = block("CERTIFICATE", "TEVBRg==");
    const inter = block("CERTIFICATE", "SU5URVI=");
    const key = block("PRIVATE KEY", "S0VZ");
    expect(splitPem(`${leaf}${key}${inter}`)).toEqual({ certPem: leaf + inter, keyPem: key });
  });

  it("recognises RSA and EC keys, ignores text around the blocks and adds a missing final newline", () => {
    const cert = block("CERTIFICATE", "Q0VSVA==");
    const key = block("EC PRIVATE KEY", "RUM=").trimEnd();
    expect(splitPem(`subject=CN=x\n${cert}\nBag Attributes\n${key}`)).toEqual({ certPem: cert, keyPem: `${key}\n` });
    expect(splitPem(block("RSA PRIVATE KEY", "UlNB")).keyPem).toContain("RSA PRIVATE KEY");
  });

  it("finds nothing in a file without PEM blocks", () => {
    expect(splitPem("not a certificate")).toEqual({ certPem: "", keyPem: "" });
  });
});
