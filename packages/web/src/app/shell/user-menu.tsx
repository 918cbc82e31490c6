import { ChevronsUpDownIcon, KeyRoundIcon, LogOutIcon, UserIcon } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { useSessionManager } from "@/api/api-context";
import { useCurrentUser } from "@/auth/use-auth";
import { ChangePasswordDialog } from "@/features/account/change-password-dialog";
import { Badge } from "@/components/ui/badge";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

export function UserMenu() {
  const user = useCurrentUser();
  const session = useSessionManager();
  const navigate = useNavigate();
  const [changingPassword, setChangingPassword] = useState(false);
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger
          className="flex w-full items-center gap-2 rounded-md px-2.5 py-2 text-left text-sm hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
          aria-label={`Account: ${user.username} (${user.role})`}
        >
          <UserIcon className="size-4 text-muted-foreground" aria-hidden />
          <span className="min-w-0 flex-1 truncate font-medium">{user.username}</span>
          <Badge variant="secondary">{user.role}</Badge>
          <ChevronsUpDownIcon className="size-3.5 text-muted-foreground" aria-hidden />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" side="top" className="w-56">
          <DropdownMenuLabel>
            Signed in as {user.username}
            <span className="block text-xs font-normal text-muted-foreground">Role: {user.role}</span>
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setChangingPassword(true)}>
            <KeyRoundIcon /> Change password
          </DropdownMenuItem>
          <DropdownMenuItem
            onSelect={async () => {
              await session.logout();
              navigate("/login", { replace: true });
            }}
          >
            <LogOutIcon /> Log out
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <ChangePasswordDialog open={changingPassword} onOpenChange={setChangingPassword} />
    </>
  );
}
