import { useEffect, useState } from "react";
import { formatDateTime, formatRelative } from "@/lib/format";

/** "2 minutes ago", kept current, with the exact time on hover and for screen readers. */
export function RelativeTime({ iso, fallback = "never" }: { iso: string | null | undefined; fallback?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  if (!iso) return <span className="text-muted-foreground">{fallback}</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
