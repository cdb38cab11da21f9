/** Signs in through next-auth's credentials callback and returns the session cookie. */
export async function sessionCookie(base: string, email: string, password: string): Promise<string> {
  const csrfResponse = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookie = csrfResponse.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = response.headers.getSetCookie().find((c) => c.includes("session-token="));
  if (!session) throw new Error(`sign-in as ${email} failed (HTTP ${response.status})`);
  return session.split(";")[0]!;
}

/** The flags shared by the bench scripts: --base, --tenant, --email, --password. */
export function benchFlags(args: string[]) {
  const flag = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const base = flag("base", "http://localhost:3000");
  const tenant = flag("tenant", "acme");
  return { flag, base, tenant, email: flag("email", `admin@${tenant}.example`), password: flag("password", "postillion-demo") };
}
