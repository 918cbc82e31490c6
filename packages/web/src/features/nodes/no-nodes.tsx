import { ServerIcon } from "lucide-react";
import { Link } from "react-router";
import { useCan } from "@/auth/roles";
import { EmptyState } from "@/components/empty-state";
import { Button } from "@/components/ui/button";

/** The fleet is empty: say how nodes get here, and take admins straight to it. */
export function NoNodes({ clusterName }: { clusterName?: string }) {
  const isAdmin = useCan("admin");
  return (
    <EmptyState
      icon={ServerIcon}
      title={clusterName ? `No nodes in ${clusterName} yet` : "No nodes yet"}
      action={
        isAdmin ? (
          <Button asChild>
            <Link to={clusterName ? `/enrollment?cluster=${encodeURIComponent(clusterName)}` : "/enrollment"}>Create a join token</Link>
          </Button>
        ) : undefined
      }
    >
      Nodes appear here once an agent joins: create a join token and run the join command on each HAProxy host.
      {!isAdmin && " Join tokens are made by an admin."}
    </EmptyState>
  );
}
