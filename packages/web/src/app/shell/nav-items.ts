import {
  BoxesIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  RocketIcon,
  ScrollTextIcon,
  ServerIcon,
  ShieldCheckIcon,
  UsersIcon,
  type LucideIcon,
} from "lucide-react";
import type { Role } from "@/auth/roles";

export interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  /** Hidden for users below this role (the page's API refuses them anyway). */
  role?: Role;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { to: "/", label: "Dashboard", icon: LayoutDashboardIcon },
  { to: "/clusters", label: "Clusters", icon: BoxesIcon },
  { to: "/nodes", label: "Nodes", icon: ServerIcon },
  { to: "/deployments", label: "Deployments", icon: RocketIcon },
  { to: "/certificates", label: "Certificates", icon: ShieldCheckIcon },
  { to: "/enrollment", label: "Enrolment", icon: KeyRoundIcon, role: "admin" },
  { to: "/audit", label: "Audit log", icon: ScrollTextIcon },
  { to: "/users", label: "Users", icon: UsersIcon, role: "admin" },
];
