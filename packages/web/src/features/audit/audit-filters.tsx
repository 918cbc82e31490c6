import { FilterXIcon } from "lucide-react";
import { useEffect, useState, type FormEvent } from "react";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export interface AuditFilterValues {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  /** datetime-local values (the browser's time zone). */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilterValues = { actor: "", action: "", targetType: "", targetId: "", from: "", to: "" };

const ACTIONS = [
  "auth.*",
  "auth.login",
  "auth.login_failed",
  "auth.logout",
  "cluster.*",
  "config.*",
  "config.create",
  "config.import",
  "certificate.*",
  "deployment.*",
  "deployment.create",
  "deployment.rollback",
  "enrollment_token.*",
  "node.*",
  "node.enroll",
  "node.revoke",
  "user.*",
  "ca.*",
];
const TARGET_TYPES = ["cluster", "config", "certificate", "deployment", "enrollment_token", "node", "user", "ca"];

/** Filter form; applies on submit so that typing does not fire a query per key. */
export function AuditFilters({ value, onApply }: { value: AuditFilterValues; onApply: (value: AuditFilterValues) => void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const set = (key: keyof AuditFilterValues) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form onSubmit={submit} className="mb-4 grid grid-cols-2 items-end gap-3 md:grid-cols-4 2xl:grid-cols-[repeat(4,minmax(0,1fr))_repeat(2,minmax(13rem,1fr))_auto]" aria-label="Filter the audit log">
      <Field label="Actor">
        <Input value={draft.actor} onChange={set("actor")} placeholder="username" />
      </Field>
      <Field label="Action">
        <Input value={draft.action} onChange={set("action")} list="audit-actions" placeholder="config.* or exact" />
      </Field>
      <datalist id="audit-actions">
        {ACTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <Field label="Target type">
        <Input value={draft.targetType} onChange={set("targetType")} list="audit-target-types" placeholder="any" />
      </Field>
      <datalist id="audit-target-types">
        {TARGET_TYPES.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <Field label="Target id">
        <Input value={draft.targetId} onChange={set("targetId")} placeholder="any" />
      </Field>
      <Field label="From">
        <Input type="datetime-local" value={draft.from} onChange={set("from")} />
      </Field>
      <Field label="To">
        <Input type="datetime-local" value={draft.to} onChange={set("to")} />
      </Field>
      <div className="flex gap-2">
        <Button type="submit">Apply</Button>
        <Button
          variant="ghost"
          size="icon"
          aria-label="Clear the filters"
          title="Clear the filters"
          onClick={() => {
            setDraft(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          <FilterXIcon />
        </Button>
      </div>
    </form>
  );
}
