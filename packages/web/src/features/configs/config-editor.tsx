import { CheckCheckIcon, RocketIcon, SaveIcon, XIcon } from "lucide-react";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { Link } from "react-router";
import { toast } from "sonner";
import { isApiError, toastError } from "@/api/errors";
import { useCan } from "@/auth/roles";
import { RoleButton } from "@/components/role-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useFetchConfigVersion, useSaveConfig, useValidateConfig, type ConfigValidation, type StaleBaseDetails } from "./config-queries";
import { HaproxyEditor, type HaproxyEditorHandle } from "./editor/haproxy-editor";
import { SideBySide } from "./editor/side-by-side";
import { ProblemsPanel, type ValidationRun } from "./problems-panel";
import { SaveDialog } from "./save-dialog";
import { StaleBaseDialog, type StaleBase } from "./stale-base-dialog";

/** The version an edit builds on: what `baseVersion` says when saving. */
export interface EditorBase {
  version: number;
  content: string;
  author?: string;
  message?: string;
}

/** Comparing the draft with the user's own earlier text after a conflicting save. */
interface ManualMerge {
  mine: string;
  mineLabel: string;
}

/**
 * The config editor: edit, validate (markers at the lines the master reports), save with a
 * message on top of a known base, and recover when someone else saved first.
 */
export function ConfigEditor({
  clusterName,
  initialBase,
  initialDraft,
  startedFrom,
  emptyHint,
}: {
  clusterName: string;
  initialBase: EditorBase;
  initialDraft: string;
  startedFrom?: number | undefined;
  emptyHint?: ReactNode;
}) {
  const [base, setBase] = useState(initialBase);
  const [draft, setDraft] = useState(initialDraft);
  const [run, setRun] = useState<ValidationRun>();
  const [saveOpen, setSaveOpen] = useState(false);
  const [message, setMessage] = useState(startedFrom ? `Restore version ${startedFrom}` : "");
  const [stale, setStale] = useState<StaleBase>();
  const [merge, setMerge] = useState<ManualMerge>();
  // Replacing the whole text (after a stale base) mounts a fresh editor: no undo across bases,
  // and no typing-debounce window in which the old text could come back.
  const [generation, setGeneration] = useState(0);
  const editor = useRef<HaproxyEditorHandle>(null);
  const validate = useValidateConfig(clusterName);
  const save = useSaveConfig(clusterName);
  const fetchVersion = useFetchConfigVersion(clusterName);
  const canSave = useCan("operator");
  const dirty = draft !== base.content;
  useUnsavedChangesWarning(dirty);
  // A new array only per validation: the editor maps markers through edits until the next one.
  const problems = useMemo(() => (run ? [...run.result.errors, ...run.result.warnings] : undefined), [run]);

  async function runValidation() {
    const content = draft;
    try {
      const result = await validate.mutateAsync(content);
      setRun({ result, content });
      if (result.valid) toast.success(result.warnings.length ? `Valid, with ${result.warnings.length} warnings` : "The config is valid");
    } catch {
      // The mutation's toast shows the error and its request id.
    }
  }

  async function runSave() {
    const content = draft;
    try {
      const saved = await save.mutateAsync({ content, message: message.trim(), baseVersion: base.version });
      setSaveOpen(false);
      setMessage("");
      setBase({ version: saved.version, content, author: saved.author, message: saved.message });
      if (saved.created) toast.success(`Saved version ${saved.version}`);
      else toast.info(saved.note ?? `Nothing changed: this is version ${saved.version}`);
      if (saved.warnings.length > 0) {
        setRun({ result: { valid: true, errors: [], warnings: saved.warnings, haproxy: { checked: false, version: null } }, content });
      }
    } catch (err) {
      setSaveOpen(false);
      if (isApiError(err, "stale_base")) {
        const details = err.details as StaleBaseDetails;
        try {
          setStale({ details, theirs: await fetchVersion(details.currentVersion), requestId: err.requestId });
        } catch (fetchErr) {
          toastError(fetchErr, `Version ${details.currentVersion} was saved by someone else, and could not be loaded`);
        }
      } else if (isApiError(err, "config_invalid")) {
        setRun({ result: err.details as ConfigValidation, content, refusedSave: { requestId: err.requestId } });
        toastError(err, "Not saved: the config has errors");
      } else {
        setSaveOpen(true);
        toastError(err, "Could not save");
      }
    }
  }

  function adoptTheirs(text: string) {
    if (!stale) return;
    setBase({ version: stale.theirs.version, content: stale.theirs.content, author: stale.theirs.author, message: stale.theirs.message });
    setDraft(text);
    setRun(undefined);
    setGeneration((g) => g + 1);
  }

  return (
    <div className="flex flex-col gap-4">
      <EditorToolbar
        base={base}
        dirty={dirty}
        clusterName={clusterName}
        validating={validate.isPending}
        onValidate={() => void runValidation()}
        onSave={() => setSaveOpen(true)}
      />
      {base.version === 0 && !draft && emptyHint}
      {merge ? (
        <section aria-label="Merge by hand" className="flex flex-col gap-2">
          <div className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-primary/40 bg-primary/5 px-4 py-2 text-sm">
            <span>
              Merging by hand: the left side is what you will save (on top of version {base.version}); the arrows copy your earlier
              edits from the right.
            </span>
            <Button size="sm" variant="outline" onClick={() => setMerge(undefined)}>
              <XIcon /> Done merging
            </Button>
          </div>
          <SideBySide
            left={{ text: draft, label: `Version ${base.version} + your merge (saved on Save)` }}
            right={{ text: merge.mine, label: merge.mineLabel }}
            onLeftChange={setDraft}
          />
        </section>
      ) : (
        <HaproxyEditor
          key={generation}
          ref={editor}
          label={`haproxy.cfg of ${clusterName}`}
          value={draft}
          onChange={setDraft}
          problems={problems}
          onValidateShortcut={() => void runValidation()}
          onSaveShortcut={() => canSave && setSaveOpen(true)}
        />
      )}
      {run && <ProblemsPanel run={run} currentContent={draft} onJump={(line) => editor.current?.revealLine(line)} />}
      <SaveDialog
        open={saveOpen}
        onOpenChange={setSaveOpen}
        baseVersion={base.version}
        message={message}
        onMessageChange={setMessage}
        pending={save.isPending}
        onSave={() => void runSave()}
      />
      {stale && (
        <StaleBaseDialog
          stale={stale}
          baseContent={base.content}
          draft={draft}
          onCancel={() => setStale(undefined)}
          onRebased={(text) => {
            adoptTheirs(text);
            setStale(undefined);
            toast.success(`Your edits now sit on top of version ${stale.theirs.version}. Review, validate and save.`);
          }}
          onMergeByHand={() => {
            setMerge({ mine: draft, mineLabel: `Your edits (made on version ${stale.details.baseVersion})` });
            adoptTheirs(stale.theirs.content);
            setStale(undefined);
          }}
        />
      )}
    </div>
  );
}

function EditorToolbar({
  base,
  dirty,
  clusterName,
  validating,
  onValidate,
  onSave,
}: {
  base: EditorBase;
  dirty: boolean;
  clusterName: string;
  validating: boolean;
  onValidate: () => void;
  onSave: () => void;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <div className="flex min-w-0 flex-wrap items-center gap-2 text-sm">
        {base.version > 0 ? (
          <span>
            Editing on top of <strong>version {base.version}</strong>
            {base.author && <span className="text-muted-foreground"> by {base.author}</span>}
            {base.message && <span className="text-muted-foreground"> — “{base.message}”</span>}
          </span>
        ) : (
          <span>New config</span>
        )}
        {dirty ? <Badge variant="warning">unsaved changes</Badge> : base.version > 0 && <Badge variant="muted">saved</Badge>}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="outline" onClick={onValidate} disabled={validating} aria-keyshortcuts="Control+Enter">
          <CheckCheckIcon /> {validating ? "Validating…" : "Validate"}
        </Button>
        <RoleButton role="operator" onClick={onSave} disabled={!dirty} aria-keyshortcuts="Control+S">
          <SaveIcon /> Save…
        </RoleButton>
        {base.version > 0 && !dirty && (
          <RoleButton role="operator" variant="secondary" asChild>
            <Link to={`/clusters/${clusterName}/deployments?deploy=${base.version}`}>
              <RocketIcon /> Deploy v{base.version}
            </Link>
          </RoleButton>
        )}
      </div>
    </div>
  );
}

/** Asks before the tab closes or reloads with unsaved edits. */
function useUnsavedChangesWarning(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}
