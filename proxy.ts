import { NextResponse, type NextRequest } from "next/server";

// Runs before every page and route handler. Two jobs:
// 1. Security headers, with a fresh Content-Security-Policy nonce per request. Next
//    reads the nonce from the request's CSP header and puts it on its own scripts;
//    every page here is rendered per request (the layout reads the locale cookie).
// 2. Convenience only: send visitors without a session cookie to the sign-in page.
//    Every page, action and route handler checks the session itself (app/_server/guard.ts).
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const SIGNED_IN_AREA = /^\/(?:$|(?:tenants|consultants|t|review|no-tenant)(?:\/|$))/;

function contentSecurityPolicy(nonce: string, options: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonced bootstrap loads are trusted, nothing else.
    // React's development build needs eval for its debugging aids; production never.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // The development server's overlay and hot reload insert style elements without the
    // nonce; production CSS comes as files (and Next's own tags carry the nonce).
    options.dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

function withSecurityHeaders(response: NextResponse, csp: string, https: boolean): NextResponse {
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  response.headers.set("X-Frame-Options", "DENY");
  // Only behind https: HSTS on a plain-http deployment would lock browsers out of it.
  if (https) response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  return response;
}

export default function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const https = (process.env.NEXTAUTH_URL ?? "").startsWith("https://");
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });

  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!hasSession && SIGNED_IN_AREA.test(request.nextUrl.pathname)) {
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = "";
    return withSecurityHeaders(NextResponse.redirect(url), csp, https);
  }

  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), csp, https);
}

export const config = {
  // Everything except Next's immutable build files (their headers come from next.config.ts).
  matcher: ["/((?!_next/static|_next/image).*)"],
};
