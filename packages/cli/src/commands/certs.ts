import { unwrap, type ApiClient, type Schemas } from "@ha-master/api-client";
import type { Command } from "commander";
import { connect, globalOptions, note, print, printJson, stdoutColours, type CliContext } from "../context.js";
import { UsageError } from "../errors.js";
import type { Colours } from "../format/colour.js";
import { renderFields, renderTable, type Column } from "../format/table.js";
import { formatTimestamp } from "../format/time.js";
import { readTextFile } from "../io/files.js";
import { confirmOrAbort } from "../io/terminal.js";

type Certificate = Schemas["Certificate"];

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----\r?\n?/g;

/**
 * Splits a PEM file into its certificates and its private key, as HAProxy's combined `.pem`
 * files hold both. The blocks are kept byte for byte, in their order.
 */
export function splitPem(text: string): { certPem: string; keyPem: string } {
  let certPem = "";
  let keyPem = "";
  for (const m of text.matchAll(PEM_BLOCK)) {
    const block = m[0].endsWith("\n") ? m[0] : `${m[0]}\n`;
    if (m[1] === "CERTIFICATE") certPem += block;
    else if (/PRIVATE KEY$/.test(m[1]!)) keyPem += block;
  }
  return { certPem, keyPem };
}

/** The columns of `hactl certs list`; certificates that expire within 30 days stand out. */
export function certColumns(c: Colours): Column<Certificate>[] {
  return [
    { header: "name", cell: (x) => x.name },
    { header: "subject", cell: (x) => x.subject, maxWidth: 40 },
    { header: "names (SAN)", cell: (x) => x.sans.join(", "), maxWidth: 50 },
    { header: "not after", cell: (x) => formatTimestamp(x.notAfter) },
    { header: "days left", cell: (x) => (x.daysLeft < 0 ? c.red("expired") : x.daysLeft <= 30 ? c.yellow(String(x.daysLeft)) : String(x.daysLeft)), align: "right" },
    { header: "use in a config as", cell: (x) => `crt ${x.bundlePath}` },
  ];
}

interface UploadOptions {
  cert: string;
  key?: string;
}

/** `hactl certs list|show|upload|renew|delete`. */
export function registerCertCommands(program: Command, ctx: CliContext): void {
  const certs = program.command("certs").alias("cert").description("TLS certificates the configs reference (crt certs/NAME.pem); keys are stored encrypted and never shown");

  certs
    .command("list")
    .alias("ls")
    .description("certificates with their names, expiry and the path to use in a config")
    .action(async (_opts: unknown, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const { items } = unwrap(await api.GET("/api/v1/certificates"));
      if (globalOptions(cmd).output === "json") return printJson(ctx, items);
      if (items.length === 0) return print(ctx, "No certificates yet. Upload one with: hactl certs upload NAME --cert cert.pem --key key.pem");
      print(ctx, renderTable(certColumns(stdoutColours(ctx)), items));
    });

  certs
    .command("show")
    .description("one certificate: subject, names, issuer, validity, fingerprint, and which config versions use it")
    .argument("<name>", "the certificate's name")
    .option("--pem", "print the certificate chain (PEM) instead")
    .action(async (name: string, opts: { pem?: boolean }, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      const x = unwrap(await api.GET("/api/v1/certificates/{certificate}", { params: { path: { certificate: name } } }));
      if (globalOptions(cmd).output === "json") return printJson(ctx, x);
      if (opts.pem) return void ctx.io.stdout.write(x.certPem);
      print(
        ctx,
        renderFields([
          ["name", x.name],
          ["subject", x.subject],
          ["names (SAN)", x.sans.join(", ") || "-"],
          ["issuer", x.issuer],
          ["valid", `${formatTimestamp(x.notBefore)} to ${formatTimestamp(x.notAfter)} (${x.daysLeft < 0 ? "expired" : `${x.daysLeft} days left`})`],
          ["key", x.keyAlgorithm],
          ["chain", `${x.chainLength} certificate${x.chainLength === 1 ? "" : "s"}`],
          ["serial", x.serialNumber],
          ["sha256", x.fingerprintSha256],
          ["in a config", `crt ${x.bundlePath}`],
          ["used by", x.usedBy.map((u) => `${u.clusterName} v${u.version} (line ${u.lines.join(", ")})`).join("; ") || "no config version"],
        ]),
      );
      for (const w of x.warnings) note(ctx, `warning: ${w}`);
    });

  certs
    .command("upload")
    .description("upload a certificate chain and its private key under a name (the key must match the certificate)")
    .argument("<name>", "letters, digits, . _ -; becomes certs/NAME.pem in the nodes' bundles")
    .requiredOption("--cert <path>", "PEM certificate, leaf first, then intermediates; may hold the key too (HAProxy's combined .pem)")
    .option("--key <path>", "PEM private key, unencrypted (default: the one in --cert)")
    .action(async (name: string, opts: UploadOptions, cmd: Command) => {
      const body = { name, ...(await readPair(ctx, opts)) };
      const { api } = await connect(ctx, cmd);
      const x = unwrap(await api.POST("/api/v1/certificates", { body }));
      if (globalOptions(cmd).output === "json") return printJson(ctx, x);
      for (const w of x.warnings) note(ctx, `warning: ${w}`);
      print(ctx, `Uploaded certificate ${x.name} (${x.subject}, until ${formatTimestamp(x.notAfter)}). Use it in a config as: crt ${x.bundlePath}`);
    });

  certs
    .command("renew")
    .description("replace a certificate and its key under the same name (configs that use it pick it up at their next deployment)")
    .argument("<name>", "the certificate's name")
    .requiredOption("--cert <path>", "the new PEM certificate chain (may hold the key too)")
    .option("--key <path>", "the new PEM private key (default: the one in --cert)")
    .action(async (name: string, opts: UploadOptions, cmd: Command) => {
      const body = await readPair(ctx, opts);
      const { api } = await connect(ctx, cmd);
      const x = unwrap(await api.PUT("/api/v1/certificates/{certificate}", { params: { path: { certificate: name } }, body }));
      if (globalOptions(cmd).output === "json") return printJson(ctx, x);
      for (const w of x.warnings) note(ctx, `warning: ${w}`);
      print(ctx, `Renewed certificate ${x.name}: now valid until ${formatTimestamp(x.notAfter)}. Deploy the clusters that use it to put it on the nodes.`);
    });

  certs
    .command("delete")
    .description("delete a certificate that no current config uses (asks first)")
    .argument("<name>", "the certificate's name")
    .option("-y, --yes", "delete without asking")
    .action(async (name: string, opts: { yes?: boolean }, cmd: Command) => {
      const { api } = await connect(ctx, cmd);
      if (!opts.yes) await confirmOrAbort(ctx.io, `Delete certificate ${name} and its key?`, "nothing was deleted");
      await remove(api, name);
      if (globalOptions(cmd).output === "json") return printJson(ctx, { deleted: name });
      print(ctx, `Deleted certificate ${name}.`);
    });
}

async function remove(api: ApiClient, name: string): Promise<void> {
  unwrap(await api.DELETE("/api/v1/certificates/{certificate}", { params: { path: { certificate: name } } }));
}

/** The certificate and key files: two files, or one combined file. */
async function readPair(ctx: CliContext, opts: UploadOptions): Promise<{ certPem: string; keyPem: string }> {
  if (opts.cert === "-" && opts.key === "-") throw new UsageError("--cert and --key cannot both be read from stdin");
  const certText = await readTextFile(ctx.io, opts.cert, "--cert");
  const fromCert = splitPem(certText);
  if (!fromCert.certPem) throw new UsageError(`${opts.cert} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  if (opts.key === undefined) {
    if (!fromCert.keyPem) throw new UsageError(`${opts.cert} holds no private key: pass it with --key`);
    return fromCert;
  }
  const keyPem = splitPem(await readTextFile(ctx.io, opts.key, "--key")).keyPem;
  if (!keyPem) throw new UsageError(`${opts.key} holds no PEM private key (-----BEGIN … PRIVATE KEY-----)`);
  return { certPem: fromCert.certPem, keyPem };
}
