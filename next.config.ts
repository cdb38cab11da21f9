import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin({
  requestConfig: "./app/_i18n/request.ts",
  // Messages are compiled at build time, so the browser gets no ICU parser.
  experimental: { messages: { path: "./app/_i18n/messages", format: "json", locales: ["de", "en"], precompile: true } },
});

const nextConfig: NextConfig = {
  // Native and Node-only packages stay outside the server bundle.
  serverExternalPackages: ["better-sqlite3", "pg", "mailauth", "dns2", "nodemailer", "tsx"],
  // Parallel builds (several e2e runs on one machine) can each use their own folder.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  // Type errors are checked once by `npm run typecheck` in the test command.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // Pages, route handlers and public/ get their headers (with a per-request CSP nonce)
  // from proxy.ts; Next's own build files skip the proxy and get theirs here.
  async headers() {
    return [
      {
        source: "/_next/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
