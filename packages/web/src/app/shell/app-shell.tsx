import { Suspense } from "react";
import { Link, Outlet } from "react-router";
import { FullPageSpinner } from "../full-page-spinner";
import { SidebarNav } from "./sidebar-nav";
import { UserMenu } from "./user-menu";

/** Sidebar with the navigation and the account menu; the page on the right. */
export function AppShell() {
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 flex h-screen w-56 shrink-0 flex-col gap-4 border-r bg-sidebar px-3 py-4">
        <Link to="/" className="flex items-center gap-2 px-2.5 text-base font-semibold tracking-tight">
          <img src="/favicon.svg" alt="" className="size-6" />
          HA-Master
        </Link>
        <SidebarNav />
        <div className="mt-auto">
          <UserMenu />
        </div>
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-8 py-6 outline-none">
        <Suspense fallback={<FullPageSpinner label="Loading…" />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
