import NextAuth from "next-auth";
import { authOptions } from "@/app/_server/auth";

type Context = { params: Promise<{ nextauth: string[] }> };

// The options are built per request so the secret is read at run time, not at build.
async function handler(request: Request, context: Context) {
  return NextAuth(authOptions())(request, context);
}

export { handler as GET, handler as POST };
