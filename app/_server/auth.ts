import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { sessionSecret } from "@/lib/config/secrets";
import { getDb } from "@/lib/db";
import { authenticate } from "@/lib/users/sign-in";

export const SESSION_MAX_AGE_S = 12 * 60 * 60;

/**
 * The client's address for throttling: the last x-forwarded-for entry, which a reverse
 * proxy in front appends (nginx's $proxy_add_x_forwarded_for). Without such a proxy Next
 * only fills the header when the client sent none, so a client can choose its own
 * address (fresh account+address and address keys): the slow per-account limit still
 * holds (lib/auth/throttle.ts).
 */
function clientAddress(headers: Record<string, unknown> | undefined): string | undefined {
  const forwarded = headers?.["x-forwarded-for"];
  const value = Array.isArray(forwarded) ? forwarded.join(",") : forwarded;
  if (typeof value !== "string") return undefined;
  const hops = value.split(",").map((h) => h.trim()).filter(Boolean);
  return hops[hops.length - 1] || undefined;
}

let options: NextAuthOptions | undefined;

/** Built on first use: the secret may be generated at start, never at build time. */
export function authOptions(): NextAuthOptions {
  options ??= {
    secret: sessionSecret(),
    // A signed JWT, not server memory: several instances share it. It expires after
    // 12 h; actions and route handlers re-issue it, so it is an idle limit there.
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S, updateAge: 15 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "credentials",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          const db = await getDb();
          const result = await authenticate(db, {
            email: String(credentials?.email ?? ""),
            password: String(credentials?.password ?? ""),
            address: clientAddress(req?.headers as Record<string, unknown> | undefined),
            now: new Date(),
          });
          if (result.ok) return { id: result.userId, email: result.email, name: result.name };
          // next-auth passes the message on to the sign-in page as ?error=…
          throw new Error(result.reason === "throttled" ? `throttled:${result.retryAfterS}` : "invalid");
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        return { ...session, userId: typeof token.uid === "string" ? token.uid : undefined };
      },
    },
  };
  return options;
}
