import { Badge } from "@/components/ui/badge";
import { formatDate } from "@/lib/format";

/** Days left at a glance: red when expired, amber within 30 days, green otherwise. */
export function ExpiryBadge({ daysLeft, notAfter }: { daysLeft: number; notAfter: string }) {
  const title = `Expires ${formatDate(notAfter)}`;
  if (daysLeft < 0) {
    return (
      <Badge variant="destructive" title={title}>
        expired {-daysLeft} {-daysLeft === 1 ? "day" : "days"} ago
      </Badge>
    );
  }
  if (daysLeft <= 30) {
    return (
      <Badge variant="warning" title={title}>
        expires in {daysLeft} {daysLeft === 1 ? "day" : "days"}
      </Badge>
    );
  }
  return (
    <Badge variant="success" title={title}>
      {daysLeft} days left
    </Badge>
  );
}
