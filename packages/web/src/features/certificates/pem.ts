const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export interface PemParts {
  /** Every CERTIFICATE block, in order (leaf first when the file is a chain). */
  certificates: string;
  /** The first private key block, if any. */
  key: string;
}

/** Splits PEM text into its certificate chain and private key (a combined .pem has both). */
export function splitPem(text: string): PemParts {
  const certs: string[] = [];
  let key = "";
  for (const match of text.matchAll(BLOCK)) {
    const label = match[1]!;
    if (label === "CERTIFICATE") certs.push(match[0]);
    else if (label.endsWith("PRIVATE KEY") && !key) key = match[0];
  }
  return { certificates: certs.length ? certs.join("\n") + "\n" : "", key: key ? key + "\n" : "" };
}

/** A certificate name (certs/<name>.pem) from a file name: "edge.example.com.crt" → "edge.example.com". */
export function nameFromFile(fileName: string): string {
  return fileName
    .replace(/\.(pem|crt|cer|key|cert)$/i, "")
    .replace(/[^a-zA-Z0-9._-]/g, "-")
    .replace(/^[^a-zA-Z0-9]+/, "")
    .slice(0, 100);
}
