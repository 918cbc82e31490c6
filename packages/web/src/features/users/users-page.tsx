import { LockIcon } from "lucide-react";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { EmptyState } from "@/components/empty-state";
import { LoadingRows } from "@/components/loading";
import { PageHeader } from "@/components/page-header";
import { QueryError } from "@/components/query-error";
import { RelativeTime } from "@/components/relative-time";
import { RequireRole, type Role } from "@/auth/roles";
import { useCurrentUser } from "@/auth/use-auth";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { CreateUserDialog } from "./create-user-dialog";
import { ROLES } from "./roles-text";
import { useUpdateUser, useUsers, type User } from "./user-queries";

export default function UsersPage() {
  return (
    <RequireRole
      role="admin"
      fallback={
        <EmptyState icon={LockIcon} title="Admins only">
          Managing users needs the admin role.
        </EmptyState>
      }
    >
      <UsersList />
    </RequireRole>
  );
}

function UsersList() {
  const users = useUsers();
  return (
    <>
      <PageHeader title="Users" description="Who may log in, and what they may do." actions={<CreateUserDialog />} />
      {users.isPending ? (
        <LoadingRows />
      ) : users.isError ? (
        <QueryError error={users.error} onRetry={() => void users.refetch()} what="the users" />
      ) : (
        <Card>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Username</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Last login</TableHead>
                <TableHead>Created</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {users.data.map((user) => (
                <UserRow key={user.id} user={user} />
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
    </>
  );
}

function UserRow({ user }: { user: User }) {
  const me = useCurrentUser();
  const update = useUpdateUser();
  const [confirm, setConfirm] = useState(false);
  const self = me.id === user.id;
  return (
    <TableRow>
      <TableCell className="font-medium">
        {user.username} {self && <Badge variant="muted">you</Badge>}
      </TableCell>
      <TableCell>
        <NativeSelect
          className="w-32"
          aria-label={`Role of ${user.username}`}
          value={user.role}
          disabled={update.isPending || self}
          title={self ? "Another admin must change your role" : undefined}
          onChange={(e) => update.mutate({ id: user.id, role: e.target.value as Role })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </NativeSelect>
      </TableCell>
      <TableCell>{user.disabled ? <Badge variant="destructive">disabled</Badge> : <Badge variant="success">active</Badge>}</TableCell>
      <TableCell>
        <RelativeTime iso={user.lastLoginAt} />
      </TableCell>
      <TableCell>
        <RelativeTime iso={user.createdAt} />
      </TableCell>
      <TableCell className="text-right">
        {user.disabled ? (
          <Button variant="outline" size="sm" disabled={update.isPending} onClick={() => update.mutate({ id: user.id, disabled: false })}>
            Enable
          </Button>
        ) : (
          <Button
            variant="outline"
            size="sm"
            disabled={update.isPending || self}
            title={self ? "You cannot disable yourself" : undefined}
            onClick={() => setConfirm(true)}
          >
            Disable
          </Button>
        )}
        <ConfirmDialog
          open={confirm}
          onOpenChange={setConfirm}
          title={`Disable ${user.username}?`}
          description="They can no longer log in; their sessions end when their access token expires. You can enable them again."
          confirmLabel="Disable"
          destructive
          onConfirm={() => update.mutate({ id: user.id, disabled: true })}
        />
      </TableCell>
    </TableRow>
  );
}
