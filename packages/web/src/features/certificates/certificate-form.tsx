import { KeyRoundIcon, XIcon } from "lucide-react";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { nameFromFile, splitPem } from "./pem";
import { PemDropZone } from "./pem-drop-zone";

export interface PemInput {
  certPem: string;
  keyPem: string;
  /** Where the key came from, shown instead of the key itself. */
  keySource: string;
}

export const EMPTY_PEM: PemInput = { certPem: "", keyPem: "", keySource: "" };

/**
 * The certificate chain and private key of an upload or renewal. The key is never displayed:
 * once dropped or pasted it shows only as "loaded", with a way to clear it.
 */
export function CertificatePemFields({
  value,
  onChange,
  onFileName,
}: {
  value: PemInput;
  onChange: (value: PemInput) => void;
  /** The first dropped file's name, to suggest a certificate name. */
  onFileName?: (name: string) => void;
}) {
  function takeFiles(files: { name: string; text: string }[]) {
    let next = { ...value };
    for (const file of files) {
      const parts = splitPem(file.text);
      if (parts.certificates) next = { ...next, certPem: parts.certificates };
      if (parts.key) next = { ...next, keyPem: parts.key, keySource: file.name };
    }
    const first = files[0];
    if (first) onFileName?.(nameFromFile(first.name));
    onChange(next);
  }

  return (
    <div className="flex flex-col gap-3">
      <PemDropZone label="Drop the certificate and key files here (a combined .pem works too)" onFiles={takeFiles} />
      <Field label="Certificate chain (PEM)" hint="Leaf first, then intermediates.">
        <Textarea
          className="h-32 font-mono text-xs"
          placeholder="-----BEGIN CERTIFICATE-----"
          value={value.certPem}
          spellCheck={false}
          onChange={(e) => onChange({ ...value, certPem: e.target.value })}
        />
      </Field>
      {value.keyPem ? (
        <div className="flex items-center gap-2 rounded-md border bg-muted/40 px-3 py-2 text-sm" data-testid="key-loaded">
          <KeyRoundIcon className="size-4 text-success" aria-hidden />
          <span className="flex-1">Private key loaded{value.keySource ? ` from ${value.keySource}` : ""} — not displayed.</span>
          <Button variant="ghost" size="sm" onClick={() => onChange({ ...value, keyPem: "", keySource: "" })}>
            <XIcon /> Remove
          </Button>
        </div>
      ) : (
        <Field label="Private key (PEM)" hint="Unencrypted. Paste it here; it is hidden as soon as it is recognised, and stored encrypted.">
          <Textarea
            className="h-20 font-mono text-xs"
            placeholder="-----BEGIN PRIVATE KEY-----"
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => {
              const key = splitPem(e.target.value).key;
              if (key) onChange({ ...value, keyPem: key, keySource: "pasted text" });
            }}
            onPaste={(e) => {
              e.preventDefault();
              const key = splitPem(e.clipboardData.getData("text")).key;
              if (key) onChange({ ...value, keyPem: key, keySource: "pasted text" });
            }}
          />
        </Field>
      )}
    </div>
  );
}
