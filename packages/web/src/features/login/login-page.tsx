import { AlertCircleIcon, LoaderCircleIcon } from "lucide-react";
import { useEffect, useState, type FormEvent } from "react";
import { useSessionManager } from "@/api/api-context";
import type { AuthState } from "@/auth/session-manager";
import { Field } from "@/components/field";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { describeLoginError, type LoginProblem } from "./login-errors";

type SignedOutReason = Extract<AuthState, { status: "signed-out" }>["reason"];

const REASON_TEXT: Record<NonNullable<SignedOutReason>, string> = {
  "logged-out": "You have logged out.",
  expired: "Your session has ended. Log in again.",
  unreachable: "The master did not answer while restoring your session. Log in once it is back.",
};

export function LoginPage({ reason }: { reason?: SignedOutReason }) {
  const session = useSessionManager();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<LoginProblem>();
  const waitSeconds = useCountdown(problem);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setProblem(undefined);
    try {
      await session.login(username, password);
    } catch (err) {
      setProblem(describeLoginError(err));
      setPassword("");
    } finally {
      setPending(false);
    }
  }

  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/40 p-4">
      <Card className="w-full max-w-sm">
        <CardHeader className="items-center pt-6 text-center">
          <img src="/favicon.svg" alt="" className="mb-2 size-10" />
          <h1 className="text-lg font-semibold">Log in to HA-Master</h1>
          <CardDescription>{reason ? REASON_TEXT[reason] : "Manage your HAProxy fleet."}</CardDescription>
        </CardHeader>
        <CardContent className="pb-6">
          <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
            <Field label="Username">
              <Input autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
            </Field>
            <Field label="Password">
              <Input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
            {problem && <LoginAlert problem={problem} waitSeconds={waitSeconds} />}
            <Button type="submit" disabled={pending || !username || !password || waitSeconds > 0}>
              {pending && <LoaderCircleIcon className="animate-spin" aria-hidden />}
              {waitSeconds > 0 ? `Try again in ${waitSeconds} s` : "Log in"}
            </Button>
          </form>
        </CardContent>
      </Card>
    </main>
  );
}

function LoginAlert({ problem, waitSeconds }: { problem: LoginProblem; waitSeconds: number }) {
  return (
    <div role="alert" className="flex gap-2 rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm" data-testid="login-error">
      <AlertCircleIcon className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
      <div className="min-w-0">
        <p>
          {problem.message}
          {problem.retryAfterSeconds !== undefined && (waitSeconds > 0 ? ` Try again in ${waitSeconds} s.` : " You can try again now.")}
        </p>
        {problem.requestId && <p className="mt-1 font-mono text-xs break-all text-muted-foreground">Request id: {problem.requestId}</p>}
      </div>
    </div>
  );
}

/** Seconds left of the wait a rate-limited login asked for; 0 when there is none. */
function useCountdown(problem: LoginProblem | undefined): number {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    const seconds = problem?.retryAfterSeconds;
    if (!seconds) return setLeft(0);
    const until = Date.now() + seconds * 1000;
    setLeft(seconds);
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [problem]);
  return left;
}
