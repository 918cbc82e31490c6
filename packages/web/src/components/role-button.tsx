import { isValidElement, type ReactNode } from "react";
import { needsRoleText, useCan, type Role } from "@/auth/roles";
import { Button, type ButtonProps } from "@/components/ui/button";
import { WithTooltip } from "@/components/ui/tooltip";

/**
 * A button for an action that needs a role. Users without it see the button disabled with the
 * reason (so they know the action exists and whom to ask); the server refuses it regardless.
 */
export function RoleButton({ role, disabled, asChild, children, ...props }: ButtonProps & { role: Role }) {
  const allowed = useCan(role);
  if (allowed) return <Button disabled={disabled} asChild={asChild} {...props}>{children}</Button>;
  // With asChild the child is a link; a locked action shows its label on a disabled button instead.
  const label: ReactNode = asChild && isValidElement<{ children?: ReactNode }>(children) ? children.props.children : children;
  return (
    <WithTooltip content={needsRoleText(role)}>
      {/* A disabled button gets no pointer events; the span carries the tooltip and the focus. */}
      <span tabIndex={0} className="inline-flex rounded-md" aria-describedby={undefined}>
        <Button {...props} disabled data-role-locked={role} title={needsRoleText(role)}>
          {label}
        </Button>
      </span>
    </WithTooltip>
  );
}
