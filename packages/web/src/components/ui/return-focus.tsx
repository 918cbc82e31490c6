import { useRef, useState, type RefObject } from "react";

type FocusEventHandler = (event: Event) => void;

/** Rendered inside a dialog's content: notes what had the focus before the dialog took it. */
function FocusOrigin({ into }: { into: RefObject<HTMLElement | null> }) {
  // Read during the first render, before any autoFocus field inside the dialog moves the focus.
  useState(() => {
    const el = document.activeElement;
    into.current = el instanceof HTMLElement && el !== document.body ? el : null;
  });
  return null;
}

/**
 * Gives the focus back to whatever had it when a dialog opened (usually the button that opened
 * it). Radix does this only for its own Trigger; our dialogs are opened from plain buttons with
 * controlled `open`, and without this the focus falls to <body> when they close. Render
 * `origin` inside the content and spread `onCloseAutoFocus` on it.
 */
export function useReturnFocus(props: { onCloseAutoFocus?: FocusEventHandler | undefined }) {
  const returnTo = useRef<HTMLElement | null>(null);
  return {
    origin: <FocusOrigin into={returnTo} />,
    onCloseAutoFocus: (event: Event) => {
      props.onCloseAutoFocus?.(event);
      const target = returnTo.current;
      returnTo.current = null;
      if (event.defaultPrevented || !target?.isConnected) return;
      event.preventDefault();
      target.focus();
    },
  };
}
