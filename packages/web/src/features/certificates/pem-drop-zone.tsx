import { FileUpIcon } from "lucide-react";
import { useId, useState, type DragEvent } from "react";
import { cn } from "@/lib/utils";

/**
 * Where PEM files are dropped (or chosen with the file picker, for keyboard users). Hands every
 * file's text and name to `onFiles`; the caller decides what is a certificate and what is a key.
 */
export function PemDropZone({ onFiles, label }: { onFiles: (files: { name: string; text: string }[]) => void; label: string }) {
  const inputId = useId();
  const [over, setOver] = useState(false);

  async function read(list: FileList | null) {
    if (!list?.length) return;
    onFiles(await Promise.all(Array.from(list, async (file) => ({ name: file.name, text: await file.text() }))));
  }

  return (
    <div
      data-testid="pem-drop-zone"
      onDragOver={(e: DragEvent) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e: DragEvent) => {
        e.preventDefault();
        setOver(false);
        void read(e.dataTransfer.files);
      }}
      className={cn(
        "flex flex-col items-center justify-center gap-1 rounded-lg border-2 border-dashed px-4 py-5 text-center text-sm text-muted-foreground transition-colors",
        over && "border-primary bg-primary/5 text-foreground",
      )}
    >
      <FileUpIcon className="size-6" aria-hidden />
      <p>{label}</p>
      <label htmlFor={inputId} className="cursor-pointer font-medium text-primary underline-offset-4 hover:underline">
        or choose files
      </label>
      <input
        id={inputId}
        type="file"
        multiple
        accept=".pem,.crt,.cer,.key,.cert,application/x-pem-file"
        className="sr-only"
        onChange={(e) => {
          void read(e.target.files);
          e.target.value = "";
        }}
      />
    </div>
  );
}
