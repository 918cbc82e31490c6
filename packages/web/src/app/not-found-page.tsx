import { FileQuestionIcon } from "lucide-react";
import { Link } from "react-router";
import { EmptyState } from "@/components/empty-state";
import { Button } from "@/components/ui/button";

export function NotFoundPage() {
  return (
    <EmptyState
      icon={FileQuestionIcon}
      title="No such page"
      action={
        <Button asChild variant="outline">
          <Link to="/">Back to the dashboard</Link>
        </Button>
      }
    >
      The address does not match any page of the console.
    </EmptyState>
  );
}
