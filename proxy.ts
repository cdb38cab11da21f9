import { NextResponse, type NextRequest } from "next/server";

// Convenience only: send visitors without a session cookie to the sign-in page.
// Every page, action and route handler checks the session itself (app/_server/guard.ts).
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

export default function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!hasSession) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = "";
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
}

export const config = {
  matcher: ["/", "/tenants/:path*", "/consultants/:path*", "/t/:path*", "/review/:path*", "/no-tenant"],
};
